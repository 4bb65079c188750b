package survey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestReadMarkdown(t *testing.T) {
	tests := []struct {
		name string
		md   string
		want *Workbook
	}{
		{
			name: "the example in docs/surveys.md",
			md: `| survey |                    |            |                              |
|        | type               | name       | label::English (en)          |
|        | select_one yes_no  | consent    | Do you agree to take part?   |

| choices |           |      |                     |
|         | list_name | name | label::English (en) |
|         | yes_no    | yes  | Yes                 |
|         | yes_no    | no   | No                  |

| settings |                |                          |
|          | form_id        | form_title::English (en) |
|          | my-survey      | My survey                |
`,
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type", "name", "label::English (en)"}, Rows: []Row{
					{Number: 3, Cells: []string{"select_one yes_no", "consent", "Do you agree to take part?"}},
				}},
				{Name: "choices", Columns: []string{"list_name", "name", "label::English (en)"}, Rows: []Row{
					{Number: 7, Cells: []string{"yes_no", "yes", "Yes"}},
					{Number: 8, Cells: []string{"yes_no", "no", "No"}},
				}},
				{Name: "settings", Columns: []string{"form_id", "form_title::English (en)"}, Rows: []Row{
					{Number: 12, Cells: []string{"my-survey", "My survey"}},
				}},
			}},
		},
		{
			name: "prose, headings, indented rows and separator rows",
			md: "# A survey\n\nSome prose | with a pipe in it.\n" +
				"   | survey |\n" +
				"|---|:---:|---:|\n" +
				"\t|  | type | name |\n" +
				"| :-- | --- |\n" +
				"|  | text | q1 |\n" +
				"> | a quote is not a table row |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type", "name"}, Rows: []Row{
					{Number: 8, Cells: []string{"text", "q1"}},
				}},
			}},
		},
		{
			name: "a data row of dashes is not a separator",
			md:   "| survey |\n|  | type |\n|  | --- |\n| :-: |  |\n|  | - |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type"}, Rows: []Row{{Number: 3, Cells: []string{"---"}}}},
				{Name: ":-:", Columns: []string{"-"}},
			}},
		},
		{
			name: "escapes",
			md: `| survey |
|  | a | b | c | d | e | f |
|  | x \| y | one\ntwo | back\\slash | \d stays | ends\\| \|\| |
`,
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"a", "b", "c", "d", "e", "f"}, Rows: []Row{
					{Number: 3, Cells: []string{"x | y", "one\ntwo", `back\slash`, `\d stays`, `ends\`, "||"}},
				}},
			}},
		},
		{
			name: "a backslash at the end of a row is kept",
			md:   "| survey |\n|  | a |\n|  | b \\",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"a"}, Rows: []Row{{Number: 3, Cells: []string{`b \`}}}},
			}},
		},
		{
			name: "cells are trimmed, escaped line breaks at the ends too",
			md:   "| survey |\n|  |   type   | name\t|\n|  |  \\n text \\n  |   q1   |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type", "name"}, Rows: []Row{{Number: 3, Cells: []string{"text", "q1"}}}},
			}},
		},
		{
			name: "sheet names are lower-cased",
			md:   "| SURVEY |\n|  | type |\n| Choices |\n|  | name |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type"}},
				{Name: "choices", Columns: []string{"name"}},
			}},
		},
		{
			name: "the header may share the sheet-name row, as pyxform reads it",
			md:   "| survey | type | name |\n|  | note | hello |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type", "name"}, Rows: []Row{{Number: 2, Cells: []string{"note", "hello"}}}},
			}},
		},
		{
			name: "short rows are padded and empty extra cells dropped",
			md:   "| survey |\n|  | type | name | label |\n|  | text |\n|  | note | n | Hi |  |  |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type", "name", "label"}, Rows: []Row{
					{Number: 3, Cells: []string{"text", "", ""}},
					{Number: 4, Cells: []string{"note", "n", "Hi"}},
				}},
			}},
		},
		{
			name: "empty rows are skipped, before the first sheet too",
			md:   "|  |  |\n| survey |\n|  |  |\n|  | type |\n||\n|\n|  | text |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type"}, Rows: []Row{{Number: 7, Cells: []string{"text"}}}},
			}},
		},
		{
			name: "the closing pipe is optional",
			md:   "| survey\n|  | type | name\n|  | text | q1\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type", "name"}, Rows: []Row{{Number: 3, Cells: []string{"text", "q1"}}}},
			}},
		},
		{
			name: "an empty sheet is kept, with no columns",
			md:   "| notes |\n\n| survey |\n|  | type |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "notes"},
				{Name: "survey", Columns: []string{"type"}},
			}},
		},
		{
			name: "a column with no name and no values is dropped",
			md:   "| survey |\n|  | type |  | name |\n|  | text |  | q1 |\n|  | note |\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type", "name"}, Rows: []Row{
					{Number: 3, Cells: []string{"text", "q1"}},
					{Number: 4, Cells: []string{"note", ""}},
				}},
			}},
		},
		{
			name: "Windows line endings and a byte order mark",
			md:   "\uFEFF| survey |\r\n|  | type |\r\n|  | text |\r\n",
			want: &Workbook{Sheets: []*Sheet{
				{Name: "survey", Columns: []string{"type"}, Rows: []Row{{Number: 3, Cells: []string{"text"}}}},
			}},
		},
		{
			name: "a file with no tables",
			md:   "# Nothing here\n\nJust prose.\n",
			want: &Workbook{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadMarkdown(strings.NewReader(tt.md))
			if err != nil {
				t.Fatalf("ReadMarkdown: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Sheet{}, "HeaderRow")); diff != "" {
				t.Errorf("ReadMarkdown: workbook differs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadMarkdownFile reads a survey written in the style of pyxform's
// tests, with prose, separator rows, translations and a settings sheet.
func TestReadMarkdownFile(t *testing.T) {
	f, err := os.Open("testdata/sheets/translated.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadMarkdown(f)
	if err != nil {
		t.Fatalf("ReadMarkdown(translated.md): %v", err)
	}
	want := &Workbook{Sheets: []*Sheet{
		{
			Name:    "survey",
			Columns: []string{"type", "name", "label::English (en)", "label::Français (fr)", "required"},
			Rows: []Row{
				{Number: 12, Cells: []string{"select_one yes_no", "consent", "Do you agree to take part?", "Acceptez-vous de participer ?", "yes"}},
				{Number: 13, Cells: []string{"integer", "visits", "Visits this year", "Visites cette année", ""}},
				{Number: 14, Cells: []string{"text", "comments", "Anything else?\nTell us here.", "Autre chose ?", ""}},
			},
		},
		{
			Name:    "choices",
			Columns: []string{"list_name", "name", "label::English (en)", "label::Français (fr)"},
			Rows: []Row{
				{Number: 22, Cells: []string{"yes_no", "yes", "Yes | Agree", "Oui"}},
				{Number: 23, Cells: []string{"yes_no", "no", "No", "Non"}},
			},
		},
		{
			Name:    "settings",
			Columns: []string{"form_id", "form_title::English (en)", "form_title::Français (fr)", "default_language"},
			Rows: []Row{
				{Number: 29, Cells: []string{"clinic", "Clinic access", "Accès aux cliniques", "English (en)"}},
			},
		},
	}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Sheet{}, "HeaderRow")); diff != "" {
		t.Errorf("ReadMarkdown(translated.md): workbook differs (-want +got):\n%s", diff)
	}
}

func TestReadMarkdownErrors(t *testing.T) {
	tests := []struct {
		name string
		md   string
		want string
	}{
		{
			name: "a row before any sheet name",
			md:   "# Survey\n\n|  | type | name |\n| survey |\n",
			want: `line 3: a table row before any sheet name: start the table with a row such as "| survey |"`,
		},
		{
			name: "more cells than the header",
			md:   "| survey |\n|  | a | b | c | d | e |\n|  | 1 | 2 | 3 | 4 | 5 | 6 | 7 |  |\n",
			want: "line 3: this row has 7 cells but the survey sheet's header has 5",
		},
		{
			name: "a value under a column with no name",
			md:   "| survey |\n|  | type |  | name |\n|  | text |  | q1 |\n|  | note | oops | q2 |\n",
			want: "line 4: this row has a value in column 2, but the survey sheet's header (line 2) has no name for that column",
		},
		{
			name: "the same sheet twice, in other capitals",
			md:   "| survey |\n|  | type |\n\n| choices |\n|  | name |\n| Survey |\n",
			want: `line 6: sheet "survey" appears twice (lines 1 and 6)`,
		},
		{
			name: "the same column twice",
			md:   "| choices |\n|  | list_name | name | label | x | name |\n",
			want: `line 2: sheet "choices": column "name" appears twice (columns 2 and 5)`,
		},
		{
			name: "too many columns",
			md:   "| survey |\n|  |" + strings.Repeat(" c |", 201) + "\n",
			want: `sheet "survey" has more than 200 columns`,
		},
		{
			name: "too many rows",
			md:   "| survey |\n|  | type |\n" + strings.Repeat("|  | note |\n", 10_001),
			want: `sheet "survey" has more than 10,000 rows`,
		},
		{
			name: "text that is not UTF-8",
			md:   "| survey |\n|  | label |\n|  | Caf\xe9 |\n",
			want: "line 3: the text is not UTF-8: save the file with the UTF-8 encoding",
		},
		{
			name: "an .xlsx workbook",
			md:   "PK\x03\x04\x14\x00\x06\x00",
			want: "the file is a zip archive, such as an .xlsx workbook, not a Markdown text file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := ReadMarkdown(strings.NewReader(tt.md))
			if err == nil {
				t.Fatalf("ReadMarkdown = %d sheets, want error %q", len(wb.Sheets), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ReadMarkdown error = %q, want %q", err, tt.want)
			}
		})
	}
}

// TestReadLimits checks that both readers refuse a file larger than
// 20 MB, and report a failing reader.
func TestReadLimits(t *testing.T) {
	readers := []struct {
		name string
		read func(io.Reader) (*Workbook, error)
	}{
		{"ReadMarkdown", ReadMarkdown},
		{"ReadXLSX", ReadXLSX},
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			big := io.LimitReader(endless('|'), 20<<20+1)
			if _, err := rd.read(big); err == nil || err.Error() != "the file is larger than 20 MB" {
				t.Errorf("%s(20 MB and a byte) error = %v, want %q", rd.name, err, "the file is larger than 20 MB")
			}
			broken := iotest.ErrReader(errors.New("disk on fire"))
			if _, err := rd.read(broken); err == nil || err.Error() != "reading the file: disk on fire" {
				t.Errorf("%s(failing reader) error = %v, want %q", rd.name, err, "reading the file: disk on fire")
			}
		})
	}
}

// endless is a reader of the same byte for ever.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestWriteMarkdown(t *testing.T) {
	wb := &Workbook{Sheets: []*Sheet{
		{
			Name:    "Survey",
			Columns: []string{"type", "name", "label::中文 (zh)"},
			Rows: []Row{
				{Number: 2, Cells: []string{"text", "q1", "a | b"}},
				{Number: 3, Cells: []string{"", " ", ""}}, // empty: left out
				{Number: 4, Cells: []string{"note", "  n  ", "line one\r\nline two"}},
				{Number: 5, Cells: []string{`c:\temp`}}, // short: padded
			},
		},
		{Name: "notes"},
		{Name: "settings", Columns: []string{"form_id"}, Rows: []Row{{Cells: []string{"s"}}}},
	}}
	// Widths count runes, so the column with Chinese characters is a
	// little wider on screen than the others; they are measured on the
	// escaped text (c:\\temp).
	want := `| Survey |          |      |                    |
|        | type     | name | label::中文 (zh)     |
|        | text     | q1   | a \| b             |
|        | note     | n    | line one\nline two |
|        | c:\\temp |      |                    |

| notes |

| settings |         |
|          | form_id |
|          | s       |
`
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, wb); err != nil {
		t.Fatalf("WriteMarkdown: %v", err)
	}
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteMarkdown output differs (-want +got):\n%s", diff)
	}
}

// TestWriteMarkdownSeparatorName checks that a sheet with no columns whose
// name looks like a separator row is still written as a sheet.
func TestWriteMarkdownSeparatorName(t *testing.T) {
	wb := &Workbook{Sheets: []*Sheet{{Name: "---"}}}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, wb); err != nil {
		t.Fatalf("WriteMarkdown: %v", err)
	}
	if got, want := buf.String(), "| --- |  |\n"; got != want {
		t.Errorf("WriteMarkdown = %q, want %q", got, want)
	}
}

// TestWriteRefusesBadWorkbooks checks that both writers refuse a workbook
// that would not read back as it is.
func TestWriteRefusesBadWorkbooks(t *testing.T) {
	tests := []struct {
		name string
		wb   *Workbook
		want string
	}{
		{
			name: "a sheet with no name",
			wb:   &Workbook{Sheets: []*Sheet{{Name: "survey"}, {Name: "  "}}},
			want: "sheet 2 of the workbook has no name",
		},
		{
			name: "two sheets of the same name",
			wb:   &Workbook{Sheets: []*Sheet{{Name: "survey"}, {Name: "Survey"}}},
			want: `the workbook has two sheets named "survey"`,
		},
		{
			name: "a column with no name",
			wb:   &Workbook{Sheets: []*Sheet{{Name: "survey", Columns: []string{"type", "", "name"}}}},
			want: `sheet "survey": column 2 has no name`,
		},
		{
			name: "the same column twice",
			wb:   &Workbook{Sheets: []*Sheet{{Name: "choices", Columns: []string{"name", "label", " name "}}}},
			want: `sheet "choices": column "name" appears twice (columns 1 and 3)`,
		},
		{
			name: "a row longer than the header",
			wb: &Workbook{Sheets: []*Sheet{{Name: "survey", Columns: []string{"type"}, Rows: []Row{
				{Cells: []string{"text"}}, {Cells: []string{"text", "q1"}},
			}}}},
			want: `sheet "survey": data row 2 has 2 cells but the header has 1`,
		},
	}
	writers := []struct {
		name  string
		write func(io.Writer, *Workbook) error
	}{
		{"WriteMarkdown", WriteMarkdown},
		{"WriteXLSX", WriteXLSX},
	}
	for _, tt := range tests {
		for _, w := range writers {
			t.Run(tt.name+"/"+w.name, func(t *testing.T) {
				var buf bytes.Buffer
				err := w.write(&buf, tt.wb)
				if err == nil || err.Error() != tt.want {
					t.Errorf("%s error = %v, want %q", w.name, err, tt.want)
				}
				if buf.Len() != 0 {
					t.Errorf("%s wrote %d bytes before failing, want none", w.name, buf.Len())
				}
			})
		}
	}
}

// TestMarkdownRoundTrip writes random workbooks and reads them back.
func TestMarkdownRoundTrip(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 1))
		wb := randomWorkbook(rng)
		var buf bytes.Buffer
		if err := WriteMarkdown(&buf, wb); err != nil {
			t.Fatalf("seed %d: WriteMarkdown: %v", seed, err)
		}
		got, err := ReadMarkdown(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("seed %d: ReadMarkdown: %v\n%s", seed, err, buf.String())
		}
		if diff := cmp.Diff(tidied(wb), got, ignoreRowNumbers...); diff != "" {
			t.Fatalf("seed %d: ReadMarkdown(WriteMarkdown(wb)) differs from wb (-want +got):\n%s\nMarkdown:\n%s", seed, diff, buf.String())
		}
	}
}

// FuzzMarkdownRoundTrip checks that whatever ReadMarkdown reads, it reads
// again the same from WriteMarkdown's output, and that it never panics.
func FuzzMarkdownRoundTrip(f *testing.F) {
	f.Add("| survey |\n|  | type | name |\n|  | text | q1 |\n")
	f.Add("| Survey | type |\n|---|---|\n|  | a \\| b \\n c \\\\ |\n| choices\n|  | x |  | y\n")
	f.Add("|  |\n| --- | |\n| :-: |\n|  | \\\\| \\")
	f.Fuzz(func(t *testing.T, md string) {
		wb, err := ReadMarkdown(strings.NewReader(md))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteMarkdown(&buf, wb); err != nil {
			t.Fatalf("WriteMarkdown of a workbook ReadMarkdown read: %v", err)
		}
		got, err := ReadMarkdown(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("ReadMarkdown of WriteMarkdown's output: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(wb, got, ignoreRowNumbers...); diff != "" {
			t.Fatalf("ReadMarkdown(WriteMarkdown(wb)) differs from wb (-want +got):\n%s\nMarkdown:\n%s", diff, buf.String())
		}
	})
}

var ignoreRowNumbers = []cmp.Option{cmpopts.IgnoreFields(Row{}, "Number"), cmpopts.IgnoreFields(Sheet{}, "HeaderRow"), cmpopts.EquateEmpty()}

// Pieces of random cells: what the formats must carry through, and what
// they must not take for something else.
var cellPieces = []string{
	"a", "Z", "7", "é", "ß", "中文", "🙂", "العربية", " ", "  ", "\t", "\n", "\r\n", "\r",
	"|", `\`, `\|`, `\n`, `\\`, "-", "---", ":", "#", "'", `"`, "<b>&amp;</b>",
	"=1+1", "001", "2.5", "1e5", "TRUE", "_x000D_", "label::English (en)", "${q1} > 3",
}

// randomWorkbook makes a workbook that both formats can hold: sheets with
// distinct names an .xlsx sheet may have, and columns with distinct,
// non-empty names. Cells may be empty, untidy or missing at a row's end,
// and rows may be empty.
func randomWorkbook(rng *rand.Rand) *Workbook {
	wb := &Workbook{}
	names := map[string]bool{}
	for range 1 + rng.IntN(3) {
		name := ""
		for name == "" || names[strings.ToLower(name)] {
			name = tidyCell(randomText(rng, []string{"a", "b", "Q", "é", "_", " ", "1"}, 1+rng.IntN(12)))
		}
		names[strings.ToLower(name)] = true
		s := &Sheet{Name: name}
		columns := map[string]bool{}
		for range rng.IntN(6) {
			c := ""
			for tidyCell(c) == "" || columns[tidyCell(c)] {
				c = randomText(rng, cellPieces, 1+rng.IntN(4))
			}
			columns[tidyCell(c)] = true
			s.Columns = append(s.Columns, c)
		}
		for range rng.IntN(7) {
			cells := make([]string, rng.IntN(len(s.Columns)+1))
			for j := range cells {
				if rng.IntN(4) > 0 {
					cells[j] = randomText(rng, cellPieces, rng.IntN(6))
				}
			}
			s.Rows = append(s.Rows, Row{Number: rng.IntN(100), Cells: cells})
		}
		wb.Sheets = append(wb.Sheets, s)
	}
	return wb
}

func randomText(rng *rand.Rand, pieces []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// tidied is the workbook as a reader gives it back: names in lower case,
// cells tidied, short rows padded, empty rows left out.
func tidied(wb *Workbook) *Workbook {
	out := &Workbook{}
	for _, s := range wb.Sheets {
		t := &Sheet{Name: strings.ToLower(tidyCell(s.Name))}
		for _, c := range s.Columns {
			t.Columns = append(t.Columns, tidyCell(c))
		}
		for _, r := range s.Rows {
			cells := make([]string, len(s.Columns))
			empty := true
			for j, c := range r.Cells {
				cells[j] = tidyCell(c)
				empty = empty && cells[j] == ""
			}
			if !empty {
				t.Rows = append(t.Rows, Row{Number: r.Number, Cells: cells})
			}
		}
		out.Sheets = append(out.Sheets, t)
	}
	return out
}

func ExampleWriteMarkdown() {
	wb := &Workbook{Sheets: []*Sheet{{
		Name:    "choices",
		Columns: []string{"list_name", "name", "label::English (en)"},
		Rows: []Row{
			{Cells: []string{"yes_no", "yes", "Yes | Agree"}},
			{Cells: []string{"yes_no", "no", "No"}},
		},
	}}}
	if err := WriteMarkdown(os.Stdout, wb); err != nil {
		fmt.Println(err)
	}
	// Output:
	// | choices |           |      |                     |
	// |         | list_name | name | label::English (en) |
	// |         | yes_no    | yes  | Yes \| Agree        |
	// |         | yes_no    | no   | No                  |
}

// TestHeaderRow: each sheet knows where its header is, so that problems
// with a column can name its row.
func TestHeaderRow(t *testing.T) {
	md := "Prose first.\n\n| survey |\n| --- |\n| | type | name |\n| | text | a |\n\n| settings | form_id |\n| | x |\n"
	wb, err := ReadMarkdown(strings.NewReader(md))
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{wb.Sheets[0].HeaderRow, wb.Sheets[1].HeaderRow}; got[0] != 5 || got[1] != 8 {
		t.Errorf("Markdown header rows = %v, want [5 8] (the header on the sheet-name line counts)", got)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, wb); err != nil {
		t.Fatal(err)
	}
	back, err := ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Sheets[0].HeaderRow != 1 {
		t.Errorf("XLSX header row = %d, want 1", back.Sheets[0].HeaderRow)
	}
}
