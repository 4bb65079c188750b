package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

func TestBackup(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		path := filepath.Join(t.TempDir(), "backups", "toolkit-copy.db")
		if db.Engine() == store.Postgres {
			if err := db.Backup(ctx, path); !errors.Is(err, store.ErrBackupPostgres) {
				t.Errorf("Backup() of PostgreSQL = %v, want %v", err, store.ErrBackupPostgres)
			}
			return
		}

		u := mustAdmin(t, db, "boss@example.org")
		if err := db.SaveCampaign(ctx, admin, ours); err != nil {
			t.Fatal(err)
		}

		// Keep writing while the backup runs, as a live server would.
		writing, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		var writeErr error
		writes := 0
		started := make(chan struct{})
		wg.Go(func() {
			defer func() {
				if writes == 0 {
					close(started)
				}
			}()
			for writing.Err() == nil {
				email := fmt.Sprintf("user%d@example.org", writes)
				if _, _, err := db.CreateUser(ctx, admin, auth.User{Email: email, Role: auth.Editor}); err != nil {
					writeErr = err
					return
				}
				if writes++; writes == 1 {
					close(started)
				}
			}
		})
		<-started
		err := db.Backup(ctx, path)
		stop()
		wg.Wait()
		if err != nil {
			t.Fatalf("Backup(%q) = %v", path, err)
		}
		if writeErr != nil {
			t.Errorf("writing during the backup: %v", writeErr)
		}
		t.Logf("%d accounts created while the backup ran", writes)

		t.Run("copy opens", func(t *testing.T) {
			copied, err := store.Open(ctx, path)
			if err != nil {
				t.Fatalf("Open(backup) = %v", err)
			}
			defer copied.Close()
			if got, err := copied.UserByEmail(ctx, u.Email); err != nil {
				t.Errorf("UserByEmail(%q) in the backup = %v", u.Email, err)
			} else if diff := cmp.Diff(u, got); diff != "" {
				t.Errorf("UserByEmail(%q) in the backup mismatch (-want +got):\n%s", u.Email, diff)
			}
			if got, err := copied.Campaign(ctx); err != nil {
				t.Errorf("Campaign() in the backup = %v", err)
			} else if diff := cmp.Diff(ours, got); diff != "" {
				t.Errorf("Campaign() in the backup mismatch (-want +got):\n%s", diff)
			}
			// One snapshot: every account has the entry written with it.
			users := count(t, copied, `SELECT COUNT(*) FROM users`)
			created := count(t, copied, `SELECT COUNT(*) FROM audit_log WHERE action = 'account created'`)
			if users < 2 || users != created {
				t.Errorf("the backup holds %d accounts and %d entries of accounts created, want the same number, at least 2",
					users, created)
			}
			ms, err := copied.Migrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if !m.Applied {
					t.Errorf("Migrations() of the backup: %s not applied", m.Name)
				}
			}
			if applied, err := copied.Migrate(ctx); err != nil || len(applied) != 0 {
				t.Errorf("Migrate() on the backup = %q, %v; want nothing to do", applied, err)
			}
		})

		t.Run("existing file refused", func(t *testing.T) {
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Backup(ctx, path)
			if err == nil || !strings.Contains(err.Error(), path+" already exists") {
				t.Errorf("Backup(existing file) = %v, want an error saying %s already exists", err, path)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Errorf("Backup(existing file) changed the file")
			}
		})
	})
}
