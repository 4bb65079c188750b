package survey

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// FileError is a problem with a form's file: which file, and what is
// wrong with it (a *FormError when it is the form's own problems).
type FileError struct {
	Name string
	Err  error
}

func (e *FileError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// ReadForm reads an XLSForm file, .xlsx or Markdown (.md), chosen by the
// file's name, and compiles it. A form without a form_id gets one made from
// its title. Its errors are *FileError.
func ReadForm(name string, r io.Reader) (*Definition, *Report, error) {
	d, report, err := readForm(name, r)
	if err != nil {
		return nil, nil, &FileError{Name: name, Err: err}
	}
	return d, report, nil
}

func readForm(name string, r io.Reader) (*Definition, *Report, error) {
	var wb *Workbook
	var err error
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".xlsx":
		wb, err = ReadXLSX(r)
	case ".md", ".markdown":
		wb, err = ReadMarkdown(r)
	default:
		return nil, nil, fmt.Errorf("a survey must be an .xlsx workbook or a Markdown (.md) file, not %q", ext)
	}
	if err != nil {
		return nil, nil, err
	}
	d, report, err := Compile(wb)
	if err != nil {
		return nil, nil, err
	}
	if d.Settings.ID == "" {
		d.Settings.ID = Slug(d.Settings.Title.In(d.Settings.DefaultLanguage, ""))
		if d.Settings.ID == "" {
			return nil, nil, errors.New("the form needs a form_id or a form_title on its settings sheet, to name it in web addresses")
		}
		report.Notes = append(report.Notes, Problem{Sheet: "settings", Column: "form_id",
			Msg: fmt.Sprintf("there is no form_id, so the survey's web address uses %q, made from its title", d.Settings.ID)})
	}
	if slices.Contains(reservedSlugs, d.Settings.ID) {
		return nil, nil, fmt.Errorf("the form_id %q is a word the site's own addresses use: choose another", d.Settings.ID)
	}
	return d, report, nil
}

// reservedSlugs would clash with the admin area's own addresses.
var reservedSlugs = []string{"import", "new"}
