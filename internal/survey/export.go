package survey

import (
	"slices"
	"strconv"
	"strings"
)

// Workbook writes the definition as an XLSForm: the survey, choices and
// settings sheets, with a column for each language of each text, and only
// the columns the survey uses. Compiling the workbook gives the
// definition back.
func (d *Definition) Workbook() *Workbook {
	return &Workbook{Sheets: []*Sheet{d.surveySheet(), d.choicesSheet(), d.settingsSheet()}}
}

// sheetWriter builds a sheet from rows of column → value, keeping only the
// columns some row uses, in the order given.
type sheetWriter struct {
	name    string
	columns []string
	rows    []map[string]string
}

func (w *sheetWriter) add(row map[string]string) { w.rows = append(w.rows, row) }

// keep lists columns that always appear, even when empty.
func (w *sheetWriter) sheet(keep ...string) *Sheet {
	s := &Sheet{Name: w.name}
	for _, col := range w.columns {
		used := slices.Contains(keep, col)
		for _, r := range w.rows {
			used = used || r[col] != ""
		}
		if used {
			s.Columns = append(s.Columns, col)
		}
	}
	for i, r := range w.rows {
		cells := make([]string, len(s.Columns))
		for j, col := range s.Columns {
			cells[j] = r[col]
		}
		s.Rows = append(s.Rows, Row{Number: i + 2, Cells: cells})
	}
	return s
}

// translated lists a translatable column once per language.
func (d *Definition) translated(base string) []string {
	cols := make([]string, len(d.Languages))
	for i, l := range d.Languages {
		cols[i] = base + "::" + l.Column()
	}
	return cols
}

// putText sets the language columns of a text in a row.
func (d *Definition) putText(row map[string]string, base string, t Text) {
	for _, l := range d.Languages {
		if v := t[l.Code]; v != "" {
			row[base+"::"+l.Column()] = v
		}
	}
}

func (d *Definition) surveySheet() *Sheet {
	w := &sheetWriter{name: "survey", columns: []string{"type", "name"}}
	for _, base := range []string{"label", "hint"} {
		w.columns = append(w.columns, d.translated(base)...)
	}
	w.columns = append(w.columns, "required")
	w.columns = append(w.columns, d.translated("required_message")...)
	w.columns = append(w.columns, "relevant", "constraint")
	w.columns = append(w.columns, d.translated("constraint_message")...)
	w.columns = append(w.columns, "appearance", "analysis")

	question := func(q *Question) {
		typ := string(q.Type)
		if q.Type.HasList() {
			typ += " " + q.List
			if q.OrOther {
				typ += " or_other"
			}
		}
		row := map[string]string{"type": typ, "name": q.Name, "relevant": q.Relevant, "constraint": q.Constraint,
			"appearance": q.Appearance, "analysis": q.Analysis.String()}
		if q.Required {
			row["required"] = "yes"
		}
		d.putText(row, "label", q.Label)
		d.putText(row, "hint", q.Hint)
		d.putText(row, "required_message", q.RequiredMessage)
		d.putText(row, "constraint_message", q.ConstraintMessage)
		w.add(row)
	}
	for _, it := range d.Items {
		if g := it.Group; g != nil {
			row := map[string]string{"type": "begin_group", "name": g.Name, "relevant": g.Relevant, "appearance": g.Appearance}
			d.putText(row, "label", g.Label)
			d.putText(row, "hint", g.Hint)
			w.add(row)
			for _, q := range g.Questions {
				question(q)
			}
			w.add(map[string]string{"type": "end_group"})
			continue
		}
		question(it.Question)
	}
	return w.sheet(append([]string{"type", "name"}, d.translated("label")...)...)
}

func (d *Definition) choicesSheet() *Sheet {
	w := &sheetWriter{name: "choices", columns: append(append([]string{"list_name", "name"}, d.translated("label")...), "analysis")}
	for _, l := range d.Lists {
		for _, c := range l.Choices {
			var marks []string
			if c.Missing {
				marks = append(marks, "missing")
			}
			if c.Exclusive {
				marks = append(marks, "exclusive")
			}
			row := map[string]string{"list_name": l.Name, "name": c.Name, "analysis": strings.Join(marks, " ")}
			d.putText(row, "label", c.Label)
			w.add(row)
		}
	}
	return w.sheet(append([]string{"list_name", "name"}, d.translated("label")...)...)
}

func (d *Definition) settingsSheet() *Sheet {
	st := d.Settings
	w := &sheetWriter{name: "settings", columns: []string{"form_id"}}
	w.columns = append(w.columns, d.translated("form_title")...)
	w.columns = append(w.columns, d.translated("description")...)
	w.columns = append(w.columns, "estimated_minutes", "version", "default_language")
	row := map[string]string{"form_id": st.ID, "version": st.Version}
	if st.EstimatedMinutes > 0 {
		row["estimated_minutes"] = strconv.Itoa(st.EstimatedMinutes)
	}
	if l, ok := d.Language(st.DefaultLanguage); ok {
		row["default_language"] = l.Column()
	}
	d.putText(row, "form_title", st.Title)
	d.putText(row, "description", st.Description)
	w.add(row)
	return w.sheet()
}
