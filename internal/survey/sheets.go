package survey

// Workbook is an XLSForm as sheets of cells, before its meaning is read:
// what the .xlsx and Markdown formats hold in common.
type Workbook struct {
	Sheets []*Sheet
}

// Sheet is one sheet: a header row of column names, then rows of cells.
type Sheet struct {
	Name      string   // survey, choices, settings
	Columns   []string // the header row: type, name, label::English (en), …
	HeaderRow int      // where the header row is: its row, or its line in a Markdown file
	Rows      []Row
}

// Row is a row of cells, one per column, with where it came from so that
// errors can name it.
type Row struct {
	Number int      // the row's number in the spreadsheet, or its line in a Markdown file
	Cells  []string // as many as the sheet has columns
}

// Sheet returns the sheet with the name, or nil.
func (wb *Workbook) Sheet(name string) *Sheet {
	for _, s := range wb.Sheets {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Cell returns the row's cell in the named column, or "" when the sheet
// has no such column.
func (s *Sheet) Cell(r Row, column string) string {
	for i, c := range s.Columns {
		if c == column && i < len(r.Cells) {
			return r.Cells[i]
		}
	}
	return ""
}
