package survey

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"
)

// TestReadXLSXLibreOffice reads a workbook LibreOffice wrote (see
// testdata/sheets/README.md): booleans, numbers, a date, formulas, text
// that looks like a number, a line break in a cell, a header below an
// empty row, a hidden sheet and an empty one.
func TestReadXLSXLibreOffice(t *testing.T) {
	got := mustReadXLSXFile(t, "testdata/sheets/libreoffice.xlsx")
	want := &Workbook{Sheets: []*Sheet{
		{
			Name:    "survey",
			Columns: []string{"type", "name", "label::English (en)", "label::Español (es)", "required"},
			Rows: []Row{
				{Number: 2, Cells: []string{"integer", "age", "How old are you?", "¿Cuántos años tiene?", "true"}},
				{Number: 4, Cells: []string{"select_one yes_no", "consent", "Do you agree?\nTake your time.", "¿Está de acuerdo?", "false"}},
			},
		},
		{
			Name:    "choices",
			Columns: []string{"list_name", "name", "label::English (en)"},
			Rows: []Row{
				{Number: 2, Cells: []string{"yes_no", "1", "Yes"}},
				{Number: 3, Cells: []string{"yes_no", "001", "No"}},
			},
		},
		{
			Name:    "numbers",
			Columns: []string{"kind", "value"},
			Rows: []Row{
				{Number: 2, Cells: []string{"fraction", "2.5"}},
				{Number: 3, Cells: []string{"large integer", "20261123"}},
				{Number: 4, Cells: []string{"negative", "-3"}},
				{Number: 5, Cells: []string{"tiny", "0.000015"}},            // stored as 1.5E-005
				{Number: 6, Cells: []string{"two places", "1234.5"}},        // shown as 1,234.50
				{Number: 7, Cells: []string{"percent", "0.5"}},              // shown as 50%
				{Number: 8, Cells: []string{"date", "46349"}},               // shown as 2026-11-23
				{Number: 9, Cells: []string{"formula", "0.3"}},              // =0.1+0.2
				{Number: 10, Cells: []string{"text formula", "ab"}},         // ="a"&"b"
				{Number: 11, Cells: []string{"text like a number", "2.50"}}, // text, not a number
			},
		},
		{
			Name:    "settings",
			Columns: []string{"form_id", "version"},
			Rows:    []Row{{Number: 3, Cells: []string{"barriers", "20261123"}}},
		},
		{Name: "notes", Columns: []string{"a hidden sheet"}},
		{Name: "empty"},
	}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Sheet{}, "HeaderRow")); diff != "" {
		t.Errorf("ReadXLSX(libreoffice.xlsx): workbook differs (-want +got):\n%s", diff)
	}
}

func TestReadXLSX(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T, f *excelize.File)
		want  *Workbook
	}{
		{
			name: "values of every type",
			build: func(t *testing.T, f *excelize.File) {
				setRow(t, f, "Sheet1", 1, "float", "whole float", "integer", "true", "false", "text", "sum", "huge", "tiny", "negative zero", "padded", "lines")
				setRow(t, f, "Sheet1", 2, 2.5, 1.0, 20261123, true, false, "001", 0.1+0.2, 1e21, 1.5e-10, math.Copysign(0, -1), "  yes  ", "one\r\ntwo\rthree")
			},
			want: &Workbook{Sheets: []*Sheet{{
				Name:    "sheet1",
				Columns: []string{"float", "whole float", "integer", "true", "false", "text", "sum", "huge", "tiny", "negative zero", "padded", "lines"},
				Rows: []Row{{Number: 2, Cells: []string{
					"2.5", "1", "20261123", "true", "false", "001", "0.3", "1e+21", "1.5e-10", "0", "yes", "one\ntwo\nthree",
				}}},
			}}},
		},
		{
			name: "inline and shared strings",
			build: func(t *testing.T, f *excelize.File) {
				setRow(t, f, "Sheet1", 1, "name", "label")
				setRow(t, f, "Sheet1", 2, "q1", "Shared")
				if _, err := f.NewSheet("Inline"); err != nil {
					t.Fatal(err)
				}
				sw, err := f.NewStreamWriter("Inline") // writes strings inline, in the sheet
				if err != nil {
					t.Fatal(err)
				}
				for i, row := range [][]any{{"name", "label"}, {"q1", "Inline"}, {"007", 7}} {
					cell, _ := excelize.CoordinatesToCellName(1, i+1)
					if err := sw.SetRow(cell, row); err != nil {
						t.Fatal(err)
					}
				}
				if err := sw.Flush(); err != nil {
					t.Fatal(err)
				}
			},
			want: &Workbook{Sheets: []*Sheet{
				{Name: "sheet1", Columns: []string{"name", "label"}, Rows: []Row{{Number: 2, Cells: []string{"q1", "Shared"}}}},
				{Name: "inline", Columns: []string{"name", "label"}, Rows: []Row{
					{Number: 2, Cells: []string{"q1", "Inline"}},
					{Number: 3, Cells: []string{"007", "7"}},
				}},
			}},
		},
		{
			name: "the header is the first row with something in it; empty rows are skipped",
			build: func(t *testing.T, f *excelize.File) {
				setRow(t, f, "Sheet1", 2, "", " ", "")
				setRow(t, f, "Sheet1", 3, "", "type", "name")
				setRow(t, f, "Sheet1", 4, "", "text", "q1")
				setRow(t, f, "Sheet1", 6, "", "note", "")
				if err := f.SetSheetName("Sheet1", " SURVEY "); err != nil {
					t.Fatal(err)
				}
			},
			want: &Workbook{Sheets: []*Sheet{{
				Name:    "survey",
				Columns: []string{"type", "name"},
				Rows: []Row{
					{Number: 4, Cells: []string{"text", "q1"}},
					{Number: 6, Cells: []string{"note", ""}},
				},
			}}},
		},
		{
			name: "a column with no name and no values is dropped",
			build: func(t *testing.T, f *excelize.File) {
				setRow(t, f, "Sheet1", 1, "type", "", "name")
				setRow(t, f, "Sheet1", 2, "text", "", "q1")
			},
			want: &Workbook{Sheets: []*Sheet{{
				Name:    "sheet1",
				Columns: []string{"type", "name"},
				Rows:    []Row{{Number: 2, Cells: []string{"text", "q1"}}},
			}}},
		},
		{
			name: "hidden and empty sheets are kept",
			build: func(t *testing.T, f *excelize.File) {
				setRow(t, f, "Sheet1", 1, "type")
				if _, err := f.NewSheet("Hidden"); err != nil {
					t.Fatal(err)
				}
				setRow(t, f, "Hidden", 1, "x")
				if err := f.SetSheetVisible("Hidden", false); err != nil {
					t.Fatal(err)
				}
				if _, err := f.NewSheet("Empty"); err != nil {
					t.Fatal(err)
				}
			},
			want: &Workbook{Sheets: []*Sheet{
				{Name: "sheet1", Columns: []string{"type"}},
				{Name: "hidden", Columns: []string{"x"}},
				{Name: "empty"},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildXLSX(t, tt.build)
			got, err := ReadXLSX(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("ReadXLSX: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Sheet{}, "HeaderRow")); diff != "" {
				t.Errorf("ReadXLSX: workbook differs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadXLSXPackageForms reads workbooks whose parts are written in
// ways other programs write them, which the reading of cell types must
// follow as excelize does.
func TestReadXLSXPackageForms(t *testing.T) {
	book := func(t *testing.T) []byte {
		return buildXLSX(t, func(t *testing.T, f *excelize.File) {
			setRow(t, f, "Sheet1", 1, "name", "number", "bool")
			setRow(t, f, "Sheet1", 3, "q1", 2.50, true)
		})
	}
	want := &Workbook{Sheets: []*Sheet{{
		Name:    "sheet1",
		Columns: []string{"name", "number", "bool"},
		Rows:    []Row{{Number: 3, Cells: []string{"q1", "2.5", "true"}}},
	}}}
	tests := []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{
			name: "an absolute path to the sheet",
			data: func(t *testing.T) []byte {
				return rewriteZipPart(t, book(t), "xl/_rels/workbook.xml.rels", func(s string) string {
					return strings.Replace(s, `Target="worksheets/sheet1.xml"`, `Target="/xl/worksheets/sheet1.xml"`, 1)
				})
			},
		},
		{
			name: "cells without references",
			data: func(t *testing.T) []byte {
				return rewriteZipPart(t, book(t), "xl/worksheets/sheet1.xml", func(s string) string {
					return regexp.MustCompile(`<c r="[A-Z]+[0-9]+"`).ReplaceAllString(s, "<c")
				})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadXLSX(bytes.NewReader(tt.data(t)))
			if err != nil {
				t.Fatalf("ReadXLSX: %v", err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Sheet{}, "HeaderRow")); diff != "" {
				t.Errorf("ReadXLSX: workbook differs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestXLSXStringKinds checks that the fixture of "inline and shared
// strings" above does hold both kinds, so that the test reads both.
func TestXLSXStringKinds(t *testing.T) {
	data := buildXLSX(t, func(t *testing.T, f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "shared")
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", []any{"inline"}); err != nil {
			t.Fatal(err)
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.NewSheet("Sheet2"); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, "Sheet2", 1, "shared")
	})
	for part, kind := range map[string]string{"xl/worksheets/sheet1.xml": `t="inlineStr"`, "xl/worksheets/sheet2.xml": `t="s"`} {
		if xml := zipPart(t, data, part); !strings.Contains(xml, kind) {
			t.Errorf("%s has no cell with %s:\n%s", part, kind, xml)
		}
	}
}

func TestReadXLSXErrors(t *testing.T) {
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want string
	}{
		{
			name: "an empty file",
			data: func(t *testing.T) []byte { return nil },
			want: "the file is empty",
		},
		{
			name: "not a zip archive",
			data: func(t *testing.T) []byte { return []byte("| survey |\n|  | type |\n") },
			want: "the file is not an .xlsx workbook (it is not a zip archive, as every .xlsx file is)",
		},
		{
			name: "an old .xls file",
			data: func(t *testing.T) []byte {
				return append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
			},
			want: "the file is not an .xlsx workbook (it may be an old .xls file, or protected by a password): save it as .xlsx, without a password",
		},
		{
			name: "a zip archive of something else",
			data: func(t *testing.T) []byte {
				return zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
			},
			want: "the file is not an .xlsx workbook (it is a zip archive, but holds no Excel workbook): save it as .xlsx",
		},
		{
			name: "a zip archive that unpacks to more than 100 MB",
			data: func(t *testing.T) []byte {
				return zipOf(t, map[string]string{"xl/worksheets/sheet1.xml": strings.Repeat(" ", 100<<20+1)})
			},
			want: "the file is larger than 100 MB when unpacked",
		},
		{
			name: "too many rows",
			data: func(t *testing.T) []byte {
				return buildXLSX(t, func(t *testing.T, f *excelize.File) {
					sw, err := f.NewStreamWriter("Sheet1")
					if err != nil {
						t.Fatal(err)
					}
					for n := 1; n <= 10_002; n++ { // the header and 10,001 rows
						cell, _ := excelize.CoordinatesToCellName(1, n)
						if err := sw.SetRow(cell, []any{"note"}); err != nil {
							t.Fatal(err)
						}
					}
					if err := sw.Flush(); err != nil {
						t.Fatal(err)
					}
					if err := f.SetSheetName("Sheet1", "Survey"); err != nil {
						t.Fatal(err)
					}
				})
			},
			want: `sheet "survey" has more than 10,000 rows`,
		},
		{
			name: "too many columns",
			data: func(t *testing.T) []byte {
				return buildXLSX(t, func(t *testing.T, f *excelize.File) {
					header := make([]any, 201)
					for j := range header {
						header[j] = "c" + columnName(j)
					}
					setRow(t, f, "Sheet1", 1, header...)
				})
			},
			want: `sheet "sheet1" has more than 200 columns`,
		},
		{
			name: "the same column twice",
			data: func(t *testing.T) []byte {
				return buildXLSX(t, func(t *testing.T, f *excelize.File) {
					setRow(t, f, "Sheet1", 1, "list_name", "name", "label", "x", "name")
					if err := f.SetSheetName("Sheet1", "choices"); err != nil {
						t.Fatal(err)
					}
				})
			},
			want: `sheet "choices": column "name" appears twice (columns B and E)`,
		},
		{
			name: "a value under a column with no name",
			data: func(t *testing.T) []byte {
				return buildXLSX(t, func(t *testing.T, f *excelize.File) {
					setRow(t, f, "Sheet1", 1, "type", "", "name")
					setRow(t, f, "Sheet1", 2, "text", "", "q1")
					setRow(t, f, "Sheet1", 9, "note", "oops", "q2")
				})
			},
			want: `sheet "sheet1", row 9: cell B9 has a value, but the header row (row 1) has no name for column B`,
		},
		{
			name: "a value beyond the header",
			data: func(t *testing.T) []byte {
				return buildXLSX(t, func(t *testing.T, f *excelize.File) {
					setRow(t, f, "Sheet1", 3, "type", "name")
					setRow(t, f, "Sheet1", 4, "text", "q1", "", "", "a note")
				})
			},
			want: `sheet "sheet1", row 4: cell E4 has a value, but the header row (row 3) has no name for column E`,
		},
		{
			name: "two sheets whose names differ only in capitals",
			data: func(t *testing.T) []byte {
				data := buildXLSX(t, func(t *testing.T, f *excelize.File) {
					if _, err := f.NewSheet("Sheet2"); err != nil {
						t.Fatal(err)
					}
				})
				// Excel and excelize refuse such names; another program
				// might not.
				return rewriteZipPart(t, data, "xl/workbook.xml", func(s string) string {
					return strings.Replace(s, `name="Sheet2"`, `name="SHEET1"`, 1)
				})
			},
			want: `the workbook has two sheets named "Sheet1" and "SHEET1": sheet names must differ in more than capitals`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := ReadXLSX(bytes.NewReader(tt.data(t)))
			if err == nil {
				t.Fatalf("ReadXLSX = %d sheets, want error %q", len(wb.Sheets), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ReadXLSX error = %q, want %q", err, tt.want)
			}
		})
	}
}

func TestWriteXLSX(t *testing.T) {
	long := strings.Repeat("x", 100)
	wb := &Workbook{Sheets: []*Sheet{
		{
			Name:    "survey",
			Columns: []string{"type", "name", "label::English (en)", "calculation", "hint"},
			Rows: []Row{
				{Cells: []string{"text", "001", "What is your name?", "=1+1", "_x000D_"}},
				{Cells: []string{"", "", ""}},
				{Cells: []string{"note", "n", "short\n" + long}},
			},
		},
		{Name: "notes"},
		{Name: "Choices", Columns: []string{"name"}},
	}}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, wb); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("excelize cannot open what WriteXLSX wrote: %v", err)
	}
	defer f.Close()

	if got, want := f.GetSheetList(), []string{"survey", "notes", "Choices"}; !cmp.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	cells := []struct {
		cell, want string
		bold, wrap bool
	}{
		{cell: "A1", want: "type", bold: true},
		{cell: "C1", want: "label::English (en)", bold: true},
		{cell: "B2", want: "001"},
		{cell: "D2", want: "=1+1"},
		{cell: "E2", want: "_x000D_"}, // not a carriage return
		{cell: "A3", want: "note"},    // the empty row is left out
		{cell: "C3", want: "short\n" + long, wrap: true},
	}
	for _, c := range cells {
		if got, err := f.GetCellValue("survey", c.cell); err != nil || got != c.want {
			t.Errorf("cell %s = %q, %v; want %q", c.cell, got, err, c.want)
		}
		if typ, err := f.GetCellType("survey", c.cell); err != nil || typ != excelize.CellTypeInlineString {
			t.Errorf("cell %s has type %v, %v; want an inline string", c.cell, typ, err)
		}
		if formula, err := f.GetCellFormula("survey", c.cell); err != nil || formula != "" {
			t.Errorf("cell %s has formula %q, %v; want none", c.cell, formula, err)
		}
		style := cellStyle(t, f, "survey", c.cell)
		if bold := style.Font != nil && style.Font.Bold; bold != c.bold {
			t.Errorf("cell %s bold = %t, want %t", c.cell, bold, c.bold)
		}
		if wrap := style.Alignment != nil && style.Alignment.WrapText; wrap != c.wrap {
			t.Errorf("cell %s wraps = %t, want %t", c.cell, wrap, c.wrap)
		}
	}
	widths := map[string]float64{"A": 8, "B": 8, "C": 60, "D": 13, "E": 9} // at least 8, at most 60, else the longest line and 2
	for col, want := range widths {
		if got, err := f.GetColWidth("survey", col); err != nil || got != want {
			t.Errorf("column %s width = %v, %v; want %v", col, got, err, want)
		}
	}
	panes, err := f.GetPanes("survey")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the first row frozen", panes)
	}
}

func TestWriteXLSXErrors(t *testing.T) {
	tests := []struct {
		name string
		wb   *Workbook
		want string
	}{
		{
			name: "no sheets",
			wb:   &Workbook{},
			want: "the workbook has no sheets: an .xlsx file needs at least one",
		},
		{
			name: "a sheet name with a slash",
			wb:   &Workbook{Sheets: []*Sheet{{Name: "survey"}, {Name: "a/b"}}},
			want: `sheet "a/b" cannot be a sheet of an .xlsx workbook: the sheet can not contain any of the characters :\/?*[or]`,
		},
		{
			name: "a cell too long for a spreadsheet",
			wb: &Workbook{Sheets: []*Sheet{{Name: "survey", Columns: []string{"label"}, Rows: []Row{
				{Cells: []string{strings.Repeat("🙂", 16_384)}}, // 32,768 UTF-16 code units
			}}}},
			want: `sheet "survey", column "label": a cell of 16384 characters is longer than an .xlsx cell can hold (32,767)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteXLSX(io.Discard, tt.wb)
			if err == nil || err.Error() != tt.want {
				t.Errorf("WriteXLSX error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestXLSXRoundTrip writes random workbooks and reads them back.
func TestXLSXRoundTrip(t *testing.T) {
	for seed := range uint64(100) {
		rng := rand.New(rand.NewPCG(seed, 1))
		wb := randomWorkbook(rng)
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, wb); err != nil {
			t.Fatalf("seed %d: WriteXLSX: %v", seed, err)
		}
		got, err := ReadXLSX(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("seed %d: ReadXLSX: %v", seed, err)
		}
		if diff := cmp.Diff(tidied(wb), got, ignoreRowNumbers...); diff != "" {
			t.Fatalf("seed %d: ReadXLSX(WriteXLSX(wb)) differs from wb (-want +got):\n%s", seed, diff)
		}
	}
}

func TestNumberText(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{1, "1"},
		{2.5, "2.5"},
		{-3, "-3"},
		{20261123, "20261123"},
		{0.1 + 0.2, "0.3"},
		{123456789012345678, "123456789012346000"}, // 15 significant digits, as a spreadsheet shows
		{1e20, "100000000000000000000"},
		{1e21, "1e+21"},
		{0.000015, "0.000015"},
		{1e-9, "0.000000001"},
		{1.5e-10, "1.5e-10"},
		{math.Copysign(0, -1), "0"},
	}
	for _, tt := range tests {
		if got := numberText(tt.x); got != tt.want {
			t.Errorf("numberText(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func mustReadXLSXFile(t *testing.T, path string) *Workbook {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wb, err := ReadXLSX(f)
	if err != nil {
		t.Fatalf("ReadXLSX(%s): %v", path, err)
	}
	return wb
}

// buildXLSX makes an .xlsx file with excelize.
func buildXLSX(t *testing.T, build func(t *testing.T, f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(t, f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// setRow sets a row's cells from column A on, each with its Go type:
// float64, int, bool or string.
func setRow(t *testing.T, f *excelize.File, sheet string, row int, values ...any) {
	t.Helper()
	for j, v := range values {
		cell, err := excelize.CoordinatesToCellName(j+1, row)
		if err != nil {
			t.Fatal(err)
		}
		if v == "" {
			continue
		}
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return style
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// rewriteZipPart copies a zip archive, changing one part.
func rewriteZipPart(t *testing.T, data []byte, name string, change func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, zf := range zr.File {
		files[zf.Name] = zipPart(t, data, zf.Name)
	}
	files[name] = change(files[name])
	return zipOf(t, files)
}
