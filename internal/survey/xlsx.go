package survey

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits on a workbook read from a file, .xlsx or Markdown, so that an
// upload cannot take the server's memory or time.
const (
	maxFileBytes    = 20 << 20  // the file as uploaded
	maxUnzipBytes   = 100 << 20 // an .xlsx file's parts, unpacked
	maxSheetRows    = 10_000    // data rows in a sheet
	maxSheetColumns = 200       // named columns in a sheet
)

// ReadXLSX reads a workbook saved as .xlsx, keeping every sheet, hidden
// ones too, under its name in lower case. In each sheet the first row with
// something in it is the header; Row.Number is the spreadsheet's row
// number. Empty rows are left out, and cells are tidied (see tidyCell).
//
// Cells are read as their stored values, not as formatted for display, so
// that a cell reads the same whatever format it was given:
//   - text as written, so "001" stays "001";
//   - numbers as a person writes them, with at most 15 significant digits,
//     as a spreadsheet shows them, and no exponent: 1, 2.5, 20261123, 0.3
//     (not 1.0, 2.0261123E7 or 0.30000000000000004); only numbers of 10²¹
//     and more, or under 10⁻⁹, are written with an exponent (1e+21);
//   - TRUE and FALSE as "true" and "false";
//   - a formula as its last computed value;
//   - a date or time, which a spreadsheet stores as a number of days, as
//     that number (46349 for 23 November 2026): XLSForm cells are text, and
//     a date in one is best written as text.
func ReadXLSX(r io.Reader) (*Workbook, error) {
	data, err := readFileLimited(r)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, errors.New("the file is empty")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if bytes.HasPrefix(data, oleSignature) {
			return nil, errors.New("the file is not an .xlsx workbook (it may be an old .xls file, or protected by a password): save it as .xlsx, without a password")
		}
		return nil, errors.New("the file is not an .xlsx workbook (it is not a zip archive, as every .xlsx file is)")
	}
	var unpacked uint64
	for _, zf := range zr.File {
		unpacked += zf.UncompressedSize64 // archive/zip refuses to unpack more than this
	}
	if unpacked > maxUnzipBytes {
		return nil, fmt.Errorf("the file is larger than %d MB when unpacked", maxUnzipBytes>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxUnzipBytes,
		UnzipXMLSizeLimit: maxUnzipBytes, // keep every part in memory: no temporary files
	})
	if err != nil {
		return nil, notWorkbook
	}
	defer f.Close()

	names := f.GetSheetList()
	if len(names) == 0 {
		return nil, notWorkbook
	}
	parts := worksheetParts(zr)
	wb := &Workbook{}
	seen := map[string]string{} // lower-case name → name
	for _, name := range names {
		lower := strings.ToLower(tidyCell(name))
		if other, ok := seen[lower]; ok {
			return nil, fmt.Errorf("the workbook has two sheets named %q and %q: sheet names must differ in more than capitals", other, name)
		}
		seen[lower] = name
		s, err := readXLSXSheet(f, parts[name], name, lower)
		if err != nil {
			return nil, err
		}
		wb.Sheets = append(wb.Sheets, s)
	}
	return wb, nil
}

// oleSignature starts an old .xls file, and an .xlsx file protected by a
// password, which is encrypted inside an OLE file.
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

var notWorkbook = errors.New("the file is not an .xlsx workbook (it is a zip archive, but holds no Excel workbook): save it as .xlsx")

// readXLSXSheet reads one sheet, streaming its rows. The cells' values
// come from excelize, their types from the worksheet part, read alongside
// (see cellKinds); without the part, every cell is read as text.
func readXLSXSheet(f *excelize.File, part *zip.File, name, lower string) (*Sheet, error) {
	s := &Sheet{Name: lower}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %q cannot be read: %w", lower, err)
	}
	defer rows.Close()
	kinds, err := newCellKinds(part)
	if err != nil {
		return nil, fmt.Errorf("sheet %q cannot be read: %w", lower, err)
	}
	defer kinds.Close()
	var (
		header    []string // as written, with "" for unnamed columns
		headerRow int
	)
	for n := 1; rows.Next(); n++ { // Next moves one row down each time, empty rows included
		raw, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %q, row %d cannot be read: %w", lower, n, err)
		}
		kind := kinds.row(n)
		cells := make([]string, len(raw))
		for j, v := range raw {
			cells[j] = cellText(tidyCell(v), kind[j])
		}
		cells = trimEmptyTail(cells)
		if len(cells) == 0 {
			continue
		}
		if headerRow == 0 {
			header, headerRow = cells, n
			if len(namedCells(header, header)) > maxSheetColumns {
				return nil, tooManyColumns(lower)
			}
			if col, a, b, ok := duplicateColumn(header); ok {
				return nil, fmt.Errorf("sheet %q: column %q appears twice (columns %s and %s)", lower, col, columnName(a), columnName(b))
			}
			s.Columns, s.HeaderRow = namedCells(header, header), n
			continue
		}
		for j, c := range cells {
			if c != "" && (j >= len(header) || header[j] == "") {
				return nil, fmt.Errorf("sheet %q, row %d: cell %s%d has a value, but the header row (row %d) has no name for column %s",
					lower, n, columnName(j), n, headerRow, columnName(j))
			}
		}
		if len(s.Rows) == maxSheetRows {
			return nil, tooManyRows(lower)
		}
		s.Rows = append(s.Rows, Row{Number: n, Cells: namedCells(header, cells)})
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("sheet %q cannot be read: %w", lower, err)
	}
	return s, nil
}

// cellText turns a cell's stored value into the text the workbook holds.
func cellText(v string, kind cellKind) string {
	switch kind {
	case numberCell:
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			return numberText(x)
		}
	case boolCell:
		switch v {
		case "1":
			return "true"
		case "0":
			return "false"
		}
	}
	return v
}

// A cellKind is what a cell's stored value is, as far as turning it into
// text goes.
type cellKind uint8

const (
	textCell   cellKind = iota // text, a formula's text, an error such as #N/A, an ISO date
	numberCell                 // a number, which may be shown as a date, a percentage, …
	boolCell                   // TRUE or FALSE, stored as 1 or 0
)

// cellKinds reads a worksheet part for the kind of each cell, a row at a
// time, alongside excelize's rows. excelize can tell a cell's type only
// once it has loaded the whole sheet into memory, which for a sheet at the
// limits takes over a gigabyte; this reads the XML as a stream and keeps
// one row.
type cellKinds struct {
	rc    io.ReadCloser
	d     *xml.Decoder
	n     int              // the number of the row in kinds
	kinds map[int]cellKind // the row's numbers and booleans, by column index from 0
	done  bool
}

// newCellKinds starts reading the part; with no part, every cell is text.
func newCellKinds(part *zip.File) (*cellKinds, error) {
	if part == nil {
		return &cellKinds{done: true}, nil
	}
	rc, err := part.Open()
	if err != nil {
		return nil, err
	}
	return &cellKinds{rc: rc, d: xml.NewDecoder(rc)}, nil
}

func (k *cellKinds) Close() error {
	if k.rc == nil {
		return nil
	}
	return k.rc.Close()
}

// row returns the kinds of row n's cells, by column index, text left out.
// Rows are asked for in order.
func (k *cellKinds) row(n int) map[int]cellKind {
	for !k.done && k.n < n {
		k.next()
	}
	if k.n != n {
		return nil
	}
	return k.kinds
}

// next reads the next row element. As excelize does, a row or cell with
// no reference is taken to follow the one before.
func (k *cellKinds) next() {
	k.kinds = map[int]cellKind{}
	col := -1
	for {
		tok, err := k.d.RawToken() // names as written, prefixes and all: only local names matter here
		if err != nil {
			k.done = true // excelize reports a broken sheet
			return
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "row":
				if r, err := strconv.Atoi(xmlAttr(el, "r")); err == nil {
					k.n = r
				} else {
					k.n++
				}
				col = -1
			case "c":
				if c, _, err := excelize.CellNameToCoordinates(xmlAttr(el, "r")); err == nil {
					col = c - 1
				} else {
					col++
				}
				switch xmlAttr(el, "t") {
				case "", "n":
					k.kinds[col] = numberCell
				case "b":
					k.kinds[col] = boolCell
				}
			}
		case xml.EndElement:
			if el.Name.Local == "row" {
				return
			}
		}
	}
}

func xmlAttr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// worksheetParts finds each sheet's part in an .xlsx archive, by the
// sheet's name, following the package's relationships: _rels/.rels to
// the workbook, the workbook to its sheets.
func worksheetParts(zr *zip.Reader) map[string]*zip.File {
	files := map[string]*zip.File{} // by lower-case name, as excelize finds them
	for _, f := range zr.File {
		files[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	readXML := func(name string, v any) bool {
		f := files[strings.ToLower(name)]
		if f == nil {
			return false
		}
		rc, err := f.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		return xml.NewDecoder(rc).Decode(v) == nil
	}
	type relationships struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	target := func(dir, t string) string {
		if strings.HasPrefix(t, "/") {
			return t[1:]
		}
		return path.Join(dir, t)
	}

	workbook := "xl/workbook.xml"
	var root relationships
	if readXML("_rels/.rels", &root) {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = target("", r.Target)
			}
		}
	}
	var rels relationships
	dir := path.Dir(workbook)
	readXML(path.Join(dir, "_rels", path.Base(workbook)+".rels"), &rels)
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"` // r:id, in either namespace
		} `xml:"sheets>sheet"`
	}
	readXML(workbook, &wb)
	parts := map[string]*zip.File{}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				parts[s.Name] = files[strings.ToLower(target(dir, r.Target))]
			}
		}
	}
	return parts
}

// numberText writes a number as a spreadsheet shows it in its General
// format: rounded to 15 significant digits, without trailing zeros, and
// without an exponent unless it is very large or very small.
func numberText(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if x == 0 {
		return "0" // not "-0"
	}
	if a := math.Abs(x); a >= 1e21 || a < 1e-9 {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// columnName is a spreadsheet's name for the column with the index: A, B, …
func columnName(index int) string {
	name, err := excelize.ColumnNumberToName(index + 1)
	if err != nil {
		return strconv.Itoa(index + 1)
	}
	return name
}

// maxXLSXCellLength is the most UTF-16 code units an .xlsx cell holds;
// excelize cuts a longer text short without saying so.
const maxXLSXCellLength = excelize.TotalCellChars

// Widths of the columns WriteXLSX writes, in characters.
const (
	minXLSXColumnWidth = 8
	maxXLSXColumnWidth = 60
)

// WriteXLSX writes the workbook as an .xlsx file: the sheets in order, each
// with its header in bold in the first row, which stays in view as the
// rows scroll, and data rows below. Every cell is written as text, so
// "001" stays "001" and "=1+1" is not a formula. Cells are tidied (see
// tidyCell), rows with nothing in them are left out, and each column is
// as wide as its longest line, within limits. A cell longer than an .xlsx
// cell can hold (32,767 UTF-16 code units) is an error; a control
// character other than a tab or a line break, which an .xlsx file cannot
// hold, is written as U+FFFD (�).
func WriteXLSX(w io.Writer, wb *Workbook) error {
	if err := checkWritable(wb); err != nil {
		return err
	}
	if len(wb.Sheets) == 0 {
		return errors.New("the workbook has no sheets: an .xlsx file needs at least one")
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, s := range wb.Sheets {
		name := tidyCell(s.Name)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("sheet %q cannot be a sheet of an .xlsx workbook: %w", name, err)
		}
		if err := writeXLSXSheet(f, name, s, bold, wrap); err != nil {
			return err
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("writing the .xlsx workbook: %w", err)
	}
	return nil
}

// writeXLSXSheet fills one sheet, which exists. It writes through
// excelize's stream writer, which writes strings inline in the sheet: the
// way excelize writes shared strings loses text such as "_x000D_", which
// spreadsheets read as an escaped character.
func writeXLSXSheet(f *excelize.File, name string, s *Sheet, bold, wrap int) error {
	if len(s.Columns) == 0 {
		return nil
	}
	table := [][]string{make([]string, len(s.Columns))}
	for j, c := range s.Columns {
		table[0][j] = tidyCell(c)
	}
	for _, r := range s.Rows {
		if isEmptyRow(r.Cells) {
			continue
		}
		row := make([]string, len(s.Columns))
		for j, c := range r.Cells {
			row[j] = tidyCell(c)
		}
		table = append(table, row)
	}
	widths := make([]int, len(s.Columns))
	for _, row := range table {
		for j, v := range row {
			if utf16Length(v) > maxXLSXCellLength {
				return fmt.Errorf("sheet %q, column %q: a cell of %d characters is longer than an .xlsx cell can hold (32,767)",
					name, table[0][j], utf8.RuneCountInString(v))
			}
			for line := range strings.SplitSeq(v, "\n") {
				widths[j] = max(widths[j], utf8.RuneCountInString(line))
			}
		}
	}

	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for j, w := range widths {
		width := min(max(w+2, minXLSXColumnWidth), maxXLSXColumnWidth)
		if err := sw.SetColWidth(j+1, j+1, float64(width)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, row := range table {
		values := make([]any, len(row))
		for j, v := range row {
			cell := excelize.Cell{Value: v} // a string, never a number or a formula
			switch {
			case i == 0:
				cell.StyleID = bold
			case strings.Contains(v, "\n"):
				cell.StyleID = wrap
			case v == "":
				continue
			}
			values[j] = cell
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+1), values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// utf16Length is the length of the text in UTF-16 code units, as a
// spreadsheet counts it.
func utf16Length(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// What follows is shared by the Markdown and .xlsx formats.

// tidyCell is a cell's text as a Workbook holds it: line breaks written
// "\n" (not "\r\n" or "\r"), and no white space or line break at either
// end. Both formats read and write cells this way, as pyxform does, so a
// cell can neither begin nor end with a space: a cell " yes " is "yes".
func tidyCell(s string) string {
	if strings.ContainsRune(s, '\r') {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.TrimSpace(s)
}

// readFileLimited reads a whole file, refusing one larger than maxFileBytes.
func readFileLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the file: %w", err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("the file is larger than %d MB", maxFileBytes>>20)
	}
	return data, nil
}

func tooManyRows(sheet string) error {
	return fmt.Errorf("sheet %q has more than %s rows", sheet, thousands(maxSheetRows))
}

func tooManyColumns(sheet string) error {
	return fmt.Errorf("sheet %q has more than %d columns", sheet, maxSheetColumns)
}

// thousands writes n with commas between thousands: 10,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// trimEmptyTail drops the empty cells at the end of a row.
func trimEmptyTail(cells []string) []string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

func isEmptyRow(cells []string) bool {
	for _, c := range cells {
		if tidyCell(c) != "" {
			return false
		}
	}
	return true
}

// namedCells keeps the cells of the columns that have a name in the
// header, padding a short row with empty cells.
func namedCells(header, cells []string) []string {
	out := make([]string, 0, len(header))
	for j, name := range header {
		if name == "" {
			continue
		}
		if j < len(cells) {
			out = append(out, cells[j])
		} else {
			out = append(out, "")
		}
	}
	return out
}

// duplicateColumn finds the first column name that appears twice, and the
// indexes of both; unnamed columns do not count.
func duplicateColumn(header []string) (name string, first, second int, found bool) {
	at := map[string]int{}
	for j, c := range header {
		if c == "" {
			continue
		}
		if i, ok := at[c]; ok {
			return c, i, j, true
		}
		at[c] = j
	}
	return "", 0, 0, false
}

// checkWritable checks that a workbook can be written and read back as
// it is: every sheet and column named, no name twice, no row longer than
// its header.
func checkWritable(wb *Workbook) error {
	sheets := map[string]bool{}
	for i, s := range wb.Sheets {
		name := tidyCell(s.Name)
		if name == "" {
			return fmt.Errorf("sheet %d of the workbook has no name", i+1)
		}
		if sheets[strings.ToLower(name)] {
			return fmt.Errorf("the workbook has two sheets named %q", strings.ToLower(name))
		}
		sheets[strings.ToLower(name)] = true
		columns := make([]string, len(s.Columns))
		for j, c := range s.Columns {
			if columns[j] = tidyCell(c); columns[j] == "" {
				return fmt.Errorf("sheet %q: column %d has no name", name, j+1)
			}
		}
		if col, a, b, ok := duplicateColumn(columns); ok {
			return fmt.Errorf("sheet %q: column %q appears twice (columns %d and %d)", name, col, a+1, b+1)
		}
		for j, r := range s.Rows {
			if len(r.Cells) > len(columns) {
				return fmt.Errorf("sheet %q: data row %d has %d cells but the header has %d", name, j+1, len(r.Cells), len(columns))
			}
		}
	}
	return nil
}
