package survey

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"

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

// NewTableWriter returns a writer for the format: csv, xlsx (one sheet,
// "responses") or json (an array of objects keyed by column).
func NewTableWriter(w io.Writer, format string) (TableWriter, error) {
	switch format {
	case "csv":
		return &csvTable{w: csv.NewWriter(w)}, nil
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

type csvTable struct{ w *csv.Writer }

func (t *csvTable) Header(cols []string) error { return t.w.Write(cols) }
func (t *csvTable) Row(cells []string) error   { return t.w.Write(cells) }
func (t *csvTable) Close() error {
	t.w.Flush()
	return t.w.Error()
}

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
		row[i] = c // as text: a choice named 001 stays 001
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
