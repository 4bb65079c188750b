package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// ErrFull means saved answers already take all the space allowed them:
// nothing more is saved until some are sent, or expire.
var ErrFull = errors.New("saved answers take all the space allowed them")

// SaveDraft keeps answers to come back to, under the hash of the code
// given, replacing any draft kept under replacing (the hash of an earlier
// code for the same answers). It returns ErrFull, and changes nothing,
// when the drafts kept would then take more than space bytes, each
// counted as survey.DraftCost says and keeping that size. Expired drafts
// and submission keys are swept first, so they never count.
func (db *DB) SaveDraft(ctx context.Context, surveyID int64, code, replacing string, d survey.SavedAnswers, space int64) error {
	answers, err := json.Marshal(d.Answers)
	if err != nil {
		return err
	}
	size := survey.DraftCost(len(answers))
	today := dateOnly(survey.Day(db.now()))
	err = db.inTx(ctx, func(tx *Tx) error {
		freed, err := tx.deleteDrafts(ctx, `DELETE FROM drafts WHERE expires_on < ? OR code_hash = ? RETURNING size`, today, replacing)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM submission_keys WHERE expires_on < ?`, today); err != nil {
			return err
		}
		// One change to the total, after the deletions: saves at the same
		// time on PostgreSQL take their turns here, so drafts never pass
		// the space, and never wait for each other in a circle.
		res, err := tx.exec(ctx, `UPDATE draft_space SET used = used + ? WHERE used + ? <= ?`, size-freed, size-freed, space)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrFull
		}
		_, err = tx.exec(ctx, `INSERT INTO drafts (code_hash, survey_id, version, language, channel, page, answers, size, expires_on)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, auth.HashToken(code), surveyID, d.Version, d.Language, d.Channel, d.Page,
			string(answers), size, dateOnly(d.ExpiresOn))
		return err
	})
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// deleteDrafts runs a DELETE of drafts RETURNING their sizes, and returns
// the space they took.
func (tx *Tx) deleteDrafts(ctx context.Context, query string, args ...any) (int64, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var freed int64
	for rows.Next() {
		var size int64
		if err := rows.Scan(&size); err != nil {
			return 0, err
		}
		freed += size
	}
	return freed, rows.Err()
}

// SweepExpired deletes the drafts and the submission keys whose last day
// has passed, and counts the space the drafts left take again, from the
// size each keeps, its survey.DraftCost when it was saved (a draft saved
// on PostgreSQL while it counts may be missed until the next time).
func (db *DB) SweepExpired(ctx context.Context) error {
	today := dateOnly(survey.Day(db.now()))
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM drafts WHERE expires_on < ?`, today); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM submission_keys WHERE expires_on < ?`, today); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE draft_space SET used = (SELECT COALESCE(SUM(size), 0) FROM drafts)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("sweep expired drafts: %w", err)
	}
	return nil
}

// Draft returns the answers saved under the code for the survey, if the
// code has not expired.
func (db *DB) Draft(ctx context.Context, surveyID int64, code string) (survey.SavedAnswers, error) {
	var d survey.SavedAnswers
	var answers string
	var expires sql.NullString
	err := db.queryRow(ctx, `SELECT version, language, channel, page, answers, expires_on FROM drafts
		WHERE code_hash = ? AND survey_id = ? AND expires_on >= ?`, auth.HashToken(code), surveyID,
		dateOnly(survey.Day(db.now()))).Scan(&d.Version, &d.Language, &d.Channel, &d.Page, &answers, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return d, survey.ErrNotFound
	} else if err != nil {
		return d, fmt.Errorf("draft: %w", err)
	}
	d.ExpiresOn = fromDateOnly(expires)
	if err := json.Unmarshal([]byte(answers), &d.Answers); err != nil {
		return d, fmt.Errorf("draft: %w", err)
	}
	return d, nil
}

// DeleteDraft removes the draft whose code has the hash given, once its
// answers are sent.
func (db *DB) DeleteDraft(ctx context.Context, codeHash string) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		freed, err := tx.deleteDrafts(ctx, `DELETE FROM drafts WHERE code_hash = ? RETURNING size`, codeHash)
		if err != nil || freed == 0 {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE draft_space SET used = used - ?`, freed)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete draft: %w", err)
	}
	return nil
}

// Secret returns the named secret, making a random 256-bit one the first
// time it is asked for. Every instance on one database shares it.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	var value string
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
			name, hex.EncodeToString(b)); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&value)
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return hex.DecodeString(value)
}
