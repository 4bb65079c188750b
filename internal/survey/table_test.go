package survey_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func TestResponseColumnsAndRows(t *testing.T) {
	d := mustCompile(t, testForm)
	cols := d.ResponseColumns(survey.TableOptions{ChoiceColumns: true})
	want := []string{"working", "years", "help", "help/mentor", "help/course", "help/none", "help/other", "help_other",
		"order", "score", "start", "story", "ok", "feel", "_id", "_version", "_phase", "_channel", "_language", "_submitted_on"}
	if diff := cmp.Diff(want, cols); diff != "" {
		t.Fatalf("columns (-want +got):\n%s", diff)
	}
	r := survey.Response{ID: "abc", Version: 2, Phase: survey.Live, Channel: "london-hub", Language: "es",
		SubmittedOn: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		Answers:     survey.Answers{"working": "yes", "help": "mentor other", "help_other": "A, \"friend\""}}
	row := d.ResponseRow(r, cols)
	wantRow := []string{"yes", "", "mentor other", "1", "0", "0", "1", `A, "friend"`, "", "", "", "", "", "",
		"abc", "2", "live", "london-hub", "es", "2026-11-23"}
	if diff := cmp.Diff(wantRow, row); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
}

func TestTableWriters(t *testing.T) {
	cols := []string{"a", "b", "_id"}
	rows := [][]string{{"x, y", "", "1"}, {"é", "2", "2"}}
	for _, format := range survey.ExportFormats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			tw, err := survey.NewTableWriter(&buf, format)
			if err != nil {
				t.Fatal(err)
			}
			tw.Header(cols)
			for _, r := range rows {
				tw.Row(r)
			}
			if err := tw.Close(); err != nil {
				t.Fatal(err)
			}
			switch format {
			case "csv":
				got, err := csv.NewReader(&buf).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(append([][]string{cols}, rows...), got); diff != "" {
					t.Errorf("CSV (-want +got):\n%s", diff)
				}
			case "json":
				var got []map[string]string
				if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
					t.Fatalf("JSON: %v\n%s", err, buf.String())
				}
				want := []map[string]string{{"a": "x, y", "_id": "1"}, {"a": "é", "b": "2", "_id": "2"}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("JSON (-want +got):\n%s", diff)
				}
			case "xlsx":
				wb, err := survey.ReadXLSX(&buf)
				if err != nil {
					t.Fatal(err)
				}
				s := wb.Sheet("responses")
				if s == nil || !cmp.Equal(s.Columns, cols) || len(s.Rows) != 2 || s.Rows[1].Cells[0] != "é" {
					t.Errorf("XLSX read back as %+v", s)
				}
			}
		})
	}
	if _, err := survey.NewTableWriter(&bytes.Buffer{}, "pdf"); err == nil {
		t.Error("NewTableWriter(pdf) = nil error")
	}
}

func TestReadResponses(t *testing.T) {
	d := mustCompile(t, testForm)
	def := survey.ImportDefaults{Version: 3, Phase: survey.Pilot, Language: "en", Channels: []string{"london-hub"},
		Today: time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)}
	header := []string{"\ufeffworking", "years", "help", "help/mentor", "ok", "_channel", "_submission_time", "deviceid", "_phase"}
	rows := [][]string{
		{"yes", "4", "mentor", "1", "OK", "london-hub", "2026-01-01T10:11:12", "abc123", "live"},
		{"no", "", "", "0", "OK", "somewhere", "", "", ""},
	}
	got, notes, err := d.ReadResponses(header, rows, def)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	want := []survey.Response{
		{Version: 3, Phase: survey.Live, Channel: "london-hub", Language: "en", SubmittedOn: day,
			Answers: survey.Answers{"working": "yes", "years": "4", "help": "mentor", "ok": "OK"}},
		{Version: 3, Phase: survey.Pilot, Channel: survey.UnknownChannel, Language: "en", SubmittedOn: day,
			Answers: survey.Answers{"working": "no", "ok": "OK"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("responses (-want +got):\n%s", diff)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "_submission_time is not kept") || !strings.Contains(notes[1], "deviceid is not kept") {
		t.Errorf("notes = %q, want the time and device columns named as not kept", notes)
	}

	bad := [][]string{
		{"maybe", "", "", "", "OK"},          // row 2: not a choice
		{"no", "7", "", "", "OK"},            // row 3: answers a hidden question
		{"yes", "70", "", "", ""},            // row 4: constraint, and consent missing
		{"yes", "1", "", "", "OK", "x", "y"}, // row 5: too many cells
	}
	_, _, err = d.ReadResponses([]string{"working", "years", "help", "colour", "ok"}, bad, def)
	var te *survey.TableError
	if !errors.As(err, &te) {
		t.Fatalf("ReadResponses(bad rows) = %v, want a *TableError", err)
	}
	var problems []string
	for _, p := range te.Problems {
		problems = append(problems, p.String())
	}
	wantProblems := []string{
		`row 1, column colour: "colour" is not a question in this survey`,
		`row 2, column working: Select one of the answers shown (the answer was "maybe")`,
		"row 3, column years: answered, but this question is not shown given the row's other answers",
		`row 4, column years: Enter 0 to 60 (the answer was "70")`,
		`row 4, column ok: Tick the box to continue (the answer was "")`,
		"row 5: the row has 7 cells but the header has 5 columns",
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
