package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AuditEntry is one line of the audit log: who did what to what, and when.
type AuditEntry struct {
	ID      int64
	At      time.Time
	ActorID int64 // 0 for the command line or a deleted account
	Actor   string
	Action  string
	Subject string
	Detail  string
}

func (tx *Tx) audit(ctx context.Context, by Actor, action, subject, detail string) error {
	_, err := tx.exec(ctx, `INSERT INTO audit_log (at, actor_id, actor_email, action, subject, detail)
		VALUES (?, ?, ?, ?, ?, ?)`, unix(tx.db.now()), sql.NullInt64{Int64: by.ID, Valid: by.ID != 0},
		by.Email, action, subject, detail)
	return err
}

// AuditLog returns up to limit entries older than the entry before (all
// entries when before is 0), newest first.
func (db *DB) AuditLog(ctx context.Context, before int64, limit int) ([]AuditEntry, error) {
	where, args := "", []any{}
	if before > 0 {
		where, args = "WHERE id < ?", append(args, before)
	}
	rows, err := db.query(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_email, action, subject, detail
		FROM audit_log `+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Action, &e.Subject, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
