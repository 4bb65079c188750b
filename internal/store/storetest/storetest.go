// Package storetest gives tests real, freshly migrated databases: SQLite
// always, and PostgreSQL too when TOOLKIT_TEST_POSTGRES holds a server URL
// (CI sets it). Each database is made for one test and removed after it;
// NewDatabase makes one for a program, such as the load test, to drop when
// it is done.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// PostgresEnv names the variable that holds the URL of a PostgreSQL server
// on which tests may create and drop databases.
const PostgresEnv = "TOOLKIT_TEST_POSTGRES"

// Engines returns the engines to test against.
func Engines() []store.Engine {
	if os.Getenv(PostgresEnv) != "" {
		return []store.Engine{store.SQLite, store.Postgres}
	}
	return []store.Engine{store.SQLite}
}

// Each runs fn once per engine, as subtests named after the engines, each
// with a database of its own.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a new, migrated database of the engine, closed and removed
// when the test ends.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	return OpenDSN(t, DSN(t, e))
}

// OpenDSN opens and migrates the database at dsn, closed when the test
// ends.
func OpenDSN(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// DSN returns the address of a new, empty database of the engine, removed
// when the test ends: a file in a temporary folder, or a new database on the
// PostgreSQL server.
func DSN(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return filepath.Join(t.TempDir(), "toolkit.db")
	}
	server := os.Getenv(PostgresEnv)
	if server == "" {
		t.Skipf("PostgreSQL tests need %s set to a server URL", PostgresEnv)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := NewDatabase(ctx, server, "toolkit_test_")
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		if err := d.Drop(); err != nil {
			t.Error(err)
		}
	})
	return d.DSN
}

// Database is a new database on a PostgreSQL server, made for one test or
// one run of a program such as the load test.
type Database struct {
	DSN     string // its URL
	Version string // the server's version
	name    string
	admin   *sql.DB // connected to the server's URL, to drop it
}

// NewDatabase makes a new, empty database on the PostgreSQL server at the
// URL, named prefix and random letters. Drop removes it.
func NewDatabase(ctx context.Context, server, prefix string) (*Database, error) {
	u, err := url.Parse(server)
	if err != nil {
		return nil, fmt.Errorf("the server URL %s: %w", store.Redact(server), err)
	}
	admin, err := sql.Open("pgx", server) // the store package registers the driver
	if err != nil {
		return nil, err
	}
	d := &Database{name: prefix + randomHex(), admin: admin}
	if err := admin.QueryRowContext(ctx, "SHOW server_version").Scan(&d.Version); err != nil {
		admin.Close()
		return nil, fmt.Errorf("connecting to %s: %w", store.Redact(server), err)
	}
	// An identifier cannot be a parameter; this one is made here.
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+d.name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("creating a database on %s: %w", store.Redact(server), err)
	}
	u.Path = "/" + d.name
	d.DSN = u.String()
	return d, nil
}

// Drop removes the database, even while connections to it are open.
func (d *Database) Drop() error {
	defer d.admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := d.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+d.name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("dropping the database %s: %w", d.name, err)
	}
	return nil
}

func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Check looks over the database at dsn as a whole, such as after its
// server was killed. On SQLite, PRAGMA integrity_check must find it intact
// and foreign_key_check no row without its parent. It returns how many
// responses and submission keys are stored: one key is stored with each
// response sent through a survey's form, in the same transaction.
func Check(ctx context.Context, dsn string) (responses, keys int, err error) {
	driver, source := "pgx", dsn
	if !store.IsPostgres(dsn) {
		driver, source = "sqlite", "file:"+(&url.URL{Path: dsn}).EscapedPath()+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	if driver == "sqlite" {
		var problems []string
		for _, check := range []string{"PRAGMA integrity_check", "PRAGMA foreign_key_check"} {
			rows, err := queryRows(ctx, db, check)
			if err != nil {
				return 0, 0, fmt.Errorf("the SQLite database %s could not be checked: %w", dsn, err)
			}
			for _, row := range rows {
				if row != "ok" {
					problems = append(problems, check+": "+row)
				}
			}
		}
		if len(problems) > 0 {
			return 0, 0, fmt.Errorf("the SQLite database %s is damaged: %s", dsn, strings.Join(problems, "; "))
		}
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM responses").Scan(&responses); err != nil {
		return 0, 0, fmt.Errorf("counting responses in %s: %w", store.Redact(dsn), err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM submission_keys").Scan(&keys); err != nil {
		return 0, 0, fmt.Errorf("counting submission keys in %s: %w", store.Redact(dsn), err)
	}
	return responses, keys, nil
}

// queryRows returns the rows of a query, each as its columns joined by
// spaces.
func queryRows(ctx context.Context, db *sql.DB, query string) ([]string, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var parts []string
		for _, v := range vals {
			parts = append(parts, v.String)
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out, rows.Err()
}
