package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// surveySlug returns the slug of the survey with the id, for the audit log.
func (tx *Tx) surveySlug(ctx context.Context, id int64) (string, error) {
	var slug string
	err := tx.queryRow(ctx, `SELECT slug FROM surveys WHERE id = ?`, id).Scan(&slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("survey %d: %w", id, survey.ErrNotFound)
	}
	return slug, err
}

// openQuestion checks that name is an open-text question of the survey in
// one or more of its versions.
func (db *DB) openQuestion(ctx context.Context, surveyID int64, name string) error {
	var current int
	err := db.queryRow(ctx, `SELECT current_version FROM surveys WHERE id = ?`, surveyID).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("survey %d: %w", surveyID, survey.ErrNotFound)
	} else if err != nil {
		return err
	}
	versions := make([]*survey.Definition, 0, current)
	for v := current; v >= 1; v-- {
		def, err := db.SurveyVersion(ctx, surveyID, v)
		if err != nil {
			return err
		}
		versions = append(versions, def)
	}
	return insights.CheckOpenQuestion(versions, name)
}

// PublishSnapshot stores a report as published by the actor today. Only the
// survey, title, summary, request and report are taken from s; the rest is
// set here. s must pass its Check (insights.NewSnapshot makes one that
// does, with every rule of publishing).
func (db *DB) PublishSnapshot(ctx context.Context, by Actor, s insights.Snapshot) (insights.Snapshot, error) {
	s, err := s.Check()
	if err != nil {
		return insights.Snapshot{}, fmt.Errorf("publish report: %w", err)
	}
	s.PublishedBy, s.PublishedOn = by.Email, survey.Day(db.now())
	s.Withdrawn, s.WithdrawnOn = false, time.Time{}
	err = db.inTx(ctx, func(tx *Tx) error {
		slug, err := tx.surveySlug(ctx, s.SurveyID)
		if err != nil {
			return err
		}
		err = tx.queryRow(ctx, `INSERT INTO snapshots (survey_id, title, summary, request, report, published_by, published_on)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.SurveyID, s.Title, s.Summary, string(s.Request), string(s.Report),
			s.PublishedBy, dateOnly(s.PublishedOn)).Scan(&s.ID)
		if err != nil {
			return err
		}
		return tx.audit(ctx, by, "report published", slug, fmt.Sprintf("report %d: %s", s.ID, s.Title))
	})
	if err != nil {
		return insights.Snapshot{}, fmt.Errorf("publish report: %w", err)
	}
	return s, nil
}

const snapshotColumns = `id, survey_id, title, summary, published_by, published_on, withdrawn_on`

func scanSnapshot(row interface{ Scan(...any) error }, more ...any) (insights.Snapshot, error) {
	var s insights.Snapshot
	var published, withdrawn sql.NullString
	err := row.Scan(append([]any{&s.ID, &s.SurveyID, &s.Title, &s.Summary, &s.PublishedBy, &published, &withdrawn}, more...)...)
	s.PublishedOn, s.WithdrawnOn = fromDateOnly(published), fromDateOnly(withdrawn)
	s.Withdrawn = withdrawn.Valid
	return s, err
}

// Snapshot returns the report published with the id, withdrawn or not:
// a page that shows it checks Withdrawn.
func (db *DB) Snapshot(ctx context.Context, id int64) (insights.Snapshot, error) {
	var request, report string
	s, err := scanSnapshot(db.queryRow(ctx, `SELECT `+snapshotColumns+`, request, report FROM snapshots WHERE id = ?`, id),
		&request, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return insights.Snapshot{}, fmt.Errorf("report %d: %w", id, insights.ErrNotFound)
	} else if err != nil {
		return insights.Snapshot{}, fmt.Errorf("report %d: %w", id, err)
	}
	s.Request, s.Report = []byte(request), []byte(report)
	return s, nil
}

// SnapshotFilter chooses the published reports Snapshots lists.
type SnapshotFilter struct {
	SurveyID  int64 // the survey's; 0 for every survey's
	Withdrawn bool  // list withdrawn ones too
	// Reports fills in each one's Request and Report, which can be large;
	// a list for a page leaves them out.
	Reports bool
}

// PublicSnapshot returns the snapshot with the id and the report it
// publishes, as the public may read it: a withdrawn one is not found (see
// insights.Snapshot.Public).
func (db *DB) PublicSnapshot(ctx context.Context, id int64) (insights.Snapshot, insights.Published, error) {
	snap, err := db.Snapshot(ctx, id)
	if err != nil {
		return snap, insights.Published{}, err
	}
	p, err := snap.Public()
	return snap, p, err
}

// Snapshots lists the reports published that the filter chooses, newest
// first.
func (db *DB) Snapshots(ctx context.Context, f SnapshotFilter) ([]insights.Snapshot, error) {
	var where []string
	var args []any
	if f.SurveyID != 0 {
		where, args = append(where, "survey_id = ?"), append(args, f.SurveyID)
	}
	if !f.Withdrawn {
		where = append(where, "withdrawn_on IS NULL")
	}
	q := `SELECT ` + snapshotColumns + `, '', ''`
	if f.Reports {
		q = `SELECT ` + snapshotColumns + `, request, report`
	}
	q += ` FROM snapshots`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := db.query(ctx, q+` ORDER BY published_on DESC, id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	defer rows.Close()
	var out []insights.Snapshot
	for rows.Next() {
		var request, report string
		s, err := scanSnapshot(rows, &request, &report)
		if err != nil {
			return nil, fmt.Errorf("reports: %w", err)
		}
		if f.Reports {
			s.Request, s.Report = []byte(request), []byte(report)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// WithdrawSnapshot takes a published report back: it stays stored, marked
// withdrawn from today. Withdrawing it again changes nothing.
func (db *DB) WithdrawSnapshot(ctx context.Context, by Actor, id int64) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		var slug string
		var withdrawn sql.NullString
		err := tx.queryRow(ctx, `SELECT s.slug, r.withdrawn_on FROM snapshots r JOIN surveys s ON s.id = r.survey_id
			WHERE r.id = ?`, id).Scan(&slug, &withdrawn)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return insights.ErrNotFound
		case err != nil:
			return err
		case withdrawn.Valid:
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE snapshots SET withdrawn_on = ? WHERE id = ?`, dateOnly(db.now()), id); err != nil {
			return err
		}
		return tx.audit(ctx, by, "report withdrawn", slug, fmt.Sprintf("report %d", id))
	})
	if err != nil {
		return fmt.Errorf("withdraw report %d: %w", id, err)
	}
	return nil
}

// CreateCode adds a code to the codebook of one of a survey's open-text
// questions (in any of its versions).
func (db *DB) CreateCode(ctx context.Context, by Actor, c insights.Code) (insights.Code, error) {
	c, err := c.Check()
	if err == nil {
		err = db.openQuestion(ctx, c.SurveyID, c.Question)
	}
	if err != nil {
		return insights.Code{}, fmt.Errorf("create code %s: %w", c.Name, err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		slug, err := tx.surveySlug(ctx, c.SurveyID)
		if err != nil {
			return err
		}
		err = tx.queryRow(ctx, `INSERT INTO codes (survey_id, question, name, label, description) VALUES (?, ?, ?, ?, ?)
			RETURNING id`, c.SurveyID, c.Question, c.Name, c.Label, c.Description).Scan(&c.ID)
		if isUniqueViolation(err) {
			return insights.CodeNameTaken(c.Name)
		} else if err != nil {
			return err
		}
		return tx.audit(ctx, by, "code created", slug, fmt.Sprintf("code %s of %s", c.Name, c.Question))
	})
	if err != nil {
		return insights.Code{}, fmt.Errorf("create code %s: %w", c.Name, err)
	}
	return c, nil
}

const codeColumns = `c.id, c.survey_id, c.question, c.name, c.label, c.description`

func scanCode(row interface{ Scan(...any) error }, more ...any) (insights.Code, error) {
	var c insights.Code
	err := row.Scan(append([]any{&c.ID, &c.SurveyID, &c.Question, &c.Name, &c.Label, &c.Description}, more...)...)
	return c, err
}

// code returns the code with the id, and its survey's slug.
func (tx *Tx) code(ctx context.Context, id int64) (insights.Code, string, error) {
	var slug string
	c, err := scanCode(tx.queryRow(ctx, `SELECT `+codeColumns+`, s.slug FROM codes c JOIN surveys s ON s.id = c.survey_id
		WHERE c.id = ?`, id), &slug)
	if errors.Is(err, sql.ErrNoRows) {
		return c, "", fmt.Errorf("code %d: %w", id, insights.ErrNotFound)
	}
	return c, slug, err
}

// Code returns the code with the id.
func (db *DB) Code(ctx context.Context, id int64) (insights.Code, error) {
	c, err := scanCode(db.queryRow(ctx, `SELECT `+codeColumns+` FROM codes c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return insights.Code{}, fmt.Errorf("code %d: %w", id, insights.ErrNotFound)
	} else if err != nil {
		return insights.Code{}, fmt.Errorf("code %d: %w", id, err)
	}
	return c, nil
}

// Codes lists a survey's codebook, in the order insights.SortCodes gives.
func (db *DB) Codes(ctx context.Context, surveyID int64) ([]insights.Code, error) {
	rows, err := db.query(ctx, `SELECT `+codeColumns+` FROM codes c WHERE c.survey_id = ?`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("codes: %w", err)
	}
	defer rows.Close()
	var out []insights.Code
	for rows.Next() {
		c, err := scanCode(rows)
		if err != nil {
			return nil, fmt.Errorf("codes: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("codes: %w", err)
	}
	// Sorted in Go rather than in SQL: the two engines' collations sort
	// text differently, and neither as a reader would.
	insights.SortCodes(out)
	return out, nil
}

// UpdateCode changes a code's label and description.
func (db *DB) UpdateCode(ctx context.Context, by Actor, id int64, upd insights.CodeUpdate) (insights.Code, error) {
	var c insights.Code
	err := db.inTx(ctx, func(tx *Tx) error {
		old, slug, err := tx.code(ctx, id)
		if err != nil {
			return err
		}
		if c, err = upd.Apply(old); err != nil || c == old {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE codes SET label = ?, description = ? WHERE id = ?`,
			c.Label, c.Description, id); err != nil {
			return err
		}
		return tx.audit(ctx, by, "code changed", slug, fmt.Sprintf("code %s of %s", c.Name, c.Question))
	})
	if err != nil {
		return insights.Code{}, fmt.Errorf("update code %d: %w", id, err)
	}
	return c, nil
}

// DeleteCode removes a code from the codebook, and with it every tag it
// put on an answer.
func (db *DB) DeleteCode(ctx context.Context, by Actor, id int64) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		c, slug, err := tx.code(ctx, id)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM answer_codes WHERE code_id = ?`, id)
		if err != nil {
			return err
		}
		tags, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM codes WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, by, "code deleted", slug, fmt.Sprintf("code %s of %s, %d tags", c.Name, c.Question, tags))
	})
	if err != nil {
		return fmt.Errorf("delete code %d: %w", id, err)
	}
	return nil
}

// answer returns a response's answer to a question, failing with
// survey.ErrNotFound if the survey has no response with the id.
func (tx *Tx) answer(ctx context.Context, surveyID int64, responseID, question string) (string, error) {
	var body string
	err := tx.queryRow(ctx, `SELECT answers FROM responses WHERE id = ? AND survey_id = ?`, responseID, surveyID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("response %s: %w", responseID, survey.ErrNotFound)
	} else if err != nil {
		return "", err
	}
	var answers survey.Answers
	if err := json.Unmarshal([]byte(body), &answers); err != nil {
		return "", fmt.Errorf("response %s: %w", responseID, err)
	}
	return answers[question], nil
}

// TagAnswer puts a code on a response's answer to the code's question, or
// takes it off (on false). Doing what is already done changes nothing. A
// blank answer cannot be tagged.
func (db *DB) TagAnswer(ctx context.Context, by Actor, codeID int64, responseID string, on bool) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		c, slug, err := tx.code(ctx, codeID)
		if err != nil {
			return err
		}
		text, err := tx.answer(ctx, c.SurveyID, responseID, c.Question)
		if err != nil {
			return err
		}
		var res sql.Result
		action := "answer tagged"
		if on {
			if err := insights.CheckTaggable(c.Question, text); err != nil {
				return err
			}
			res, err = tx.exec(ctx, `INSERT INTO answer_codes (code_id, response_id) VALUES (?, ?)
				ON CONFLICT (code_id, response_id) DO NOTHING`, codeID, responseID)
		} else {
			action = "answer untagged"
			res, err = tx.exec(ctx, `DELETE FROM answer_codes WHERE code_id = ? AND response_id = ?`, codeID, responseID)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return nil // already so
		}
		return tx.audit(ctx, by, action, slug, fmt.Sprintf("response %s, code %s of %s", responseID, c.Name, c.Question))
	})
	if err != nil {
		return fmt.Errorf("tag answer of response %s with code %d: %w", responseID, codeID, err)
	}
	return nil
}

// CodedResponses returns the ids of the responses each of a survey's codes
// tags, in no particular order, by code id. Codes that tag nothing are left
// out.
func (db *DB) CodedResponses(ctx context.Context, surveyID int64) (map[int64][]string, error) {
	rows, err := db.query(ctx, `SELECT t.code_id, t.response_id FROM answer_codes t JOIN codes c ON c.id = t.code_id
		WHERE c.survey_id = ?`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("coded responses: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var code int64
		var response string
		if err := rows.Scan(&code, &response); err != nil {
			return nil, fmt.Errorf("coded responses: %w", err)
		}
		out[code] = append(out[code], response)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coded responses: %w", err)
	}
	return out, nil
}

// CodesForAnalysis returns a survey's codes as reports take them: each with
// the responses it tags.
func (db *DB) CodesForAnalysis(ctx context.Context, surveyID int64) ([]analysis.Code, error) {
	codes, err := db.Codes(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	tagged, err := db.CodedResponses(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	out := make([]analysis.Code, len(codes))
	for i, c := range codes {
		out[i] = analysis.Code{Question: c.Question, Name: c.Name, Label: c.Label, Responses: tagged[c.ID]}
	}
	return out, nil
}

// TextAnswers returns the answers that are not blank to one open-text
// question, from responses that match the filter, oldest first (and then
// by response id, so the order is stable and answers that come later go
// to the end), skipping the first offset and stopping after limit (0 for
// no limit), with the total there are.
func (db *DB) TextAnswers(ctx context.Context, surveyID int64, question string, f ResponseFilter,
	offset, limit int) ([]insights.TextAnswer, int, error) {
	if err := db.openQuestion(ctx, surveyID, question); err != nil {
		return nil, 0, fmt.Errorf("answers to %s: %w", question, err)
	}
	// Reading the JSON of every response is most of the cost, so it is
	// done once: the page and the total (COUNT(*) OVER (), counted before
	// LIMIT) come from one pass, and only the page's answers are read out.
	answer, key := db.answerOf(question)
	where, whereArgs := f.where(surveyID)
	where += ` AND TRIM(` + answer + `, ?) <> ''`
	whereArgs = append(whereArgs, key, insights.Blank)
	page := `SELECT id, submitted_on, COUNT(*) OVER () AS total FROM responses` + where + ` ORDER BY submitted_on, id`
	args := slices.Clone(whereArgs)
	if limit > 0 || offset > 0 {
		if limit <= 0 {
			limit = math.MaxInt32
		}
		page += ` LIMIT ? OFFSET ?`
		args = append(args, limit, offset)
	}
	rows, err := db.query(ctx, `WITH page AS (`+page+`)
		SELECT page.id, page.submitted_on, page.total, `+answer+`, t.code_id FROM page
		JOIN responses r ON r.id = page.id
		LEFT JOIN answer_codes t ON t.response_id = page.id
			AND t.code_id IN (SELECT id FROM codes WHERE survey_id = ? AND question = ?)
		ORDER BY page.submitted_on, page.id, t.code_id`, append(args, key, surveyID, question)...)
	if err != nil {
		return nil, 0, fmt.Errorf("answers to %s: %w", question, err)
	}
	defer rows.Close()
	var out []insights.TextAnswer
	total := 0
	for rows.Next() {
		var a insights.TextAnswer
		var on string
		var code sql.NullInt64
		if err := rows.Scan(&a.ResponseID, &on, &total, &a.Text, &code); err != nil {
			return nil, 0, fmt.Errorf("answers to %s: %w", question, err)
		}
		if n := len(out); n == 0 || out[n-1].ResponseID != a.ResponseID {
			a.SubmittedOn, _ = time.Parse(time.DateOnly, on)
			out = append(out, a)
		}
		if code.Valid {
			last := &out[len(out)-1]
			last.Codes = append(last.Codes, code.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("answers to %s: %w", question, err)
	}
	if len(out) == 0 && offset > 0 {
		// Past the end, no row brings the total.
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM responses`+where, whereArgs...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("answers to %s: %w", question, err)
		}
	}
	return out, total, nil
}

// ProposeQuote puts an excerpt of a response's answer to an open-text
// question forward for a moderator to decide on. Its text must be found in
// the answer, white space aside; it is stored with its white space
// collapsed. Only the survey, response, question and text are taken from q.
func (db *DB) ProposeQuote(ctx context.Context, by Actor, q insights.Quote) (insights.Quote, error) {
	q, err := q.Check()
	if err == nil {
		err = db.openQuestion(ctx, q.SurveyID, q.Question)
	}
	if err != nil {
		return insights.Quote{}, fmt.Errorf("propose quote: %w", err)
	}
	q.State, q.ProposedBy, q.ProposedOn = insights.QuoteProposed, by.Email, survey.Day(db.now())
	q.DecidedBy, q.DecidedOn = "", time.Time{}
	err = db.inTx(ctx, func(tx *Tx) error {
		slug, err := tx.surveySlug(ctx, q.SurveyID)
		if err != nil {
			return err
		}
		answer, err := tx.answer(ctx, q.SurveyID, q.ResponseID, q.Question)
		if err != nil {
			return err
		}
		if err := q.CheckQuoted(answer); err != nil {
			return err
		}
		err = tx.queryRow(ctx, `INSERT INTO quotes (survey_id, response_id, question, text, state, proposed_by, proposed_on)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, q.SurveyID, q.ResponseID, q.Question, q.Text, q.State,
			q.ProposedBy, dateOnly(q.ProposedOn)).Scan(&q.ID)
		if isUniqueViolation(err) {
			return insights.ErrQuoteTaken
		} else if err != nil {
			return err
		}
		return tx.audit(ctx, by, "quote proposed", slug, fmt.Sprintf("quote %d from response %s, %s", q.ID, q.ResponseID, q.Question))
	})
	if err != nil {
		return insights.Quote{}, fmt.Errorf("propose quote: %w", err)
	}
	return q, nil
}

// DecideQuote approves a quote for publication or rejects it (to is
// insights.QuoteApproved or insights.QuoteRejected). A decision may be
// changed later, as when a quote turns out to identify someone; deciding as
// already decided changes nothing.
func (db *DB) DecideQuote(ctx context.Context, by Actor, id int64, to insights.QuoteState) error {
	if to != insights.QuoteApproved && to != insights.QuoteRejected {
		return fmt.Errorf("decide on quote %d: %q is not a decision", id, to)
	}
	action := "quote " + string(to)
	err := db.inTx(ctx, func(tx *Tx) error {
		var slug string
		var state insights.QuoteState
		err := tx.queryRow(ctx, `SELECT s.slug, q.state FROM quotes q JOIN surveys s ON s.id = q.survey_id WHERE q.id = ?`, id).
			Scan(&slug, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return insights.ErrNotFound
		case err != nil:
			return err
		case state == to:
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE quotes SET state = ?, decided_by = ?, decided_on = ? WHERE id = ?`,
			to, by.Email, dateOnly(db.now()), id); err != nil {
			return err
		}
		return tx.audit(ctx, by, action, slug, fmt.Sprintf("quote %d", id))
	})
	if err != nil {
		return fmt.Errorf("decide on quote %d: %w", id, err)
	}
	return nil
}

const quoteColumns = `id, survey_id, response_id, question, text, state, proposed_by, proposed_on, decided_by, decided_on`

func scanQuote(row interface{ Scan(...any) error }) (insights.Quote, error) {
	var q insights.Quote
	var proposed, decided, decidedBy sql.NullString
	err := row.Scan(&q.ID, &q.SurveyID, &q.ResponseID, &q.Question, &q.Text, &q.State, &q.ProposedBy, &proposed,
		&decidedBy, &decided)
	q.ProposedOn, q.DecidedOn, q.DecidedBy = fromDateOnly(proposed), fromDateOnly(decided), decidedBy.String
	return q, err
}

// Quote returns the quote with the id.
func (db *DB) Quote(ctx context.Context, id int64) (insights.Quote, error) {
	q, err := scanQuote(db.queryRow(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return insights.Quote{}, fmt.Errorf("quote %d: %w", id, insights.ErrNotFound)
	} else if err != nil {
		return insights.Quote{}, fmt.Errorf("quote %d: %w", id, err)
	}
	return q, nil
}

// Quotes lists a survey's quotes in the state given ("" for every state),
// in the order they were proposed.
func (db *DB) Quotes(ctx context.Context, surveyID int64, state insights.QuoteState) ([]insights.Quote, error) {
	if err := insights.CheckState(state); err != nil {
		return nil, fmt.Errorf("quotes: %w", err)
	}
	where, args := ` WHERE survey_id = ?`, []any{surveyID}
	if state != "" {
		where, args = where+` AND state = ?`, append(args, state)
	}
	rows, err := db.query(ctx, `SELECT `+quoteColumns+` FROM quotes`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("quotes: %w", err)
	}
	defer rows.Close()
	var out []insights.Quote
	for rows.Next() {
		q, err := scanQuote(rows)
		if err != nil {
			return nil, fmt.Errorf("quotes: %w", err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}
