package storetest

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/store"
)

func TestCheck(t *testing.T) {
	ctx := context.Background()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := DSN(t, e)
			db := OpenDSN(t, dsn)
			db.Close()
			if responses, keys, err := Check(ctx, dsn); err != nil || responses != 0 || keys != 0 {
				t.Errorf("Check on a new database = %d, %d, %v; want 0, 0, nil", responses, keys, err)
			}
		})
	}
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dsn string)
		want   string
	}{
		{"pages overwritten", func(t *testing.T, dsn string) {
			b, err := os.ReadFile(dsn)
			if err != nil {
				t.Fatal(err)
			}
			for i := 4096; i < len(b); i++ { // every page after the first, the schema's
				b[i] = byte(i)
			}
			if err := os.WriteFile(dsn, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "could not be checked: database disk image is malformed"},
		{"a response without its survey", func(t *testing.T, dsn string) {
			db, err := sql.Open("sqlite", dsn) // foreign keys unenforced
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`INSERT INTO responses (id, survey_id, version, phase, channel, language, submitted_on, answers)
				VALUES ('orphan', 999, 1, 'live', '', 'en', '2026-11-23', '{}')`); err != nil {
				t.Fatal(err)
			}
		}, "is damaged: PRAGMA foreign_key_check: responses 1 surveys 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := DSN(t, store.SQLite)
			OpenDSN(t, dsn).Close()
			tc.damage(t, dsn)
			if _, _, err := Check(ctx, dsn); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
