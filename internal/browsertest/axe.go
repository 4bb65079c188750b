package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored unchanged (see testdata/README.md).
//
//go:embed testdata/axe.min.js
var axeSource string

// AxeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2, A
// and AA (invariant A1).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxeResult is what axe found on a page.
type AxeResult struct {
	Version      string    `json:"version"` // axe-core's
	URL          string    `json:"url"`
	Violations   []AxeRule `json:"violations"`
	Incomplete   []AxeRule `json:"incomplete"`   // rules axe could not decide: to review by hand
	Passes       []string  `json:"passes"`       // ids of the rules the page passed
	Inapplicable int       `json:"inapplicable"` // how many rules found nothing to check
}

// AxeRule is one rule's result, with the elements it concerns.
type AxeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is an element a rule concerns.
type AxeNode struct {
	Target         string `json:"target"` // a CSS selector for the element
	HTML           string `json:"html"`
	FailureSummary string `json:"failureSummary"`
}

// axeRun runs axe on the document and returns a summary small enough to
// send back as JSON. With resultTypes, axe lists every element only for
// violations; the other results name at most one element per rule.
const axeRun = `(async () => {
  const r = await axe.run(document, {
    runOnly: {type: 'tag', values: %s},
    resultTypes: ['violations'],
  });
  const target = n => n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(', ');
  const rule = v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: target(n), html: n.html, failureSummary: n.failureSummary || ''})),
  });
  return {
    version: axe.version,
    url: r.url,
    violations: r.violations.map(rule),
    incomplete: r.incomplete.map(rule),
    passes: r.passes.map(p => p.id),
    inapplicable: r.inapplicable.length,
  };
})()`

// Axe injects axe-core into the tab's page and runs it with [AxeTags].
//
// The script is sent through the DevTools protocol (Runtime.evaluate), which
// the page's Content-Security-Policy does not govern, so pages keep their
// strict policy (no inline script) while they are checked.
func Axe(ctx context.Context) (AxeResult, error) {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		return AxeResult{}, fmt.Errorf("injecting axe-core: %w", err)
	}
	tags := `['` + strings.Join(AxeTags, `', '`) + `']`
	r, err := chromedp.Run(ctx, chromedp.Evaluate[AxeResult](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return r, fmt.Errorf("running axe-core: %w", err)
	}
	if r.Version == "" || len(r.Passes)+len(r.Violations)+len(r.Incomplete)+r.Inapplicable == 0 {
		return r, fmt.Errorf("axe-core ran no rules on %s", r.URL)
	}
	return r, nil
}

// CheckAxe runs axe-core on the page open in the tab and fails the test for
// each violation, naming the rule, its impact, what to do, and every element
// concerned. name says which page it is in messages. On success it logs how
// many rules ran, so that a passing run shows axe really checked the page.
func CheckAxe(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	r, err := Axe(ctx)
	if err != nil {
		t.Fatalf("axe: %s: %v", name, err)
	}
	t.Logf("axe %s: %s: %d violations (%d rules passed, %d need review, %d not applicable)",
		r.Version, name, len(r.Violations), len(r.Passes), len(r.Incomplete), r.Inapplicable)
	for _, v := range r.Incomplete {
		t.Logf("axe: %s: needs review by hand: %s (%s), e.g. %s", name, v.ID, v.Help, firstNode(v))
	}
	if len(r.Violations) > 0 {
		t.Errorf("axe: %s (%s): %d accessibility violations:\n%s", name, r.URL, len(r.Violations), FormatViolations(r.Violations))
	}
}

// firstNode describes the first element a rule concerns, with axe's reason.
func firstNode(v AxeRule) string {
	if len(v.Nodes) == 0 {
		return "(no element)"
	}
	n := v.Nodes[0]
	return n.Target + ": " + strings.Join(strings.Fields(n.FailureSummary), " ")
}

// FormatViolations describes violations for a test failure.
func FormatViolations(vs []AxeRule) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "  [%s] %s: %s\n    %s\n", v.Impact, v.ID, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "    - %s\n      %s\n", n.Target, n.HTML)
			for _, line := range strings.Split(strings.TrimSpace(n.FailureSummary), "\n") {
				fmt.Fprintf(&b, "      %s\n", strings.TrimSpace(line))
			}
		}
	}
	return b.String()
}

// IDs returns the rules' ids.
func IDs(rules []AxeRule) []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return ids
}
