package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations for each engine, embedded in the binary. The two folders hold
// the same numbered files; they differ only where a column type must.
//
//go:embed migrations
var migrations embed.FS

// Migration is one migration's state.
type Migration struct {
	Version int64
	Name    string
	Applied bool
}

func (db *DB) migrator() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+string(db.engine))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.engine == Postgres {
		dialect = goose.DialectPostgres
		// Several instances may start at once behind a load balancer; an
		// advisory lock lets one migrate while the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.write, dir, opts...)
}

// Migrate applies every migration the database has not had yet, and returns
// the names of those it applied.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	p, err := db.migrator()
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrating %s: %w", db.where, err)
	}
	var names []string
	for _, r := range results {
		names = append(names, r.Source.Path)
	}
	return names, nil
}

// Migrations lists every migration and whether it has been applied.
func (db *DB) Migrations(ctx context.Context) ([]Migration, error) {
	p, err := db.migrator()
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	status, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading migration state of %s: %w", db.where, err)
	}
	out := make([]Migration, len(status))
	for i, s := range status {
		out[i] = Migration{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied}
	}
	return out, nil
}
