package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

func mustAuditLog(t *testing.T, db *store.DB, before int64, limit int) []store.AuditEntry {
	t.Helper()
	entries, err := db.AuditLog(t.Context(), before, limit)
	if err != nil {
		t.Fatalf("AuditLog(%d, %d) = %v", before, limit, err)
	}
	return entries
}

// TestAudit makes every kind of change that is audited, one at a time, and
// checks the entry each adds.
func TestAudit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		boss := mustAdmin(t, db, "boss@example.org")
		by := store.ActorOf(boss)
		var ana, fay auth.User
		var setupToken, anaToken string

		// Each step makes one change and returns the entry it should add,
		// without its id and time, or nil when it should add none.
		steps := []struct {
			name string
			do   func(t *testing.T) (*store.AuditEntry, error)
		}{
			{"create", func(t *testing.T) (*store.AuditEntry, error) {
				var err error
				ana, _, err = db.CreateUser(ctx, by, auth.User{Email: "ana@example.org", Name: "Ana", Role: auth.Analyst})
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "account created",
					Subject: "ana@example.org", Detail: "role analyst"}, err
			}},
			{"rename", func(t *testing.T) (*store.AuditEntry, error) {
				_, err := db.UpdateUser(ctx, by, ana.ID, auth.UserUpdate{Name: "Ana B", Role: auth.Analyst})
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "account changed",
					Subject: "ana@example.org", Detail: "name changed"}, err
			}},
			{"promote and disable", func(t *testing.T) (*store.AuditEntry, error) {
				_, err := db.UpdateUser(ctx, by, ana.ID, auth.UserUpdate{Name: "Ana B", Role: auth.Admin, Disabled: true})
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "account changed",
					Subject: "ana@example.org", Detail: "role analyst → admin, disabled"}, err
			}},
			{"enable", func(t *testing.T) (*store.AuditEntry, error) {
				_, err := db.UpdateUser(ctx, by, ana.ID, auth.UserUpdate{Name: "Ana B", Role: auth.Admin})
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "account changed",
					Subject: "ana@example.org", Detail: "enabled"}, err
			}},
			{"no change", func(t *testing.T) (*store.AuditEntry, error) {
				_, err := db.UpdateUser(ctx, by, ana.ID, auth.UserUpdate{Name: "Ana B", Role: auth.Admin})
				return nil, err
			}},
			{"everything at once", func(t *testing.T) (*store.AuditEntry, error) {
				_, err := db.UpdateUser(ctx, by, ana.ID, auth.UserUpdate{Name: "Ana", Role: auth.Editor, Disabled: true})
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "account changed",
					Subject: "ana@example.org", Detail: "name changed, role admin → editor, disabled"}, err
			}},
			{"password set", func(t *testing.T) (*store.AuditEntry, error) {
				err := db.SetPassword(ctx, by, ana.ID, fakeHash)
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "password set",
					Subject: "ana@example.org"}, err
			}},
			{"password link made", func(t *testing.T) (*store.AuditEntry, error) {
				var err error
				anaToken, err = db.CreatePasswordLink(ctx, by, ana.ID)
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "password link made",
					Subject: "ana@example.org"}, err
			}},
			{"password link used", func(t *testing.T) (*store.AuditEntry, error) {
				// Enabled again first: Link refuses the links of disabled accounts.
				if _, err := db.UpdateUser(ctx, store.CommandLine, ana.ID, auth.UserUpdate{Name: "Ana", Role: auth.Editor}); err != nil {
					t.Fatal(err)
				}
				err := db.UsePasswordLink(ctx, anaToken, ana, fakeHash)
				return &store.AuditEntry{ActorID: ana.ID, Actor: "ana@example.org", Action: "password set",
					Subject: "ana@example.org"}, err
			}},
			{"campaign described", func(t *testing.T) (*store.AuditEntry, error) {
				err := db.SaveCampaign(ctx, by, ours)
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "campaign described",
					Subject: ours.Name}, err
			}},
			{"from the command line", func(t *testing.T) (*store.AuditEntry, error) {
				err := db.SaveCampaign(ctx, store.CommandLine, ours)
				return &store.AuditEntry{Actor: "command line", Action: "campaign described", Subject: ours.Name}, err
			}},
			{"delete", func(t *testing.T) (*store.AuditEntry, error) {
				err := db.DeleteUser(ctx, by, ana.ID)
				return &store.AuditEntry{ActorID: boss.ID, Actor: "boss@example.org", Action: "account deleted",
					Subject: "ana@example.org"}, err
			}},
			{"setup link made", func(t *testing.T) (*store.AuditEntry, error) {
				var err error
				setupToken, err = db.CreateSetupLink(ctx)
				return nil, err
			}},
			{"setup link used", func(t *testing.T) (*store.AuditEntry, error) {
				var err error
				fay, err = db.UseSetupLink(ctx, setupToken, auth.User{Email: "fay@example.org"}, fakeHash)
				return &store.AuditEntry{ActorID: fay.ID, Actor: "fay@example.org", Action: "first admin account created",
					Subject: "fay@example.org"}, err
			}},
		}
		for i, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				c.Set(time.Duration(i+1) * time.Minute)
				before := mustAuditLog(t, db, 0, 1)
				want, err := st.do(t)
				if err != nil {
					t.Fatal(err)
				}
				after := mustAuditLog(t, db, 0, 1)
				if want == nil {
					if diff := cmp.Diff(before, after); diff != "" {
						t.Errorf("an audit entry was added, want none (-before +after):\n%s", diff)
					}
					return
				}
				if len(after) != 1 || len(before) == 1 && after[0].ID == before[0].ID {
					t.Fatalf("AuditLog(0, 1) = %+v, want a new entry", after)
				}
				got := after[0]
				if at := start.Add(time.Duration(i+1) * time.Minute); !got.At.Equal(at) {
					t.Errorf("audit entry time = %v, want %v", got.At, at)
				}
				if diff := cmp.Diff(*want, got, cmpopts.IgnoreFields(store.AuditEntry{}, "ID", "At")); diff != "" {
					t.Errorf("audit entry mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestAuditLogPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		for i := range 9 {
			c := ours
			c.Name = fmt.Sprintf("Campaign %d", i)
			if err := db.SaveCampaign(ctx, admin, c); err != nil {
				t.Fatal(err)
			}
		}
		all := mustAuditLog(t, db, 0, 100)
		if len(all) != 9 || all[0].Subject != "Campaign 8" || all[8].Subject != "Campaign 0" {
			t.Fatalf("AuditLog(0, 100) = %+v, want 9 entries, Campaign 8 first", all)
		}
		var paged []store.AuditEntry
		var sizes []int
		before := int64(0)
		for range 5 {
			page := mustAuditLog(t, db, before, 4)
			sizes = append(sizes, len(page))
			if len(page) == 0 {
				break
			}
			paged = append(paged, page...)
			before = page[len(page)-1].ID
		}
		if diff := cmp.Diff([]int{4, 4, 1, 0}, sizes); diff != "" {
			t.Errorf("AuditLog(before, 4) page sizes mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(all, paged); diff != "" {
			t.Errorf("AuditLog in pages of 4 differs from AuditLog(0, 100) (-all +paged):\n%s", diff)
		}
		for i := 1; i < len(all); i++ {
			if all[i].ID >= all[i-1].ID {
				t.Errorf("AuditLog(0, 100): entry %d has id %d after id %d, want newest first", i, all[i].ID, all[i-1].ID)
			}
		}
	})
}

// TestAuditDeletedActor checks that the entries of an account outlive it.
func TestAuditDeletedActor(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		boss := mustAdmin(t, db, "boss@example.org")
		for _, tt := range []struct {
			name  string
			email string
			by    func(gone auth.User) store.Actor
		}{
			{"deleted by another", "sam@example.org", func(auth.User) store.Actor { return store.ActorOf(boss) }},
			{"deleted by itself", "sue@example.org", store.ActorOf},
		} {
			t.Run(tt.name, func(t *testing.T) {
				gone := mustAdmin(t, db, tt.email)
				if err := db.SaveCampaign(ctx, store.ActorOf(gone), ours); err != nil {
					t.Fatal(err)
				}
				if err := db.DeleteUser(ctx, tt.by(gone), gone.ID); err != nil {
					t.Fatalf("DeleteUser(%s) = %v", tt.email, err)
				}
				var acted []store.AuditEntry
				for _, e := range mustAuditLog(t, db, 0, 100) {
					if e.Actor == tt.email {
						acted = append(acted, e)
						if e.ActorID != 0 {
							t.Errorf("entry %+v of a deleted account has ActorID %d, want 0", e, e.ActorID)
						}
					}
				}
				if len(acted) == 0 || acted[len(acted)-1].Action != "campaign described" {
					t.Errorf("entries by %s after it was deleted = %+v, want its campaign change kept", tt.email, acted)
				}
			})
		}
	})
}
