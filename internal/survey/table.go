package survey

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The metadata columns of a response table, after the questions' columns,
// as ODK and KoboToolbox exports have them.
var MetadataColumns = []string{"_id", "_version", "_phase", "_channel", "_language", "_submitted_on"}

// TableOptions shape a response table.
type TableOptions struct {
	// ChoiceColumns adds a 0/1 column for each choice of each
	// select_multiple question, named question/choice, after the question's
	// own column.
	ChoiceColumns bool
}

// ResponseColumns lists the columns of the definition's response table:
// one per question that takes an answer, one for each "Other" description,
// optionally one per choice of each select_multiple, then the metadata.
func (d *Definition) ResponseColumns(opts TableOptions) []string {
	var cols []string
	for _, q := range d.Questions() {
		if !q.Answerable() {
			continue
		}
		cols = append(cols, q.Name)
		if q.Type == TypeSelectMultiple && opts.ChoiceColumns {
			for _, c := range d.Choices(q) {
				cols = append(cols, q.Name+"/"+c.Name)
			}
		}
		if q.OrOther {
			cols = append(cols, q.OtherName())
		}
	}
	return append(cols, MetadataColumns...)
}

// ResponseRow writes a response as a row of the table with the columns
// given (from ResponseColumns).
func (d *Definition) ResponseRow(r Response, columns []string) []string {
	row := make([]string, len(columns))
	for i, col := range columns {
		switch col {
		case "_id":
			row[i] = r.ID
		case "_version":
			row[i] = strconv.Itoa(r.Version)
		case "_phase":
			row[i] = string(r.Phase)
		case "_channel":
			row[i] = r.Channel
		case "_language":
			row[i] = r.Language
		case "_submitted_on":
			row[i] = r.SubmittedOn.Format(time.DateOnly)
		default:
			if q, choice, ok := strings.Cut(col, "/"); ok {
				row[i] = "0"
				if slices.Contains(strings.Fields(r.Answers[q]), choice) {
					row[i] = "1"
				}
			} else {
				row[i] = r.Answers[col]
			}
		}
	}
	return row
}

// RowProblem is something wrong with one row of a response table.
type RowProblem struct {
	Row    int    // the row's number in the file, the header being row 1
	Column string // "" for the row as a whole
	Msg    string
}

func (p RowProblem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("row %d: %s", p.Row, p.Msg)
	}
	return fmt.Sprintf("row %d, column %s: %s", p.Row, p.Column, p.Msg)
}

// TableError lists every problem found in a response table. Nothing of a
// table with problems is imported.
type TableError struct{ Problems []RowProblem }

func (e *TableError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s) in the response table; nothing was imported:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

// maxTableProblems is how many problems a report lists at most.
const maxTableProblems = 200

// ImportDefaults fill metadata a table does not give.
type ImportDefaults struct {
	Version  int
	Phase    Phase
	Language string
	Channels []string // the survey's channel codes; any other becomes UnknownChannel
	Today    time.Time
}

// ReadResponses reads a response table (as ResponseColumns writes it, or
// as another tool exports it) into responses, checking every row against
// the definition: the answers must be ones the survey could have been
// given. Columns for each choice are ignored; other columns starting with
// _ (other tools' metadata, such as times and device ids) are ignored and
// listed in the notes, never stored. A cell that a CSV export neutralised
// ('=1+1, see NeutraliseFormula) is read as it was answered (=1+1), so
// that what is exported imports unchanged.
func (d *Definition) ReadResponses(header []string, rows [][]string, def ImportDefaults) ([]Response, []string, error) {
	var problems []RowProblem
	var notes []string
	fail := func(row int, col, format string, args ...any) {
		if len(problems) < maxTableProblems {
			problems = append(problems, RowProblem{row, col, fmt.Sprintf(format, args...)})
		}
	}
	answerable := map[string]bool{}
	for _, q := range d.Questions() {
		if q.Answerable() {
			answerable[q.Name] = true
			if q.OrOther {
				answerable[q.OtherName()] = true
			}
		}
	}
	use := make([]bool, len(header))
	seen := map[string]bool{}
	for i, col := range header {
		col = strings.TrimSpace(strings.TrimPrefix(col, "\ufeff"))
		header[i] = col
		switch {
		case seen[col]:
			fail(1, col, "the column appears twice")
		case answerable[col] || slices.Contains(MetadataColumns, col):
			use[i] = true
		case strings.Contains(col, "/") && answerable[col[:strings.Index(col, "/")]]:
			// a 0/1 column for one choice: the question's own column says it all
		case strings.HasPrefix(col, "_") || slices.Contains(metadataTypes, col):
			notes = append(notes, fmt.Sprintf("the column %s is not kept: responses hold only their answers, date, channel, language and phase", col))
		default:
			fail(1, col, "%q is not a question in this survey%s", col, suggest(col, slices.Sorted(maps.Keys(answerable))))
		}
		seen[col] = true
	}
	var out []Response
	for n, cells := range rows {
		rowNum := n + 2
		if len(cells) > len(header) {
			fail(rowNum, "", "the row has %d cells but the header has %d columns", len(cells), len(header))
			continue
		}
		r := Response{Version: def.Version, Phase: def.Phase, Language: def.Language, Channel: UnknownChannel,
			SubmittedOn: Day(def.Today), Answers: Answers{}}
		ok := true
		for i, v := range cells {
			if !use[i] {
				continue
			}
			v = RestoreFormula(strings.TrimSpace(v))
			col := header[i]
			switch col {
			case "_id":
				r.ID = v
			case "_version":
				if v != "" && v != strconv.Itoa(def.Version) {
					fail(rowNum, col, "the table is checked against version %d of the survey; this row says version %s", def.Version, v)
					ok = false
				}
			case "_phase":
				if v != "" {
					if p := Phase(v); p == Pilot || p == Live {
						r.Phase = p
					} else {
						fail(rowNum, col, "the phase must be pilot or live, not %q", v)
						ok = false
					}
				}
			case "_channel":
				if v != "" && slices.Contains(def.Channels, v) {
					r.Channel = v
				}
			case "_language":
				if v != "" {
					if _, found := d.Language(v); !found {
						fail(rowNum, col, "the survey has no language %q", v)
						ok = false
					}
					r.Language = v
				}
			case "_submitted_on":
				if v != "" {
					t, err := time.Parse(time.DateOnly, v)
					if err != nil {
						fail(rowNum, col, "write the date as YYYY-MM-DD, not %q", v)
						ok = false
					}
					r.SubmittedOn = t
				}
			default:
				if v != "" {
					r.Answers[col] = v
				}
			}
		}
		if !ok {
			continue
		}
		visible := d.Visible(r.Answers)
		for _, name := range slices.Sorted(maps.Keys(r.Answers)) {
			if _, shown := visible[name]; !shown {
				fail(rowNum, name, "answered, but this question is not shown given the row's other answers")
				ok = false
			}
		}
		for _, q := range d.Questions() {
			if _, shown := visible[q.Name]; !shown && !(q.Required && d.shownGiven(q, visible)) {
				continue
			}
			if msg, _ := d.checkAnswer(q, visible, d.Settings.DefaultLanguage); msg != "" {
				fail(rowNum, q.Name, "%s (the answer was %q)", msg, visible[q.Name])
				ok = false
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	if len(problems) > 0 {
		return nil, notes, &TableError{problems}
	}
	return out, notes, nil
}

// shownGiven reports whether the question is shown, given answers.
func (d *Definition) shownGiven(q *Question, a Answers) bool {
	for _, p := range d.Pages() {
		if slices.Contains(p.Questions, q) {
			return slices.Contains(d.Shown(p, a), q)
		}
	}
	return false
}
