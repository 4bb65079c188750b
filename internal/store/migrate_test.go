package store_test

import (
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

// migrationFiles returns the names of the files in one engine's migration
// folder.
func migrationFiles(t *testing.T, e store.Engine) []string {
	t.Helper()
	entries, err := os.ReadDir("migrations/" + string(e))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestMigrationFoldersMatch(t *testing.T) {
	t.Parallel()
	sqlite, postgres := migrationFiles(t, store.SQLite), migrationFiles(t, store.Postgres)
	if len(sqlite) == 0 {
		t.Fatal("migrations/sqlite holds no files")
	}
	if diff := cmp.Diff(sqlite, postgres); diff != "" {
		t.Errorf("migration files differ (-migrations/sqlite +migrations/postgres):\n%s", diff)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := t.Context()
			files := migrationFiles(t, e)
			db, err := store.Open(ctx, storetest.DSN(t, e))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()

			before, err := db.Migrations(ctx)
			if err != nil {
				t.Fatalf("Migrations() before Migrate: %v", err)
			}
			for _, m := range before {
				if m.Applied {
					t.Errorf("Migrations() on a new database: %s is applied, want not", m.Name)
				}
			}

			applied, err := db.Migrate(ctx)
			if err != nil {
				t.Fatalf("Migrate() = %v", err)
			}
			if diff := cmp.Diff(files, applied); diff != "" {
				t.Errorf("Migrate() applied mismatch (-want +got):\n%s", diff)
			}
			again, err := db.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Errorf("second Migrate() = %q, %v; want nothing applied, nil", again, err)
			}

			after, err := db.Migrations(ctx)
			if err != nil {
				t.Fatalf("Migrations(): %v", err)
			}
			var names []string
			for i, m := range after {
				names = append(names, m.Name)
				if !m.Applied {
					t.Errorf("Migrations() after Migrate: %s is not applied", m.Name)
				}
				if want := int64(i + 1); m.Version != want {
					t.Errorf("Migrations()[%d].Version = %d, want %d", i, m.Version, want)
				}
			}
			if diff := cmp.Diff(files, names); diff != "" {
				t.Errorf("Migrations() names mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// wantColumns are the tables and columns the store's queries use.
var wantColumns = map[string][]string{
	"users":         {"id", "email", "name", "role", "password_hash", "created_at", "disabled_at"},
	"sessions":      {"id_hash", "user_id", "form_token", "created_at", "last_seen_at", "expires_at"},
	"account_links": {"token_hash", "purpose", "user_id", "created_at", "expires_at"},
	"campaign":      {"id", "name", "summary", "organisation", "contact_email", "updated_at"},
	"audit_log":     {"id", "at", "actor_id", "actor_email", "action", "subject", "detail"},
	"snapshots": {"id", "survey_id", "title", "summary", "request", "report", "published_by", "published_on",
		"withdrawn_on"},
	"codes":        {"id", "survey_id", "question", "name", "label", "description"},
	"answer_codes": {"code_id", "response_id"},
	"quotes": {"id", "survey_id", "response_id", "question", "text", "state", "proposed_by", "proposed_on",
		"decided_by", "decided_on"},
	"drafts":      {"code_hash", "survey_id", "version", "language", "channel", "page", "answers", "expires_on", "size"},
	"draft_space": {"id", "used"},
}

// sortedColumns returns a copy of tables with each column list sorted.
func sortedColumns(tables map[string][]string) map[string][]string {
	out := map[string][]string{}
	for table, cols := range tables {
		out[table] = slices.Sorted(slices.Values(cols))
	}
	return out
}

func TestSchema(t *testing.T) {
	t.Parallel()
	schemas := map[store.Engine]map[string][]string{}
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			db := storetest.Open(t, e)
			tables, err := db.Columns(t.Context())
			if err != nil {
				t.Fatalf("listing columns: %v", err)
			}
			schemas[e] = sortedColumns(tables)
			for table, want := range wantColumns {
				if diff := cmp.Diff(want, tables[table]); diff != "" {
					t.Errorf("%s: columns of table %s mismatch (-want +got):\n%s", e, table, diff)
				}
			}
		})
	}

	t.Run("engines match", func(t *testing.T) {
		sqlite, postgres := schemas[store.SQLite], schemas[store.Postgres]
		if postgres == nil {
			t.Skipf("comparing the engines' schemas needs PostgreSQL: set %s to a server URL", storetest.PostgresEnv)
		}
		if diff := cmp.Diff(sqlite, postgres); diff != "" {
			t.Errorf("tables and columns differ between the engines (-sqlite +postgres):\n%s", diff)
		}
	})
}
