package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// dateOnly is how days without a time are stored: TEXT YYYY-MM-DD, the
// day in UTC.
func dateOnly(t time.Time) sql.NullString {
	return sql.NullString{String: survey.Day(t).Format(time.DateOnly), Valid: !t.IsZero()}
}

func fromDateOnly(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(time.DateOnly, s.String)
	return t
}

// ImportResult says what importing a definition did.
type ImportResult struct {
	Survey  survey.Survey
	Created bool // a new survey
	Changed bool // a new version of an existing survey
}

// ImportSurvey stores a definition under its form_id: a new survey in the
// draft phase, or a new version of the survey with that slug. A definition
// that is the same as the current version changes nothing.
func (db *DB) ImportSurvey(ctx context.Context, by Actor, def *survey.Definition) (ImportResult, error) {
	slug := def.Settings.ID
	if slug == "" {
		return ImportResult{}, errors.New("import survey: the definition has no form_id")
	}
	body, err := json.Marshal(def)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import survey %s: %w", slug, err)
	}
	now := db.now()
	var res ImportResult
	err = db.inTx(ctx, func(tx *Tx) error {
		s, err := tx.survey(ctx, slug)
		switch {
		case errors.Is(err, survey.ErrNotFound):
			res.Created = true
			s = survey.Survey{Slug: slug, Phase: survey.Draft, Version: 1, CreatedAt: now}
			err = tx.queryRow(ctx, `INSERT INTO surveys (slug, phase, current_version, created_at, updated_at)
				VALUES (?, 'draft', 1, ?, ?) RETURNING id`, slug, unix(now), unix(now)).Scan(&s.ID)
			if err != nil {
				return err
			}
		case err != nil:
			return err
		case sameDefinition(s.Definition, body):
			res.Survey = s
			return nil
		default:
			res.Changed = true
			s.Version++
			if _, err := tx.exec(ctx, `UPDATE surveys SET current_version = ?, updated_at = ? WHERE id = ?`,
				s.Version, unix(now), s.ID); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES (?, ?, ?, ?)`,
			s.ID, s.Version, string(body), unix(now)); err != nil {
			return err
		}
		s.Definition, s.UpdatedAt = def, now
		res.Survey = s
		return tx.audit(ctx, by, "survey imported", slug, fmt.Sprintf("version %d", s.Version))
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import survey %s: %w", slug, err)
	}
	return res, nil
}

// sameDefinition reports whether a stored definition is the one encoded
// in body. JSON encoding is canonical (map keys sorted), and compares
// empty and missing texts alike, which a field-by-field comparison would
// not after a round trip.
func sameDefinition(stored *survey.Definition, body []byte) bool {
	old, err := json.Marshal(stored)
	return err == nil && bytes.Equal(old, body)
}

const surveyColumns = `id, slug, phase, opens_on, closes_on, current_version, created_at, updated_at`

// scanSurvey reads a survey row, and its definition from the cache of
// versions (a version never changes once stored).
func (db *DB) scanSurvey(ctx context.Context, row interface{ Scan(...any) error }) (survey.Survey, error) {
	var s survey.Survey
	var opens, closes sql.NullString
	var created, updated int64
	err := row.Scan(&s.ID, &s.Slug, &s.Phase, &opens, &closes, &s.Version, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return s, survey.ErrNotFound
	} else if err != nil {
		return s, err
	}
	s.OpensOn, s.ClosesOn = fromDateOnly(opens), fromDateOnly(closes)
	s.CreatedAt, s.UpdatedAt = fromUnix(created), fromUnix(updated)
	s.Definition, err = db.SurveyVersion(ctx, s.ID, s.Version)
	return s, err
}

func (tx *Tx) survey(ctx context.Context, slug string) (survey.Survey, error) {
	return tx.db.scanSurvey(ctx, tx.queryRow(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE slug = ?`, slug))
}

// Survey returns the survey with the slug, with its current definition.
// Definitions are shared between callers: treat them as read-only.
func (db *DB) Survey(ctx context.Context, slug string) (survey.Survey, error) {
	s, err := db.scanSurvey(ctx, db.queryRow(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE slug = ?`, slug))
	if err != nil {
		return s, fmt.Errorf("survey %s: %w", slug, err)
	}
	return s, nil
}

// Surveys lists every survey, newest first.
func (db *DB) Surveys(ctx context.Context) ([]survey.Survey, error) {
	rows, err := db.query(ctx, `SELECT `+surveyColumns+` FROM surveys ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("surveys: %w", err)
	}
	defer rows.Close()
	var out []survey.Survey
	for rows.Next() {
		s, err := db.scanSurvey(ctx, rows)
		if err != nil {
			return nil, fmt.Errorf("surveys: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// versionKey names a survey version in the cache.
type versionKey struct {
	survey  int64
	version int
}

// SurveyVersion returns one version of a survey's definition. Versions
// never change once stored, so each is read and decoded once.
func (db *DB) SurveyVersion(ctx context.Context, surveyID int64, version int) (*survey.Definition, error) {
	if d, ok := db.definitions.Load(versionKey{surveyID, version}); ok {
		return d.(*survey.Definition), nil
	}
	var body string
	err := db.queryRow(ctx, `SELECT definition FROM survey_versions WHERE survey_id = ? AND version = ?`,
		surveyID, version).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey %d version %d: %w", surveyID, version, survey.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("survey %d version %d: %w", surveyID, version, err)
	}
	def := &survey.Definition{}
	if err := json.Unmarshal([]byte(body), def); err != nil {
		return nil, fmt.Errorf("survey %d version %d: %w", surveyID, version, err)
	}
	db.definitions.Store(versionKey{surveyID, version}, def)
	return def, nil
}

// SetPhase moves a survey to another phase.
func (db *DB) SetPhase(ctx context.Context, by Actor, slug string, to survey.Phase) (survey.Survey, error) {
	var s survey.Survey
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if s, err = tx.survey(ctx, slug); err != nil {
			return err
		}
		if err := survey.CheckMove(s.Phase, to); err != nil {
			return err
		}
		if s.Phase == to {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE surveys SET phase = ?, updated_at = ? WHERE id = ?`, to, unix(db.now()), s.ID); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s → %s", s.Phase, to)
		s.Phase = to
		return tx.audit(ctx, by, "survey phase changed", slug, detail)
	})
	if err != nil {
		return s, fmt.Errorf("set phase of %s: %w", slug, err)
	}
	return s, nil
}

// SetSchedule sets the days a survey opens and closes by itself; a zero
// time clears a day.
func (db *DB) SetSchedule(ctx context.Context, by Actor, slug string, opens, closes time.Time) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE surveys SET opens_on = ?, closes_on = ?, updated_at = ? WHERE slug = ?`,
			dateOnly(opens), dateOnly(closes), unix(db.now()), slug)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return survey.ErrNotFound
		}
		return tx.audit(ctx, by, "survey dates set", slug,
			fmt.Sprintf("opens %s, closes %s", orNone(opens), orNone(closes)))
	})
	if err != nil {
		return fmt.Errorf("set dates of %s: %w", slug, err)
	}
	return nil
}

func orNone(t time.Time) string {
	if t.IsZero() {
		return "not set"
	}
	return t.Format(time.DateOnly)
}

// Channels lists a survey's channels in the order they were made.
func (db *DB) Channels(ctx context.Context, surveyID int64) ([]survey.Channel, error) {
	rows, err := db.query(ctx, `SELECT code, name, kind, created_at FROM channels WHERE survey_id = ? ORDER BY id`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	defer rows.Close()
	var out []survey.Channel
	for rows.Next() {
		var c survey.Channel
		var created int64
		if err := rows.Scan(&c.Code, &c.Name, &c.Kind, &created); err != nil {
			return nil, fmt.Errorf("channels: %w", err)
		}
		c.CreatedAt = fromUnix(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateChannel adds a share channel to a survey.
func (db *DB) CreateChannel(ctx context.Context, by Actor, s survey.Survey, c survey.Channel) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO channels (survey_id, code, name, kind, created_at) VALUES (?, ?, ?, ?, ?)`,
			s.ID, c.Code, c.Name, c.Kind, unix(db.now()))
		if isUniqueViolation(err) {
			return survey.ErrChannelTaken
		} else if err != nil {
			return err
		}
		return tx.audit(ctx, by, "channel created", s.Slug, c.Code+" ("+string(c.Kind)+")")
	})
	if err != nil {
		return fmt.Errorf("create channel %s: %w", c.Code, err)
	}
	return nil
}

// ChannelExists reports whether the survey has a channel with the code.
func (db *DB) ChannelExists(ctx context.Context, surveyID int64, code string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM channels WHERE survey_id = ? AND code = ?`, surveyID, code).Scan(&n)
	return n > 0, err
}
