package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

const userColumns = `id, email, name, role, COALESCE(password_hash, ''), created_at, disabled_at`

func scanUser(row interface{ Scan(...any) error }) (auth.User, error) {
	var u auth.User
	var created int64
	var disabled sql.NullInt64
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &created, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return u, auth.ErrNotFound
	}
	u.CreatedAt, u.DisabledAt = fromUnix(created), fromNullUnix(disabled)
	return u, err
}

// User returns the account with the given id.
func (db *DB) User(ctx context.Context, id int64) (auth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the account with the given (normalised) email address.
func (db *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if err != nil {
		return u, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

// Users lists every account by role, most powerful first as in auth.Roles
// (so admins first), then by email address.
func (db *DB) Users(ctx context.Context) ([]auth.User, error) {
	rows, err := db.query(ctx, `SELECT `+userColumns+` FROM users
		ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'analyst' THEN 1 WHEN 'editor' THEN 2 ELSE 3 END, email`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var users []auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// HasAdmin reports whether an active admin account with a password exists.
func (db *DB) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM users
		WHERE role = 'admin' AND disabled_at IS NULL AND password_hash IS NOT NULL`).Scan(&n)
	return n > 0, err
}

// Actor is who made a change, for the audit log: an account, or the
// command line when nobody is signed in.
type Actor struct {
	ID    int64  // 0 for the command line
	Email string // or a description such as "command line"
}

// CommandLine is the actor for changes made with the toolkit command.
var CommandLine = Actor{Email: "command line"}

// ActorOf returns the actor for a signed-in user.
func ActorOf(u auth.User) Actor { return Actor{ID: u.ID, Email: u.Email} }

// CreateUser adds an account with no password and returns it with a
// one-time link token with which its owner chooses one.
func (db *DB) CreateUser(ctx context.Context, by Actor, u auth.User) (auth.User, string, error) {
	token, hash := auth.NewToken()
	now := db.now()
	err := db.inTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `INSERT INTO users (email, name, role, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, u.Role, unix(now)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return auth.ErrEmailTaken
		} else if err != nil {
			return err
		}
		u.CreatedAt = now
		if err := tx.addLink(ctx, hash, auth.LinkPassword, u.ID, now.Add(auth.PasswordLinkLifetime)); err != nil {
			return err
		}
		return tx.audit(ctx, by, "account created", u.Email, "role "+string(u.Role))
	})
	if err != nil {
		return auth.User{}, "", fmt.Errorf("create user %s: %w", u.Email, err)
	}
	return u, token, nil
}

// UpdateUser changes an account's name, role and whether it is disabled.
// Disabling an account ends its sessions. The last active admin can be
// neither demoted nor disabled.
func (db *DB) UpdateUser(ctx context.Context, by Actor, id int64, upd auth.UserUpdate) (auth.User, error) {
	var u auth.User
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if upd.Demotes(u) {
			if err := tx.keepAnAdmin(ctx, id); err != nil {
				return err
			}
		}
		var changes []string
		if upd.Name != u.Name {
			changes = append(changes, "name changed")
		}
		if upd.Role != u.Role {
			changes = append(changes, fmt.Sprintf("role %s → %s", u.Role, upd.Role))
		}
		disabledAt := u.DisabledAt
		switch {
		case upd.Disabled && u.Active():
			disabledAt = db.now()
			changes = append(changes, "disabled")
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		case !upd.Disabled && !u.Active():
			disabledAt = time.Time{}
			changes = append(changes, "enabled")
		}
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE users SET name = ?, role = ?, disabled_at = ? WHERE id = ?`,
			upd.Name, upd.Role, nullUnix(disabledAt), id); err != nil {
			return err
		}
		u.Name, u.Role, u.DisabledAt = upd.Name, upd.Role, disabledAt
		return tx.audit(ctx, by, "account changed", u.Email, strings.Join(changes, ", "))
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("update user %d: %w", id, err)
	}
	return u, nil
}

// DeleteUser removes an account and its sessions. The audit log keeps the
// email address of what it did. The last active admin cannot be deleted.
func (db *DB) DeleteUser(ctx context.Context, by Actor, id int64) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if u.Role == auth.Admin && u.Active() {
			if err := tx.keepAnAdmin(ctx, id); err != nil {
				return err
			}
		}
		// The entry goes in first: an account deleting itself is its
		// actor, which must exist when the entry is written.
		if err := tx.audit(ctx, by, "account deleted", u.Email, ""); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM users WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete user %d: %w", id, err)
	}
	return nil
}

// keepAnAdmin fails with auth.ErrLastAdmin unless an active admin other
// than id exists.
func (tx *Tx) keepAnAdmin(ctx context.Context, id int64) error {
	var others int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users
		WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?`, id).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		return auth.ErrLastAdmin
	}
	return nil
}

// SetPassword stores a new password hash for an account and ends every
// session it has, so that a changed password locks out whoever knew the
// old one.
func (db *DB) SetPassword(ctx context.Context, by Actor, id int64, hash string) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		return tx.setPassword(ctx, by, id, hash)
	})
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	return nil
}

func (tx *Tx) setPassword(ctx context.Context, by Actor, id int64, hash string) error {
	var email string
	err := tx.queryRow(ctx, `UPDATE users SET password_hash = ? WHERE id = ? RETURNING email`, hash, id).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.ErrNotFound
	} else if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return err
	}
	return tx.audit(ctx, by, "password set", email, "")
}

// CountUsers returns how many active accounts hold each role.
func (db *DB) CountUsers(ctx context.Context) (map[auth.Role]int, error) {
	rows, err := db.query(ctx, `SELECT role, COUNT(*) FROM users WHERE disabled_at IS NULL GROUP BY role`)
	if err != nil {
		return nil, fmt.Errorf("count users: %w", err)
	}
	defer rows.Close()
	counts := map[auth.Role]int{}
	for rows.Next() {
		var r auth.Role
		var n int
		if err := rows.Scan(&r, &n); err != nil {
			return nil, fmt.Errorf("count users: %w", err)
		}
		counts[r] = n
	}
	return counts, rows.Err()
}
