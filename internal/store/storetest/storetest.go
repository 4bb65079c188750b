// Package storetest gives tests real, freshly migrated databases: SQLite
// always, and PostgreSQL too when TOOLKIT_TEST_POSTGRES holds a server URL
// (CI sets it). Each database is made for one test and removed after it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
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
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "toolkit_test_" + randomHex()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database on the server in %s (%s): %v", PostgresEnv, store.Redact(server), err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
