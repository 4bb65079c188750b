package survey

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// ReadForm reads an XLSForm file, .xlsx or Markdown (.md), chosen by the
// file's name, and compiles it. A form without a form_id gets one made from
// its title.
func ReadForm(name string, r io.Reader) (*Definition, *Report, error) {
	var wb *Workbook
	var err error
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".xlsx":
		wb, err = ReadXLSX(r)
	case ".md", ".markdown":
		wb, err = ReadMarkdown(r)
	default:
		return nil, nil, fmt.Errorf("%s: a survey must be an .xlsx workbook or a Markdown (.md) file, not %q", name, ext)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	d, report, err := Compile(wb)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if d.Settings.ID == "" {
		d.Settings.ID = Slug(d.Settings.Title.In(d.Settings.DefaultLanguage, ""))
		if d.Settings.ID == "" {
			return nil, nil, fmt.Errorf("%s: the form needs a form_id or a form_title on its settings sheet, to name it in web addresses", name)
		}
		report.Notes = append(report.Notes, Problem{Sheet: "settings", Column: "form_id",
			Msg: fmt.Sprintf("there is no form_id, so the survey's web address uses %q, made from its title", d.Settings.ID)})
	}
	if slices.Contains(reservedSlugs, d.Settings.ID) {
		return nil, nil, fmt.Errorf("%s: the form_id %q is a word the site's own addresses use: choose another", name, d.Settings.ID)
	}
	return d, report, nil
}

// reservedSlugs would clash with the admin area's own addresses.
var reservedSlugs = []string{"import", "new"}
