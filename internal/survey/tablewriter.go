package survey

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ExportFormats are the formats responses can be exported in.
var ExportFormats = []string{"csv", "xlsx", "json"}

// TableWriter writes a response table, a row at a time, so that exports
// of any size stream.
type TableWriter interface {
	Header(columns []string) error
	Row(cells []string) error
	Close() error
}

// NewTableWriter returns a writer for the format: csv (every cell quoted,
// and a cell a spreadsheet would run as a formula written as text, see
// NeutraliseFormula), xlsx (one sheet, "responses", every cell a string)
// or json (an array of objects keyed by column).
func NewTableWriter(w io.Writer, format string) (TableWriter, error) {
	switch format {
	case "csv":
		return &csvTable{w: bufio.NewWriter(w)}, nil
	case "xlsx":
		f := excelize.NewFile()
		sheet := "responses"
		f.SetSheetName("Sheet1", sheet)
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return nil, err
		}
		return &xlsxTable{out: w, f: f, sw: sw}, nil
	case "json":
		return &jsonTable{w: w}, nil
	}
	return nil, fmt.Errorf("unknown format %q: choose csv, xlsx or json", format)
}

// UnionColumns joins the column lists of several versions of a survey:
// every question's column once, in order of first appearance, then the
// metadata.
func UnionColumns(lists ...[]string) []string {
	var out []string
	for _, cols := range lists {
		for _, c := range cols {
			if !slices.Contains(MetadataColumns, c) && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return append(out, MetadataColumns...)
}

// formulaStarts are the characters with which a cell of a CSV file that a
// spreadsheet opens is run as a formula (CSV injection: a formula can send
// the other cells away, as =HYPERLINK("http://…"&A1) does, or start a
// program).
const formulaStarts = "=+-@\t\r"

// isFormula reports whether a spreadsheet could take the cell for a
// formula: it starts, after any spaces and line feeds, with one of
// formulaStarts, and it is not a plain number such as -0.25 or +1e-5 (a
// number is read as that number, and a numeric column stays numeric).
func isFormula(cell string) bool {
	s := strings.TrimLeft(cell, " \n")
	return s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 && !isNumber(s)
}

// isNumber reports whether s is a decimal number: digits, at most one
// point, an exponent, signs; no hexadecimal, Inf or NaN.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && strings.Trim(s, "0123456789.eE+-") == ""
}

// NeutraliseFormula returns a cell as the CSV exports write it: a cell a
// spreadsheet could take for a formula gets a single quote in front, which
// makes every spreadsheet show it as text, as OWASP recommends. So does a
// cell that is such a one behind quotes already ('=1), so that
// RestoreFormula gives back exactly what was exported. Anything else is
// unchanged.
func NeutraliseFormula(cell string) string {
	if isFormula(strings.TrimLeft(cell, "'")) {
		return "'" + cell
	}
	return cell
}

// RestoreFormula undoes NeutraliseFormula: it takes off the quote that
// NeutraliseFormula put in front, and leaves any other cell as it is.
func RestoreFormula(cell string) string {
	if rest, ok := strings.CutPrefix(cell, "'"); ok && isFormula(strings.TrimLeft(rest, "'")) {
		return rest
	}
	return cell
}

// csvTable writes CSV as RFC 4180 has it, with every cell quoted, so that a
// spreadsheet that splits cells on another character (a semicolon, in many
// countries) cannot start a new cell, and a formula in it, part way
// through one.
type csvTable struct{ w *bufio.Writer }

func (t *csvTable) Header(cols []string) error { return t.Row(cols) }

func (t *csvTable) Row(cells []string) error {
	for i, c := range cells {
		if i > 0 {
			t.w.WriteByte(',')
		}
		t.w.WriteByte('"')
		t.w.WriteString(strings.ReplaceAll(NeutraliseFormula(c), `"`, `""`))
		t.w.WriteByte('"')
	}
	// A bufio.Writer keeps its first error and returns it from then on.
	return t.w.WriteByte('\n')
}

func (t *csvTable) Close() error { return t.w.Flush() }

type xlsxTable struct {
	out io.Writer
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

func (t *xlsxTable) Header(cols []string) error {
	style, err := t.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: style, Value: c}
	}
	if err := t.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return t.write(cells)
}

func (t *xlsxTable) Row(cells []string) error {
	row := make([]any, len(cells))
	for i, c := range cells {
		// A string, which a spreadsheet shows as it is and never runs: a
		// choice named 001 stays 001, an answer =1+1 stays =1+1.
		row[i] = c
	}
	return t.write(row)
}

func (t *xlsxTable) write(cells []any) error {
	t.row++
	cell, err := excelize.CoordinatesToCellName(1, t.row)
	if err != nil {
		return err
	}
	return t.sw.SetRow(cell, cells)
}

func (t *xlsxTable) Close() error {
	if err := t.sw.Flush(); err != nil {
		return err
	}
	if _, err := t.f.WriteTo(t.out); err != nil {
		return err
	}
	return t.f.Close()
}

type jsonTable struct {
	w    io.Writer
	cols []string
	rows int
}

func (t *jsonTable) Header(cols []string) error {
	t.cols = cols
	_, err := io.WriteString(t.w, "[")
	return err
}

func (t *jsonTable) Row(cells []string) error {
	obj := make(map[string]string, len(cells))
	for i, c := range cells {
		if c != "" || t.cols[i][0] == '_' {
			obj[t.cols[i]] = c
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	sep := ",\n"
	if t.rows == 0 {
		sep = "\n"
	}
	t.rows++
	_, err = io.WriteString(t.w, sep+string(b))
	return err
}

func (t *jsonTable) Close() error {
	_, err := io.WriteString(t.w, "\n]\n")
	return err
}
