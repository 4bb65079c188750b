package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

// CreateSession starts a session for an account and returns the cookie
// value. Only its hash is stored. If replacing is not empty, that session
// (the browser's previous one) ends, so that signing in always gives a new
// session id.
func (db *DB) CreateSession(ctx context.Context, userID int64, replacing string) (string, auth.Session, error) {
	token, hash := auth.NewToken()
	formToken, _ := auth.NewToken()
	now := db.now()
	s := auth.Session{IDHash: hash, FormToken: formToken, CreatedAt: now, LastSeenAt: now, ExpiresAt: sessionExpiry(now, now)}
	err := db.inTx(ctx, func(tx *Tx) error {
		if replacing != "" {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, auth.HashToken(replacing)); err != nil {
				return err
			}
		}
		// Sessions that have ended are swept here, where a write happens
		// anyway, rather than by a timer.
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, unix(now)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, user_id, form_token, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, hash, userID, formToken, unix(now), unix(now), unix(s.ExpiresAt))
		return err
	})
	if err != nil {
		return "", s, fmt.Errorf("create session: %w", err)
	}
	s.User, err = db.User(ctx, userID)
	return token, s, err
}

// sessionExpiry is when a session created at created and last seen at seen
// ends: after the idle time, and never later than the maximum.
func sessionExpiry(created, seen time.Time) time.Time {
	idle, hard := seen.Add(auth.SessionIdle), created.Add(auth.SessionMax)
	if idle.Before(hard) {
		return idle
	}
	return hard
}

// Session returns the live session whose cookie value is token, with its
// account. A session past its end, or of a disabled account, is not found.
// Each use moves its idle deadline on, writing at most once per
// auth.SessionTouch.
func (db *DB) Session(ctx context.Context, token string) (auth.Session, error) {
	now := db.now()
	var s auth.Session
	var created, seen, expires, userCreated int64
	var disabled sql.NullInt64
	err := db.queryRow(ctx, `SELECT s.id_hash, s.form_token, s.created_at, s.last_seen_at, s.expires_at,
			u.id, u.email, u.name, u.role, COALESCE(u.password_hash, ''), u.created_at, u.disabled_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ?`, auth.HashToken(token)).Scan(
		&s.IDHash, &s.FormToken, &created, &seen, &expires,
		&s.User.ID, &s.User.Email, &s.User.Name, &s.User.Role, &s.User.PasswordHash, &userCreated, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return s, auth.ErrNotFound
	} else if err != nil {
		return s, fmt.Errorf("session: %w", err)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromUnix(created), fromUnix(seen), fromUnix(expires)
	s.User.CreatedAt, s.User.DisabledAt = fromUnix(userCreated), fromNullUnix(disabled)
	if !now.Before(s.ExpiresAt) || !s.User.Active() {
		return s, auth.ErrNotFound
	}
	if now.Sub(s.LastSeenAt) >= auth.SessionTouch {
		s.LastSeenAt, s.ExpiresAt = now, sessionExpiry(s.CreatedAt, now)
		if _, err := db.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?`,
			unix(now), unix(s.ExpiresAt), s.IDHash); err != nil {
			return s, fmt.Errorf("touch session: %w", err)
		}
	}
	return s, nil
}

// DeleteSession ends the session whose cookie value is token.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	if _, err := db.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, auth.HashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}
