package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupPostgres means a backup was asked of a PostgreSQL database,
// which its own tools copy better.
var ErrBackupPostgres = errors.New("toolkit backup copies SQLite databases; for PostgreSQL use pg_dump")

// Backup writes a consistent copy of a live SQLite database to a new file at
// path. Requests go on being served while it runs: VACUUM INTO reads one
// snapshot of the database on a connection of its own, and in WAL mode
// writers do not wait for readers.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.engine != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", path)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	conn, err := sql.Open("sqlite", db.dsn)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
