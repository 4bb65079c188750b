package survey

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The Markdown form of an XLSForm is the convention of pyxform's test suite
// (pyxform/xls2json_backends.py, md_to_dict), written down for authors in
// docs/surveys.md:
//
//	| survey |                   |         |                            |
//	|        | type              | name    | label::English (en)        |
//	|        | select_one yes_no | consent | Do you agree to take part? |
//
// Only lines whose first character other than spaces and tabs is "|" are
// table rows; every other line is prose and is ignored. A row whose first
// cell is not empty starts a sheet of that name. The first row of a sheet
// that has something in it after the first cell is its header; the rest are
// its data rows, one per question, choice or setting. Like pyxform, the
// header may share the sheet-name row: "| survey | type | name |".
//
// Where this reader differs from pyxform's:
//   - Inside a cell, "\|" is a pipe, "\n" a line break and "\\" a backslash
//     (pyxform knows only "\|"); any other backslash is kept as it is. So
//     "\\|" is a backslash that ends its cell.
//   - Text after the last "|" of a row is one more cell, as in GitHub's
//     tables, where the closing pipe is optional; pyxform drops it, and
//     with it any "# comment" there.
//   - A separator row is one whose every cell is dashes with an optional
//     colon at either end (|---|:--:|), as in GitHub's tables. A row with an
//     empty cell is never a separator, so no data row is taken for one.
//   - Sheet names are lower-cased; the same sheet twice is an error, where
//     pyxform keeps the last.
//   - An empty sheet ("| survey |" with no rows) is kept, with no columns.
//   - A data row with more cells than the header is an error, unless the
//     extra cells are empty; one with fewer is padded with empty cells.
//   - A column with no name in the header is dropped when no row has a
//     value in it, and is an error otherwise.
//
// Every cell is tidied as in both formats (see tidyCell): no white space or
// line break at either end, so a cell cannot begin or end with a space.

// ReadMarkdown reads a workbook written as Markdown tables. Row.Number is
// the row's line in the file, counted from 1. The errors name the line at
// fault.
func ReadMarkdown(r io.Reader) (*Workbook, error) {
	data, err := readFileLimited(r)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, errors.New("the file is a zip archive, such as an .xlsx workbook, not a Markdown text file")
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a byte order mark, as some Windows editors write

	var (
		wb        = &Workbook{}
		sheet     *Sheet
		header    []string           // the sheet's header as written, with "" for unnamed columns
		headerAt  int                // the header's line, 0 before it is read
		sheetLine = map[string]int{} // sheet name → the line that started it
	)
	// A "\r" ending a line, as Windows writes, is trimmed with the last cell.
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		text := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(text, "|") {
			continue
		}
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("line %d: the text is not UTF-8: save the file with the UTF-8 encoding", n)
		}
		cells := splitMarkdownRow(text)
		if isSeparatorRow(cells) {
			continue
		}
		if cells[0] != "" {
			name := strings.ToLower(cells[0])
			if at, ok := sheetLine[name]; ok {
				return nil, fmt.Errorf("line %d: sheet %q appears twice (lines %d and %d)", n, name, at, n)
			}
			sheetLine[name] = n
			sheet, header, headerAt = &Sheet{Name: name}, nil, 0
			wb.Sheets = append(wb.Sheets, sheet)
		}
		cells = trimEmptyTail(cells[1:])
		if len(cells) == 0 {
			continue // an empty row, or a sheet-name row alone
		}
		switch {
		case sheet == nil:
			return nil, fmt.Errorf(`line %d: a table row before any sheet name: start the table with a row such as "| survey |"`, n)
		case headerAt == 0:
			header, headerAt = cells, n
			if err := checkMarkdownHeader(sheet.Name, header, n); err != nil {
				return nil, err
			}
			sheet.Columns, sheet.HeaderRow = namedCells(header, header), n
		default:
			if len(cells) > len(header) {
				return nil, fmt.Errorf("line %d: this row has %d cells but the %s sheet's header has %d",
					n, len(cells), sheet.Name, len(header))
			}
			for j, c := range cells {
				if c != "" && header[j] == "" {
					return nil, fmt.Errorf("line %d: this row has a value in column %d, but the %s sheet's header (line %d) has no name for that column",
						n, j+1, sheet.Name, headerAt)
				}
			}
			if len(sheet.Rows) == maxSheetRows {
				return nil, tooManyRows(sheet.Name)
			}
			sheet.Rows = append(sheet.Rows, Row{Number: n, Cells: namedCells(header, cells)})
		}
	}
	return wb, nil
}

// checkMarkdownHeader checks a sheet's header row, at line n.
func checkMarkdownHeader(sheet string, header []string, n int) error {
	if len(namedCells(header, header)) > maxSheetColumns {
		return tooManyColumns(sheet)
	}
	if name, a, b, ok := duplicateColumn(header); ok {
		return fmt.Errorf("line %d: sheet %q: column %q appears twice (columns %d and %d)", n, sheet, name, a+1, b+1)
	}
	return nil
}

// splitMarkdownRow splits a table row, which starts with "|", into tidied
// cells, reading the escapes \|, \n and \\. There is always at least one
// cell.
func splitMarkdownRow(text string) []string {
	var (
		cells []string
		cell  strings.Builder
	)
	rest := text[1:] // the empty text before the first pipe is dropped
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '\\' && i+1 < len(rest) && (rest[i+1] == '|' || rest[i+1] == '\\'):
			cell.WriteByte(rest[i+1])
			i++
		case c == '\\' && i+1 < len(rest) && rest[i+1] == 'n':
			cell.WriteByte('\n')
			i++
		case c == '|':
			cells = append(cells, tidyCell(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(c)
		}
	}
	// The text after the last pipe is a cell too, unless it is empty: the
	// closing pipe is optional, as in GitHub's tables.
	if last := tidyCell(cell.String()); last != "" || len(cells) == 0 {
		cells = append(cells, last)
	}
	return cells
}

// isSeparatorRow reports whether the row is a line under a table's header,
// such as |---|:---:|: every cell dashes, with an optional colon at either
// end.
func isSeparatorRow(cells []string) bool {
	for _, c := range cells {
		d := strings.TrimSuffix(strings.TrimPrefix(c, ":"), ":")
		if d == "" || strings.Trim(d, "-") != "" {
			return false
		}
	}
	return true
}

// WriteMarkdown writes the workbook as Markdown tables, in the form
// ReadMarkdown reads: for each sheet in turn, the sheet-name row, the
// header row and the data rows, with a blank line between sheets and the
// columns padded with spaces to line up. Cells are tidied (see tidyCell),
// rows with nothing in them are left out, and \, | and line breaks are
// escaped. The output is the same for the same workbook.
//
// Columns are lined up by counting characters (runes), so a column holding
// wide characters, such as Chinese or Japanese, will not line up exactly
// in a monospaced font; the file reads back the same all the same.
func WriteMarkdown(w io.Writer, wb *Workbook) error {
	if err := checkWritable(wb); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for i, s := range wb.Sheets {
		if i > 0 {
			bw.WriteString("\n")
		}
		writeMarkdownTable(bw, markdownTable(s))
	}
	return bw.Flush()
}

// markdownTable lays the sheet out as a table of escaped cells, the sheet
// name in the first column.
func markdownTable(s *Sheet) [][]string {
	width := len(s.Columns) + 1
	nameRow := make([]string, width)
	nameRow[0] = escapeMarkdownCell(s.Name)
	table := [][]string{nameRow}
	if len(s.Columns) == 0 {
		if isSeparatorRow(nameRow) {
			table[0] = append(nameRow, "") // a sheet named "---", not a separator
		}
		return table
	}
	header := make([]string, width)
	for j, c := range s.Columns {
		header[j+1] = escapeMarkdownCell(c)
	}
	table = append(table, header)
	for _, r := range s.Rows {
		if isEmptyRow(r.Cells) {
			continue
		}
		row := make([]string, width)
		for j, c := range r.Cells {
			row[j+1] = escapeMarkdownCell(c)
		}
		table = append(table, row)
	}
	return table
}

// writeMarkdownTable writes the rows with each column padded to its
// widest cell.
func writeMarkdownTable(w *bufio.Writer, table [][]string) {
	widths := make([]int, len(table[0]))
	for _, row := range table {
		for j, c := range row {
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	for _, row := range table {
		for j, c := range row {
			w.WriteString("| ")
			w.WriteString(c)
			w.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c)+1))
		}
		w.WriteString("|\n")
	}
}

var markdownEscaper = strings.NewReplacer(`\`, `\\`, `|`, `\|`, "\n", `\n`)

func escapeMarkdownCell(s string) string { return markdownEscaper.Replace(tidyCell(s)) }
