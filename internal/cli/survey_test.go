package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

const eventForm = "../survey/testdata/forms/event-feedback.md"

// migrated returns the environment of a new, migrated database.
func migrated(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{"TOOLKIT_DB": storetest.DSN(t, store.SQLite)}
	if _, _, err := run(t, env, "migrate"); err != nil {
		t.Fatal(err)
	}
	return env
}

func TestSurveyCommands(t *testing.T) {
	env := migrated(t)
	out, stderr, err := run(t, env, "survey", "import", eventForm)
	if err != nil || out != "event-feedback\n" || !strings.Contains(stderr, "Imported a new survey in the draft phase") {
		t.Fatalf("survey import: %v, stdout %q, stderr %q", err, out, stderr)
	}
	if _, stderr, _ := run(t, env, "survey", "import", eventForm); !strings.Contains(stderr, "nothing changed") {
		t.Errorf("importing the same form again: %q", stderr)
	}
	_, _, err = run(t, env, "survey", "import", "../survey/testdata/forms/bad/unknown-type.md")
	if err == nil || !strings.Contains(err.Error(), `survey sheet, row 13, column type: unknown question type "select_some"`) {
		t.Errorf("importing a broken form: %v", err)
	}

	// Export, then import the export: the same survey, unchanged.
	dir := t.TempDir()
	for _, format := range []string{"md", "xlsx"} {
		file := filepath.Join(dir, "out."+format)
		if _, _, err := run(t, env, "survey", "export", "event-feedback", "--format", format, "--out", file); err != nil {
			t.Fatalf("survey export --format %s: %v", format, err)
		}
		if _, stderr, err := run(t, env, "survey", "import", file); err != nil || !strings.Contains(stderr, "nothing changed") {
			t.Errorf("re-importing the %s export: %v %q", format, err, stderr)
		}
	}
	if _, _, err := run(t, env, "survey", "export", "nope", "--format", "md"); err == nil || !strings.Contains(err.Error(), `there is no survey "nope"`) {
		t.Errorf("exporting an unknown survey: %v", err)
	}
	if _, _, err := run(t, env, "survey", "export", "event-feedback", "--format", "pdf"); err == nil {
		t.Error("exporting as pdf: no error")
	}

	if out, _, err := run(t, env, "survey", "phase", "event-feedback", "pilot"); err != nil || out != "event-feedback is now pilot.\n" {
		t.Errorf("survey phase pilot: %v %q", err, out)
	}
	if _, _, err := run(t, env, "survey", "phase", "event-feedback", "nowhere"); err == nil || !strings.Contains(err.Error(), `unknown phase "nowhere"`) {
		t.Errorf("an unknown phase: %v", err)
	}
	run(t, env, "survey", "phase", "event-feedback", "live")
	if _, _, err := run(t, env, "survey", "phase", "event-feedback", "draft"); err == nil || !strings.Contains(err.Error(), "a live survey can move to closed, not draft") {
		t.Errorf("live to draft: %v", err)
	}
	out, _, err = run(t, env, "survey", "list")
	if err != nil || !regexp.MustCompile(`event-feedback\s+live\s+1\s+0\s+0\s+`).MatchString(out) {
		t.Errorf("survey list: %v\n%s", err, out)
	}
	if _, _, err := run(t, env, "survey", "import"); err == nil {
		t.Error("survey import without a file: no error")
	}
}

func TestResponsesCommands(t *testing.T) {
	env := migrated(t)
	run(t, env, "survey", "import", eventForm)
	dir := t.TempDir()
	write := func(name string, rows [][]string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		csv.NewWriter(f).WriteAll(rows)
		f.Close()
		return path
	}
	export := func(args ...string) [][]string {
		t.Helper()
		out, _, err := run(t, env, append([]string{"responses", "export", "event-feedback"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}

	// Take the columns from an export of the empty survey, fill two rows.
	header := export()[0]
	row := func(vals map[string]string) []string {
		r := make([]string, len(header))
		for i, h := range header {
			r[i] = vals[h]
		}
		return r
	}
	good := write("good.csv", [][]string{header,
		row(map[string]string{"session_type": "workshop", "useful": "agree", "_phase": "live"}),
		row(map[string]string{"session_type": "talk", "useful": "strongly_agree"})})
	out, _, err := run(t, env, "responses", "import", "event-feedback", good)
	if err != nil || out != "Imported 2 responses into event-feedback.\n" {
		t.Fatalf("responses import: %v %q (header %v)", err, out, header)
	}
	if rows := export("--phase", "pilot"); len(rows) != 2 || !strings.Contains(strings.Join(rows[1], ","), "talk") {
		t.Errorf("pilot export: %v, want the talk row alone (--phase pilot is the default for imports)", rows)
	}

	bad := write("bad.csv", [][]string{append(header, "colour"), append(row(map[string]string{"session_type": "gig", "useful": "agree"}), "red")})
	_, _, err = run(t, env, "responses", "import", "event-feedback", bad)
	if err == nil || !strings.Contains(err.Error(), `row 1, column colour: "colour" is not a question`) ||
		!strings.Contains(err.Error(), "row 2, column session_type: Select one of the answers shown") || !strings.Contains(err.Error(), "nothing was imported") {
		t.Errorf("importing bad rows: %v", err)
	}
	if n := len(export()); n != 3 {
		t.Errorf("after a refused import, the export has %d rows with the header, want 3", n)
	}

	file := filepath.Join(dir, "all.xlsx")
	if _, stderr, err := run(t, env, "responses", "export", "event-feedback", "--format", "xlsx", "--out", file); err != nil || !strings.Contains(stderr, "Exported 2 responses") {
		t.Errorf("export to xlsx: %v %q", err, stderr)
	}
	if _, _, err := run(t, env, "responses", "export", "event-feedback", "--phase", "beta"); err == nil {
		t.Error("--phase beta: no error")
	}
	if _, _, err := run(t, env, "responses", "import", "event-feedback", filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("importing a missing file: no error")
	}
}
