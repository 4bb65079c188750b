package web

import (
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestTemplatesWriteNoScript checks that no template writes a value into
// JavaScript, CSS or a srcset: every action is in HTML text, an attribute
// or a URL. Those are the contexts html/template escapes most simply; the
// escaping fixes of recent Go releases (README, Building for production)
// concern JavaScript contexts, and a template that starts writing values
// into one should be looked at with them in mind.
func TestTemplatesWriteNoScript(t *testing.T) {
	s := newTestSite(t)
	escapers := []string{"_html_template_js", "_html_template_css", "_html_template_srcset"}
	for _, name := range slices.Sorted(maps.Keys(s.srv.pages)) {
		page := s.srv.pages[name]
		// Executing escapes the page and every template it calls; with no
		// data the execution itself fails, which does not matter here.
		page.ExecuteTemplate(io.Discard, "layout", nil)
		for _, tt := range page.Templates() {
			if tt.Tree == nil {
				continue
			}
			tree := tt.Tree.Root.String()
			for _, e := range escapers {
				if strings.Contains(tree, e) {
					t.Errorf("page %s, template %s writes a value with %s…", name, tt.Name(), e)
				}
			}
		}
		if layout := page.Lookup("layout"); layout == nil || !strings.Contains(layout.Tree.Root.String(), "_html_template_") {
			t.Errorf("page %s was not escaped, so it was not checked", name)
		}
	}
}
