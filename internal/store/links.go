package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

func (tx *Tx) addLink(ctx context.Context, hash string, purpose auth.LinkPurpose, userID int64, expires time.Time) error {
	// A new link replaces any earlier one of the same kind.
	if purpose == auth.LinkSetup {
		if _, err := tx.exec(ctx, `DELETE FROM account_links WHERE purpose = 'setup'`); err != nil {
			return err
		}
	} else if _, err := tx.exec(ctx, `DELETE FROM account_links WHERE user_id = ?`, userID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO account_links (token_hash, purpose, user_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, hash, purpose, sql.NullInt64{Int64: userID, Valid: userID != 0}, unix(tx.db.now()), unix(expires))
	return err
}

// CreateSetupLink returns the token of a new one-time link that creates the
// first admin account. Earlier setup links stop working.
func (db *DB) CreateSetupLink(ctx context.Context) (string, error) {
	token, hash := auth.NewToken()
	err := db.inTx(ctx, func(tx *Tx) error {
		return tx.addLink(ctx, hash, auth.LinkSetup, 0, db.now().Add(auth.SetupLinkLifetime))
	})
	if err != nil {
		return "", fmt.Errorf("create setup link: %w", err)
	}
	return token, nil
}

// CreatePasswordLink returns the token of a new one-time link with which an
// account's owner chooses a password. Earlier links for the account stop
// working.
func (db *DB) CreatePasswordLink(ctx context.Context, by Actor, userID int64) (string, error) {
	token, hash := auth.NewToken()
	err := db.inTx(ctx, func(tx *Tx) error {
		var email string
		err := tx.queryRow(ctx, `SELECT email FROM users WHERE id = ?`, userID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return auth.ErrNotFound
		} else if err != nil {
			return err
		}
		if err := tx.addLink(ctx, hash, auth.LinkPassword, userID, db.now().Add(auth.PasswordLinkLifetime)); err != nil {
			return err
		}
		return tx.audit(ctx, by, "password link made", email, "")
	})
	if err != nil {
		return "", fmt.Errorf("create password link for user %d: %w", userID, err)
	}
	return token, nil
}

// Link returns the live one-time link whose token is given. An expired or
// used link, or one for a disabled account, is not found.
func (db *DB) Link(ctx context.Context, token string) (auth.Link, error) {
	var l auth.Link
	var userID sql.NullInt64
	var expires int64
	err := db.queryRow(ctx, `SELECT purpose, user_id, expires_at FROM account_links WHERE token_hash = ?`,
		auth.HashToken(token)).Scan(&l.Purpose, &userID, &expires)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !db.now().Before(fromUnix(expires)) {
		return l, auth.ErrLinkUnusable
	} else if err != nil {
		return l, fmt.Errorf("link: %w", err)
	}
	l.ExpiresAt = fromUnix(expires)
	if userID.Valid {
		if l.User, err = db.User(ctx, userID.Int64); err != nil {
			return l, err
		}
		if !l.User.Active() {
			return l, auth.ErrLinkUnusable
		}
	}
	return l, nil
}

// useLink deletes the link, which must belong to the account userID (0 for
// a setup link), failing with auth.ErrLinkUnusable if another request used
// it first.
func (tx *Tx) useLink(ctx context.Context, token string, purpose auth.LinkPurpose, userID int64) error {
	res, err := tx.exec(ctx, `DELETE FROM account_links WHERE token_hash = ? AND purpose = ? AND expires_at > ?
		AND COALESCE(user_id, 0) = ?`, auth.HashToken(token), purpose, unix(tx.db.now()), userID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return auth.ErrLinkUnusable
	}
	return nil
}

// UsePasswordLink sets the password of the link's account u and uses the
// link up. A link that is not u's is not found.
func (db *DB) UsePasswordLink(ctx context.Context, token string, u auth.User, hash string) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.useLink(ctx, token, auth.LinkPassword, u.ID); err != nil {
			return err
		}
		return tx.setPassword(ctx, ActorOf(u), u.ID, hash)
	})
	if err != nil {
		return fmt.Errorf("use password link: %w", err)
	}
	return nil
}

// UseSetupLink creates the first admin account with the given password hash
// and uses the link up.
func (db *DB) UseSetupLink(ctx context.Context, token string, u auth.User, hash string) (auth.User, error) {
	now := db.now()
	u.Role, u.CreatedAt = auth.Admin, now
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.useLink(ctx, token, auth.LinkSetup, 0); err != nil {
			return err
		}
		err := tx.queryRow(ctx, `INSERT INTO users (email, name, role, password_hash, created_at)
			VALUES (?, ?, 'admin', ?, ?) RETURNING id`, u.Email, u.Name, hash, unix(now)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return auth.ErrEmailTaken
		} else if err != nil {
			return err
		}
		return tx.audit(ctx, ActorOf(u), "first admin account created", u.Email, "")
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("use setup link: %w", err)
	}
	return u, nil
}
