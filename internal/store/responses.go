package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// newResponseID returns a random id: 80 bits, in lower-case base32. It says
// nothing about when or in what order the response came.
func newResponseID() string {
	b := make([]byte, 10)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// submission is a response waiting to be written with others in one
// transaction (group commit).
type submission struct {
	surveyID int64
	response survey.Response
	keyHash  string
	done     chan error // nil, ErrDuplicate, or the failure
}

// ErrDuplicate means a response was already stored with the same one-time
// submission key: a retried or double-clicked submit.
var ErrDuplicate = errors.New("these answers have already been sent")

// maxBatch is how many submissions one transaction writes at most.
const maxBatch = 256

// keyLifetime is how long a used submission key is remembered: as long as
// a page may stay open or answers stay saved.
const keyLifetime = 31 * 24 * time.Hour

// SubmitResponse stores a response once per submission key. Concurrent
// submissions are written together, many to a transaction, by one writer;
// this keeps SQLite's single writer busy with useful work instead of
// waiting for a commit per response. It returns ErrDuplicate when the key
// has been used before.
func (db *DB) SubmitResponse(ctx context.Context, surveyID int64, r survey.Response, keyHash string) (survey.Response, error) {
	if r.ID == "" {
		r.ID = newResponseID()
	}
	if r.SubmittedOn.IsZero() {
		r.SubmittedOn = db.now()
	}
	s := &submission{surveyID: surveyID, response: r, keyHash: keyHash, done: make(chan error, 1)}
	db.writerMu.RLock()
	if db.writerClosed {
		db.writerMu.RUnlock()
		return r, errors.New("submit response: the database is closing")
	}
	db.writerOnce.Do(db.startWriter)
	select {
	case db.submissions <- s:
		db.writerMu.RUnlock()
	case <-ctx.Done():
		db.writerMu.RUnlock()
		return r, ctx.Err()
	}
	// Once queued, the response is written even if the request goes away;
	// the key makes a retry safe.
	err := <-s.done
	if err != nil && !errors.Is(err, ErrDuplicate) {
		return r, fmt.Errorf("submit response: %w", err)
	}
	return r, err
}

const (
	insertKey      = `INSERT INTO submission_keys (key_hash, expires_on) VALUES (?, ?) ON CONFLICT (key_hash) DO NOTHING`
	insertResponse = `INSERT INTO responses (id, survey_id, version, phase, channel, language, submitted_on, answers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
)

func (db *DB) startWriter() {
	for _, q := range []string{insertKey, insertResponse} {
		db.stmt(context.Background(), db.write, q) // if it fails, each insert prepares its own
	}
	db.submissions = make(chan *submission, maxBatch)
	db.writerDone = make(chan struct{})
	go db.runWriter()
}

// runWriter writes queued submissions until the queue is closed.
func (db *DB) runWriter() {
	defer close(db.writerDone)
	batch := make([]*submission, 0, maxBatch)
	for first := range db.submissions {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < maxBatch {
			select {
			case s, ok := <-db.submissions:
				if !ok {
					break fill
				}
				batch = append(batch, s)
			default:
				break fill
			}
		}
		db.writeBatch(batch)
	}
}

// writeBatch writes submissions in one transaction. If the transaction
// fails as a whole, each is tried alone, so one bad submission cannot
// fail the others.
func (db *DB) writeBatch(batch []*submission) {
	ctx := context.Background()
	results := make([]error, len(batch))
	err := db.inTx(ctx, func(tx *Tx) error {
		for i, s := range batch {
			results[i] = tx.insertSubmission(ctx, s)
			if results[i] != nil && !errors.Is(results[i], ErrDuplicate) {
				return results[i]
			}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		for _, s := range batch {
			db.writeBatch([]*submission{s})
		}
		return
	}
	for i, s := range batch {
		if err != nil {
			s.done <- err
		} else {
			s.done <- results[i]
		}
	}
}

func (tx *Tx) insertSubmission(ctx context.Context, s *submission) error {
	r := s.response
	res, err := tx.exec(ctx, insertKey,
		s.keyHash, dateOnly(r.SubmittedOn.Add(keyLifetime)))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrDuplicate
	}
	return tx.insertResponse(ctx, s.surveyID, r)
}

func (tx *Tx) insertResponse(ctx context.Context, surveyID int64, r survey.Response) error {
	answers, err := json.Marshal(answersWithoutNUL(r.Answers))
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, insertResponse,
		r.ID, surveyID, r.Version, r.Phase, r.Channel, r.Language, dateOnly(survey.Day(r.SubmittedOn)), string(answers))
	return err
}

// answersWithoutNUL returns the answers with every NUL character replaced
// by U+FFFD, as textArgs does for other text: PostgreSQL cannot read a NUL
// out of JSON either, and TextAnswers would fail for every question of the
// survey.
func answersWithoutNUL(a survey.Answers) survey.Answers {
	var out survey.Answers
	for name, v := range a {
		if strings.IndexByte(v, 0) >= 0 {
			if out == nil {
				out = maps.Clone(a)
			}
			out[name] = withoutNUL(v)
		}
	}
	if out == nil {
		return a
	}
	return out
}

// stopWriter stops the writer after it has written what is queued.
func (db *DB) stopWriter() {
	db.writerMu.Lock()
	if db.submissions != nil && !db.writerClosed {
		close(db.submissions)
		db.writerClosed = true
		db.writerMu.Unlock()
		<-db.writerDone
		return
	}
	db.writerClosed = true
	db.writerMu.Unlock()
}

// ResponseFilter chooses responses. Zero fields choose all.
type ResponseFilter struct {
	Phase   survey.Phase
	Channel string
	Version int
	From    time.Time // submitted on this day or later
	// NotIDPrefix leaves out the responses whose id starts with it, such
	// as made-up ones.
	NotIDPrefix string
}

func (f ResponseFilter) where(surveyID int64) (string, []any) {
	where, args := []string{"survey_id = ?"}, []any{surveyID}
	if f.Phase != "" {
		where, args = append(where, "phase = ?"), append(args, f.Phase)
	}
	if f.Channel != "" {
		where, args = append(where, "channel = ?"), append(args, f.Channel)
	}
	if f.Version != 0 {
		where, args = append(where, "version = ?"), append(args, f.Version)
	}
	if !f.From.IsZero() {
		where, args = append(where, "submitted_on >= ?"), append(args, dateOnly(f.From))
	}
	if f.NotIDPrefix != "" {
		// Not LIKE: SQLite's ignores case, PostgreSQL's does not, and in
		// both _ and % stand for other characters.
		where, args = append(where, "SUBSTR(id, 1, ?) <> ?"), append(args, utf8.RuneCountInString(f.NotIDPrefix), f.NotIDPrefix)
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// CountResponses counts a survey's responses that match the filter.
func (db *DB) CountResponses(ctx context.Context, surveyID int64, f ResponseFilter) (int, error) {
	where, args := f.where(surveyID)
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM responses`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count responses: %w", err)
	}
	return n, nil
}

// EachResponse calls fn with each response that matches the filter, in id
// order (which is random), skipping the first offset and stopping after
// limit (0 for no limit).
func (db *DB) EachResponse(ctx context.Context, surveyID int64, f ResponseFilter, offset, limit int, fn func(survey.Response) error) error {
	where, args := f.where(surveyID)
	q := `SELECT id, version, phase, channel, language, submitted_on, answers FROM responses` + where + ` ORDER BY id`
	if limit > 0 || offset > 0 {
		if limit <= 0 {
			// Neither engine takes OFFSET alone in the same words.
			limit = math.MaxInt32
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, offset)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("responses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r survey.Response
		var on, answers string
		if err := rows.Scan(&r.ID, &r.Version, &r.Phase, &r.Channel, &r.Language, &on, &answers); err != nil {
			return fmt.Errorf("responses: %w", err)
		}
		r.SubmittedOn, _ = time.Parse(time.DateOnly, on)
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return fmt.Errorf("response %s: %w", r.ID, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachResponseFrom calls fn with every response to the survey sent on the
// day from or later (every response for a zero from): what the analysis
// indexes read.
func (db *DB) EachResponseFrom(ctx context.Context, surveyID int64, from time.Time, fn func(survey.Response) error) error {
	return db.EachResponse(ctx, surveyID, ResponseFilter{From: from}, 0, 0, fn)
}

// DayCounts counts a survey's responses by the day they were submitted.
func (db *DB) DayCounts(ctx context.Context, surveyID int64) (map[time.Time]int, error) {
	rows, err := db.query(ctx, `SELECT submitted_on, COUNT(*) FROM responses WHERE survey_id = ? GROUP BY submitted_on`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("count by day: %w", err)
	}
	defer rows.Close()
	out := map[time.Time]int{}
	for rows.Next() {
		var day string
		var n int
		if err := rows.Scan(&day, &n); err != nil {
			return nil, fmt.Errorf("count by day: %w", err)
		}
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return nil, fmt.Errorf("count by day: %w", err)
		}
		out[t] = n
	}
	return out, rows.Err()
}

// ChannelCount is how many responses came through one channel in one
// phase.
type ChannelCount struct {
	Channel string
	Phase   survey.Phase
	Count   int
}

// CountByChannel counts a survey's responses by channel and phase.
func (db *DB) CountByChannel(ctx context.Context, surveyID int64) ([]ChannelCount, error) {
	rows, err := db.query(ctx, `SELECT channel, phase, COUNT(*) FROM responses WHERE survey_id = ?
		GROUP BY channel, phase ORDER BY channel, phase`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("count by channel: %w", err)
	}
	defer rows.Close()
	var out []ChannelCount
	for rows.Next() {
		var c ChannelCount
		if err := rows.Scan(&c.Channel, &c.Phase, &c.Count); err != nil {
			return nil, fmt.Errorf("count by channel: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ImportResponses stores responses collected elsewhere, all or none.
func (db *DB) ImportResponses(ctx context.Context, by Actor, s survey.Survey, rs []survey.Response) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		for _, r := range rs {
			if r.ID == "" {
				r.ID = newResponseID()
			}
			if r.SubmittedOn.IsZero() {
				r.SubmittedOn = db.now()
			}
			if err := tx.insertResponse(ctx, s.ID, r); err != nil {
				if isUniqueViolation(err) {
					return fmt.Errorf("a response with the id %s is already stored", r.ID)
				}
				return err
			}
		}
		return tx.audit(ctx, by, "responses imported", s.Slug, fmt.Sprintf("%d rows", len(rs)))
	})
	if err != nil {
		return fmt.Errorf("import responses into %s: %w", s.Slug, err)
	}
	return nil
}

// ExportResponses writes a survey's responses that match the filter to tw,
// with a column for every question of every version they answered, and
// records the export in the audit log (invariant P4): who, what and how many
// rows, even when it fails part way. progress, if not nil, is called every
// thousand rows. It returns how many rows it wrote.
func (db *DB) ExportResponses(ctx context.Context, by Actor, s survey.Survey, f ResponseFilter, format string,
	tw survey.TableWriter, opts survey.TableOptions, progress func(rows int)) (rows int, err error) {
	defer func() {
		detail := fmt.Sprintf("%d rows, %s%s", rows, format, f.describe())
		if err != nil {
			detail += ", incomplete"
		}
		logErr := db.inTx(context.WithoutCancel(ctx), func(tx *Tx) error {
			return tx.audit(context.WithoutCancel(ctx), by, "responses exported", s.Slug, detail)
		})
		err = errors.Join(err, logErr)
	}()
	where, args := f.where(s.ID)
	vrows, err := db.query(ctx, `SELECT DISTINCT version FROM responses`+where+` ORDER BY version DESC`, args...)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	var versions []int
	for vrows.Next() {
		var v int
		if err := vrows.Scan(&v); err != nil {
			vrows.Close()
			return 0, fmt.Errorf("export: %w", err)
		}
		versions = append(versions, v)
	}
	vrows.Close()
	columns := [][]string{s.Definition.ResponseColumns(opts)}
	for _, v := range versions {
		def, err := db.SurveyVersion(ctx, s.ID, v)
		if err != nil {
			return 0, err
		}
		columns = append(columns, def.ResponseColumns(opts))
	}
	cols := survey.UnionColumns(columns...)
	if err := tw.Header(cols); err != nil {
		return 0, err
	}
	err = db.EachResponse(ctx, s.ID, f, 0, 0, func(r survey.Response) error {
		if err := tw.Row(s.Definition.ResponseRow(r, cols)); err != nil {
			return err
		}
		rows++
		if progress != nil && rows%1000 == 0 {
			progress(rows)
		}
		return nil
	})
	if err != nil {
		return rows, err
	}
	return rows, tw.Close()
}

func (f ResponseFilter) describe() string {
	var parts []string
	if f.Phase != "" {
		parts = append(parts, "phase "+string(f.Phase))
	}
	if f.Channel != "" {
		parts = append(parts, "channel "+f.Channel)
	}
	if f.Version != 0 {
		parts = append(parts, fmt.Sprintf("version %d", f.Version))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}
