package survey_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// forms returns the good test forms and the default survey, by file name.
func forms(t *testing.T) map[string]*survey.Definition {
	t.Helper()
	files, err := filepath.Glob("testdata/forms/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../demo/healthtech-barriers.md")
	out := map[string]*survey.Definition{}
	for _, f := range files {
		out[filepath.Base(f)] = mustReadForm(t, f)
	}
	if len(out) < 6 {
		t.Fatalf("found %d forms, want the default survey and at least five test forms", len(out))
	}
	return out
}

func mustReadForm(t *testing.T, path string) *survey.Definition {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, report, err := survey.ReadForm(path, f)
	if err != nil {
		t.Fatalf("ReadForm(%s): %v", path, err)
	}
	if len(report.Notes) > 0 {
		t.Logf("%s: notes: %v", path, report.Notes)
	}
	return d
}

// TestRoundTrip: import, export, import again gives the same definition,
// through Markdown and through .xlsx.
func TestRoundTrip(t *testing.T) {
	for name, d := range forms(t) {
		for _, format := range []string{"md", "xlsx"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				var buf bytes.Buffer
				var err error
				if format == "md" {
					err = survey.WriteMarkdown(&buf, d.Workbook())
				} else {
					err = survey.WriteXLSX(&buf, d.Workbook())
				}
				if err != nil {
					t.Fatal(err)
				}
				again, report, err := survey.ReadForm("again."+format, &buf)
				if err != nil {
					t.Fatalf("reading the export back: %v", err)
				}
				if diff := cmp.Diff(d, again); diff != "" {
					t.Errorf("export then import changed the definition (-before +after):\n%s", diff)
				}
				if len(report.Notes) > 0 {
					t.Errorf("reading the export back gave notes: %v", report.Notes)
				}
			})
		}
	}
}

// TestFormsCoverEverything checks that the test forms together use every
// question type, column, choice mark and logic function, so that the round
// trip covers them all.
func TestFormsCoverEverything(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range forms(t) {
		for _, it := range d.Items {
			if g := it.Group; g != nil {
				seen["group"] = true
				if g.Relevant != "" {
					seen["group relevant"] = true
				}
			}
		}
		for _, q := range d.Questions() {
			seen[string(q.Type)] = true
			switch {
			case q.Likert():
				seen["likert"] = true
			case q.Multiline():
				seen["multiline"] = true
			}
			if q.OrOther {
				seen[string(q.Type)+" or_other"] = true
			}
			for col, used := range map[string]bool{"hint": len(q.Hint) > 0, "required": q.Required,
				"required_message": len(q.RequiredMessage) > 0, "relevant": q.Relevant != "", "constraint": q.Constraint != "",
				"constraint_message": len(q.ConstraintMessage) > 0, "outcome": q.Analysis.Role == survey.Outcome,
				"dimension": q.Analysis.Role == survey.Dimension, "reference": q.Analysis.Reference != ""} {
				seen[col] = seen[col] || used
			}
			for _, src := range []string{q.Relevant, q.Constraint} {
				for _, fn := range []string{"selected(", "count-selected(", "string-length(", "regex(", "if(", "true()",
					"false()", "number(", "string(", "concat(", "contains(", "starts-with(", "not(", " div ", " mod ", " and ", " or ",
					"!=", "<=", ">=", "${", "."} {
					if strings.Contains(src, fn) {
						seen[fn] = true
					}
				}
			}
		}
		for _, l := range d.Lists {
			for _, c := range l.Choices {
				seen["missing"] = seen["missing"] || c.Missing
				seen["exclusive"] = seen["exclusive"] || c.Exclusive
			}
		}
		if len(d.Languages) >= 3 {
			seen["three languages"] = true
		}
		for _, l := range d.Languages {
			if l.RTL() {
				seen["right to left"] = true
			}
		}
	}
	for _, want := range []string{"select_one", "select_multiple", "rank", "integer", "decimal", "text", "date", "note",
		"acknowledge", "likert", "multiline", "select_one or_other", "select_multiple or_other", "group", "group relevant",
		"hint", "required", "required_message", "relevant", "constraint", "constraint_message", "outcome", "dimension",
		"reference", "missing", "exclusive", "selected(", "count-selected(", "string-length(", "regex(", "if(", "true()",
		"false()", "number(", "string(", "concat(", "contains(", "starts-with(", "not(", " div ", " mod ", " and ", " or ",
		"!=", "<=", ">=", "${", "three languages", "right to left"} {
		if !seen[want] {
			t.Errorf("no test form uses %q", want)
		}
	}
}

// TestBadForms: each broken form is refused with a message that names
// where the problem is and what it is.
func TestBadForms(t *testing.T) {
	tests := map[string]string{
		"unknown-type.md":       `survey sheet, row 13, column type: unknown question type "select_some" (did you mean "select_one"?)`,
		"unknown-column.md":     `survey sheet, row 7, column lable::Español (es): unknown column "lable::Español (es)" (did you mean "label"?)`,
		"unknown-list.md":       `survey sheet, row 13, column type: the list yesno does not exist on the choices sheet (did you mean "yes_no"?)`,
		"unknown-reference.md":  `survey sheet, row 14, column relevant: ${agee} is not a question in this form (did you mean "age"?)`,
		"circular-relevant.md":  `survey sheet, row 9, column relevant: circular relevant: ${has_mentor} → ${has_mentor}`,
		"forward-reference.md":  `survey sheet, row 10, column relevant: ${wants_mentor} comes later in the form`,
		"constraint-syntax.md":  `survey sheet, row 10, column constraint: column 3: ">" needs a value on its right`,
		"duplicate-question.md": `survey sheet, row 13, column name: the name has_mentor is already used on row 9`,
		"duplicate-choice.md":   `choices sheet, row 25, column name: the list help already has a choice named mentoring`,
		"nested-group.md":       `survey sheet, row 11, column type: a group inside the group mentoring (row 8): groups cannot be nested`,
		"metadata-deviceid.md":  `survey sheet, row 9, column type: the type "deviceid" would record something about the person answering`,
		"analysis-typo.md":      `survey sheet, row 9, column analysis: unknown analysis role "dimenson" (did you mean "dimension"?)`,
	}
	files, _ := filepath.Glob("testdata/forms/bad/*.md")
	for _, f := range files {
		if _, ok := tests[filepath.Base(f)]; !ok && filepath.Base(f) != "README.md" {
			t.Errorf("%s has no expected error in TestBadForms", f)
		}
	}
	for file, want := range tests {
		t.Run(file, func(t *testing.T) {
			r, err := os.Open(filepath.Join("testdata/forms/bad", file))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			d, _, err := survey.ReadForm(file, r)
			var fe *survey.FormError
			if !errors.As(err, &fe) || d != nil {
				t.Fatalf("ReadForm(%s) = %v, %v; want a *FormError and no definition", file, d, err)
			}
			if got := fe.Problems[0].String(); !strings.HasPrefix(got, want) {
				t.Errorf("first problem:\n got %s\nwant %s…", got, want)
			}
		})
	}
}

// TestCompileProblems covers problems the bad forms do not, each with a
// small form written here.
func TestCompileProblems(t *testing.T) {
	tests := []struct {
		name string
		md   string
		want string // the first problem, or "" for none
	}{
		{"no survey sheet", "| choices |\n| | list_name | name | label |\n| | yn | y | Yes |\n",
			`there is no "survey" sheet`},
		{"end_group alone", "| survey |\n| | type | name | label |\n| | text | a | A |\n| | end_group | | |\n",
			"survey sheet, row 4, column type: end_group without a begin_group before it"},
		{"group never ended", "| survey |\n| | type | name | label |\n| | begin_group | g | G |\n| | text | a | A |\n",
			"survey sheet, row 3, column type: the group g has no end_group after it"},
		{"rank of one", "| survey |\n| | type | name | label |\n| | rank r | a | A |\n| choices |\n| | list_name | name | label |\n| | r | x | X |\n",
			"survey sheet, row 3, column type: rank needs a list of two or more choices"},
		{"group relevant on its own question", "| survey |\n| | type | name | label | relevant |\n| | begin_group | g | G | ${a} = 'x' |\n| | text | a | A | |\n| | end_group | | | |\n",
			"circular relevant"},
		{"language without a code", "| survey |\n| | type | name | label::English |\n| | text | a | A |\n",
			"survey sheet, row 2, column label::English: write the language as its name and code"},
		{"dot in relevant", "| survey |\n| | type | name | label | relevant |\n| | integer | a | A | . > 1 |\n",
			`survey sheet, row 3, column relevant: "." means this question's own answer`},
		{"reference not in list", "| survey |\n| | type | name | label | analysis |\n| | select_one g | a | A | dimension reference=zz |\n| choices |\n| | list_name | name | label |\n| | g | x | X |\n| | g | y | Y |\n",
			"survey sheet, row 3, column analysis: reference=zz: the list g has no choice named zz"},
		{"outcome on text", "| survey |\n| | type | name | label | analysis |\n| | text | a | A | outcome |\n",
			"only select_one and select_multiple questions can be an outcome"},
		{"likert on text", "| survey |\n| | type | name | label | appearance |\n| | text | a | A | likert |\n",
			`the appearance "likert" is not supported for text`},
		{"required typo", "| survey |\n| | type | name | label | required |\n| | text | a | A | yse |\n",
			`survey sheet, row 3, column required: write yes or no, not "yse"`},
		{"missing label", "| survey |\n| | type | name | label |\n| | text | a | |\n",
			"the question a needs a label"},
		{"or_other clash", "| survey |\n| | type | name | label |\n| | text | a_other | B |\n| | select_one l or_other | a | A |\n| choices |\n| | list_name | name | label |\n| | l | x | X |\n",
			"or_other adds an answer named a_other, but row 3 already uses that name"},
		{"unsupported type", "| survey |\n| | type | name | label |\n| | geopoint | a | A |\n",
			`the question type "geopoint" is not supported`},
		{"fine", "| survey |\n| | type | name | label |\n| | text | a | A |\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wb, err := survey.ReadMarkdown(strings.NewReader(tc.md))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = survey.Compile(wb)
			var fe *survey.FormError
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Compile() = %v, want no problems", err)
			case tc.want != "" && !errors.As(err, &fe):
				t.Errorf("Compile() = %v, want a *FormError", err)
			case tc.want != "" && !strings.Contains(fe.Problems[0].String(), tc.want):
				t.Errorf("first problem:\n got %s\nwant …%s…", fe.Problems[0], tc.want)
			}
		})
	}
}

func TestImportReport(t *testing.T) {
	md := `| survey |
| | type | name | label::English (en) | label::Español (es) | relevant |
| | begin_group | g | Page | Página | |
| | select_one yn | a | A? | ¿A? | |
| | text | b | Why? | | ${a} = 'y' |
| | end_group | | | | |
| choices |
| | list_name | name | label::English (en) | label::Español (es) |
| | yn | y | Yes | Sí |
| | yn | n | No | No |
| notes |
| | anything |
`
	wb, err := survey.ReadMarkdown(strings.NewReader(md))
	if err != nil {
		t.Fatal(err)
	}
	d, report, err := survey.Compile(wb)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, n := range report.Notes {
		notes = append(notes, n.String())
	}
	want := []string{
		"notes sheet: this sheet is not part of an XLSForm and was ignored",
		"survey sheet, row 5, column label::Español (es): the question b has no Español label; the English one is shown instead",
		"survey sheet, row 5, column relevant: ${b} depends on ${a}, which is on the same page, so it starts a new page: " +
			"pages are worked out on the server, so that the survey works without JavaScript",
	}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	pages := d.Pages()
	if len(pages) != 2 || pages[1].MovedBy != "a" || pages[1].Questions[0].Name != "b" {
		t.Errorf("pages = %+v, want b moved to a second page of the group", pages)
	}
}

func TestLanguages(t *testing.T) {
	d := forms(t)["arabic-rtl.md"]
	if d.Languages[0].Code != "ar" || !d.Languages[0].RTL() || d.Languages[0].Dir() != "rtl" {
		t.Errorf("arabic-rtl.md: first language %+v, want Arabic, right to left", d.Languages[0])
	}
	for code, rtl := range map[string]bool{"ar": true, "he": true, "fa": true, "ur": true, "ar-EG": true, "en": false, "es": false, "zh-Hant": false} {
		if got := (survey.Language{Code: code}).RTL(); got != rtl {
			t.Errorf("Language{%s}.RTL() = %v, want %v", code, got, rtl)
		}
	}
	def := forms(t)["healthtech-barriers.md"]
	got := []string{}
	for _, l := range def.Languages {
		got = append(got, l.Column())
	}
	if !slices.Equal(got, []string{"English (en)", "Español (es)"}) {
		t.Errorf("default survey languages = %v", got)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Career barriers in healthtech": "career-barriers-in-healthtech",
		"  Hub census: 2026!  ":         "hub-census-2026",
		"form_id_with_underscores":      "form-id-with-underscores",
		"استبيان":                       "",
		"":                              "",
	} {
		if got := survey.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadFormNames(t *testing.T) {
	if _, _, err := survey.ReadForm("survey.csv", strings.NewReader("")); err == nil || !strings.Contains(err.Error(), `not ".csv"`) {
		t.Errorf("ReadForm(survey.csv) = %v, want a message about the file type", err)
	}
	md := "| survey |\n| | type | name | label |\n| | text | a | A |\n| settings |\n| | form_title |\n| | Import |\n"
	if _, _, err := survey.ReadForm("x.md", strings.NewReader(md)); err == nil || !strings.Contains(err.Error(), `"import" is a word the site's own addresses use`) {
		t.Errorf("ReadForm of a survey titled Import = %v, want a refusal", err)
	}
	md = "| survey |\n| | type | name | label |\n| | text | a | A |\n| settings |\n| | form_title |\n| | Hub census 2026 |\n"
	d, report, err := survey.ReadForm("x.md", strings.NewReader(md))
	if err != nil || d.Settings.ID != "hub-census-2026" || len(report.Notes) != 1 {
		t.Errorf("ReadForm without form_id = %+v, %v, %v; want the slug made from the title, with a note", d.Settings, report, err)
	}
}
