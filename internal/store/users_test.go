package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

func TestCreateUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		useClock(db)
		u, token, err := db.CreateUser(ctx, admin, auth.User{Email: "ana@example.org", Name: "Ana", Role: auth.Analyst})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		want := auth.User{ID: u.ID, Email: "ana@example.org", Name: "Ana", Role: auth.Analyst, CreatedAt: start}
		if u.ID == 0 {
			t.Errorf("CreateUser(...) = %+v, want an id", u)
		}
		if diff := cmp.Diff(want, u); diff != "" {
			t.Errorf("CreateUser(...) mismatch (-want +got):\n%s", diff)
		}
		if len(token) != 43 {
			t.Errorf("CreateUser(...) token = %q, want a 43-character token", token)
		}

		t.Run("read back", func(t *testing.T) {
			got, err := db.User(ctx, u.ID)
			if err != nil {
				t.Fatalf("User(%d) = %v", u.ID, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("User(%d) mismatch (-want +got):\n%s", u.ID, diff)
			}
			got, err = db.UserByEmail(ctx, "ana@example.org")
			if err != nil {
				t.Fatalf("UserByEmail(%q) = %v", "ana@example.org", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("UserByEmail(%q) mismatch (-want +got):\n%s", "ana@example.org", diff)
			}
		})

		t.Run("token is a password link", func(t *testing.T) {
			l, err := db.Link(ctx, token)
			if err != nil {
				t.Fatalf("Link(token of CreateUser) = %v", err)
			}
			if l.Purpose != auth.LinkPassword || l.User.ID != u.ID || !l.ExpiresAt.Equal(start.Add(auth.PasswordLinkLifetime)) {
				t.Errorf("Link(token of CreateUser) = %+v, want a password link for user %d ending %v",
					l, u.ID, start.Add(auth.PasswordLinkLifetime))
			}
		})

		t.Run("email taken", func(t *testing.T) {
			_, _, err := db.CreateUser(ctx, admin, auth.User{Email: "ana@example.org", Role: auth.Editor})
			if !errors.Is(err, auth.ErrEmailTaken) {
				t.Errorf("CreateUser(same email) = %v, want %v", err, auth.ErrEmailTaken)
			}
		})

		t.Run("not found", func(t *testing.T) {
			if _, err := db.User(ctx, u.ID+1000); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("User(%d) = %v, want %v", u.ID+1000, err, auth.ErrNotFound)
			}
			if _, err := db.UserByEmail(ctx, "nobody@example.org"); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("UserByEmail(%q) = %v, want %v", "nobody@example.org", err, auth.ErrNotFound)
			}
		})
	})
}

func TestUsersOrder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// Three of each role, made neither in the order of their email
		// addresses nor in the reverse: without the ORDER BY's email, an
		// engine's sort leaves them in either.
		for _, u := range []struct {
			email string
			role  auth.Role
		}{
			{"zoe@example.org", auth.Moderator},
			{"yan@example.org", auth.Admin},
			{"bea@example.org", auth.Editor},
			{"abe@example.org", auth.Moderator},
			{"max@example.org", auth.Analyst},
			{"cat@example.org", auth.Admin},
			{"ada@example.org", auth.Editor},
			{"kim@example.org", auth.Admin},
			{"eve@example.org", auth.Editor},
			{"lou@example.org", auth.Moderator},
			{"ben@example.org", auth.Analyst},
			{"jo@example.org", auth.Analyst},
		} {
			mustCreateUser(t, db, u.email, u.role)
		}
		users, err := db.Users(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range users {
			got = append(got, string(u.Role)+" "+u.Email)
		}
		// Admins first, then the other roles in the order of auth.Roles,
		// each by email address.
		want := []string{
			"admin cat@example.org",
			"admin kim@example.org",
			"admin yan@example.org",
			"analyst ben@example.org",
			"analyst jo@example.org",
			"analyst max@example.org",
			"editor ada@example.org",
			"editor bea@example.org",
			"editor eve@example.org",
			"moderator abe@example.org",
			"moderator lou@example.org",
			"moderator zoe@example.org",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Users() order mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		mustAdmin(t, db, "admin@example.org")
		u, _ := mustCreateUser(t, db, "ed@example.org", auth.Editor)
		token := mustSession(t, db, u.ID)
		other, _ := mustCreateUser(t, db, "other@example.org", auth.Editor)
		otherToken := mustSession(t, db, other.ID)

		update := func(t *testing.T, upd auth.UserUpdate) auth.User {
			t.Helper()
			got, err := db.UpdateUser(ctx, admin, u.ID, upd)
			if err != nil {
				t.Fatalf("UpdateUser(%d, %+v) = %v", u.ID, upd, err)
			}
			stored, err := db.User(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(stored, got); diff != "" {
				t.Errorf("UpdateUser(%d, %+v) differs from User(%d) (-stored +returned):\n%s", u.ID, upd, u.ID, diff)
			}
			return got
		}

		t.Run("name and role", func(t *testing.T) {
			got := update(t, auth.UserUpdate{Name: "Edna", Role: auth.Moderator})
			if got.Name != "Edna" || got.Role != auth.Moderator || !got.Active() {
				t.Errorf("after UpdateUser: %+v, want name Edna, role moderator, active", got)
			}
			if _, err := db.Session(ctx, token); err != nil {
				t.Errorf("Session() after a change of role = %v, want the session kept", err)
			}
		})

		t.Run("disable", func(t *testing.T) {
			c.Set(time.Hour)
			got := update(t, auth.UserUpdate{Name: "Edna", Role: auth.Moderator, Disabled: true})
			if got.Active() || !got.DisabledAt.Equal(start.Add(time.Hour)) {
				t.Errorf("after disabling: DisabledAt = %v, want %v", got.DisabledAt, start.Add(time.Hour))
			}
			if n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, u.ID); n != 0 {
				t.Errorf("disabled account has %d sessions in the database, want 0", n)
			}
			if _, err := db.Session(ctx, token); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("Session() of a disabled account = %v, want %v", err, auth.ErrNotFound)
			}
			if _, err := db.Session(ctx, otherToken); err != nil {
				t.Errorf("Session() of another account = %v, want it kept", err)
			}
		})

		t.Run("disable again", func(t *testing.T) {
			c.Set(2 * time.Hour)
			got := update(t, auth.UserUpdate{Name: "Edna", Role: auth.Moderator, Disabled: true})
			if !got.DisabledAt.Equal(start.Add(time.Hour)) {
				t.Errorf("after disabling twice: DisabledAt = %v, want the first time, %v", got.DisabledAt, start.Add(time.Hour))
			}
		})

		t.Run("enable", func(t *testing.T) {
			got := update(t, auth.UserUpdate{Name: "Edna", Role: auth.Moderator})
			if !got.Active() {
				t.Errorf("after enabling: DisabledAt = %v, want zero", got.DisabledAt)
			}
			if _, err := db.Session(ctx, token); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("Session() from before the account was disabled = %v, want %v", err, auth.ErrNotFound)
			}
			if _, err := db.Session(ctx, mustSession(t, db, u.ID)); err != nil {
				t.Errorf("Session() of a new session after enabling = %v", err)
			}
		})

		t.Run("not found", func(t *testing.T) {
			_, err := db.UpdateUser(ctx, admin, u.ID+1000, auth.UserUpdate{Role: auth.Editor})
			if !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("UpdateUser(%d) = %v, want %v", u.ID+1000, err, auth.ErrNotFound)
			}
		})
	})
}

func TestLastAdmin(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		first := mustAdmin(t, db, "first@example.org")
		mustCreateUser(t, db, "ana@example.org", auth.Analyst)

		refused := func(t *testing.T, who auth.User) {
			t.Helper()
			for _, upd := range []auth.UserUpdate{
				{Name: who.Name, Role: auth.Analyst},
				{Name: who.Name, Role: auth.Admin, Disabled: true},
				{Name: who.Name, Role: auth.Editor, Disabled: true},
			} {
				if _, err := db.UpdateUser(ctx, admin, who.ID, upd); !errors.Is(err, auth.ErrLastAdmin) {
					t.Errorf("UpdateUser(last admin, %+v) = %v, want %v", upd, err, auth.ErrLastAdmin)
				}
			}
			if err := db.DeleteUser(ctx, admin, who.ID); !errors.Is(err, auth.ErrLastAdmin) {
				t.Errorf("DeleteUser(last admin) = %v, want %v", err, auth.ErrLastAdmin)
			}
			if got, err := db.User(ctx, who.ID); err != nil || got.Role != auth.Admin || !got.Active() {
				t.Errorf("User(last admin) = %+v, %v; want it unchanged", got, err)
			}
		}

		t.Run("only admin", func(t *testing.T) {
			refused(t, first)
			if _, err := db.UpdateUser(ctx, admin, first.ID, auth.UserUpdate{Name: "Renamed", Role: auth.Admin}); err != nil {
				t.Errorf("UpdateUser(last admin, new name) = %v, want nil", err)
			}
			first.Name = "Renamed"
		})

		t.Run("second admin", func(t *testing.T) {
			second := mustAdmin(t, db, "second@example.org")
			if _, err := db.UpdateUser(ctx, admin, first.ID, auth.UserUpdate{Name: first.Name, Role: auth.Analyst}); err != nil {
				t.Fatalf("UpdateUser(one of two admins, analyst) = %v, want nil", err)
			}
			refused(t, second)
		})

		t.Run("disabled admin does not count", func(t *testing.T) {
			third := mustAdmin(t, db, "third@example.org")
			if _, err := db.UpdateUser(ctx, admin, third.ID, auth.UserUpdate{Role: auth.Admin, Disabled: true}); err != nil {
				t.Fatalf("UpdateUser(one of two admins, disabled) = %v, want nil", err)
			}
			second, err := db.UserByEmail(ctx, "second@example.org")
			if err != nil {
				t.Fatal(err)
			}
			refused(t, second)
			// A disabled admin is not the last active one.
			if err := db.DeleteUser(ctx, admin, third.ID); err != nil {
				t.Errorf("DeleteUser(disabled admin) = %v, want nil", err)
			}
		})
	})
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		mustAdmin(t, db, "admin@example.org")
		u, _ := mustCreateUser(t, db, "ed@example.org", auth.Editor)
		mustSession(t, db, u.ID)
		if _, err := db.CreatePasswordLink(ctx, admin, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteUser(ctx, admin, u.ID); err != nil {
			t.Fatalf("DeleteUser(%d) = %v", u.ID, err)
		}
		if _, err := db.User(ctx, u.ID); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("User(%d) after DeleteUser = %v, want %v", u.ID, err, auth.ErrNotFound)
		}
		for _, table := range []string{"sessions", "account_links"} {
			if n := count(t, db, `SELECT COUNT(*) FROM `+table+` WHERE user_id = ?`, u.ID); n != 0 {
				t.Errorf("after DeleteUser(%d), %s holds %d rows of the account, want 0", u.ID, table, n)
			}
		}
		if err := db.DeleteUser(ctx, admin, u.ID); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("DeleteUser(%d) a second time = %v, want %v", u.ID, err, auth.ErrNotFound)
		}
		// The email address is free again.
		mustCreateUser(t, db, "ed@example.org", auth.Editor)
	})
}

func TestCountUsers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		if got, err := db.CountUsers(ctx); err != nil || len(got) != 0 {
			t.Errorf("CountUsers() on an empty database = %v, %v; want an empty map", got, err)
		}
		mustAdmin(t, db, "admin@example.org")
		mustCreateUser(t, db, "a1@example.org", auth.Analyst)
		mustCreateUser(t, db, "a2@example.org", auth.Analyst)
		mustCreateUser(t, db, "e1@example.org", auth.Editor)
		off, _ := mustCreateUser(t, db, "m1@example.org", auth.Moderator)
		if _, err := db.UpdateUser(ctx, admin, off.ID, auth.UserUpdate{Role: auth.Moderator, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		got, err := db.CountUsers(ctx)
		if err != nil {
			t.Fatalf("CountUsers() = %v", err)
		}
		want := map[auth.Role]int{auth.Admin: 1, auth.Analyst: 2, auth.Editor: 1}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CountUsers() mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestHasAdmin(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		has := func(t *testing.T, step string, want bool) {
			t.Helper()
			if got, err := db.HasAdmin(ctx); err != nil || got != want {
				t.Errorf("%s: HasAdmin() = %v, %v; want %v, nil", step, got, err, want)
			}
		}
		has(t, "empty database", false)
		ana, _ := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		if err := db.SetPassword(ctx, admin, ana.ID, fakeHash); err != nil {
			t.Fatal(err)
		}
		has(t, "an analyst with a password", false)
		a, _ := mustCreateUser(t, db, "a@example.org", auth.Admin)
		has(t, "an admin without a password", false)
		if err := db.SetPassword(ctx, admin, a.ID, fakeHash); err != nil {
			t.Fatal(err)
		}
		has(t, "an admin with a password", true)
		mustCreateUser(t, db, "b@example.org", auth.Admin)
		if _, err := db.UpdateUser(ctx, admin, a.ID, auth.UserUpdate{Role: auth.Admin, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		has(t, "the admin with a password disabled", false)
	})
}

func TestSetPassword(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u, _ := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		token := mustSession(t, db, u.ID)
		other, _ := mustCreateUser(t, db, "ben@example.org", auth.Analyst)
		otherToken := mustSession(t, db, other.ID)
		if err := db.SetPassword(ctx, admin, u.ID, fakeHash); err != nil {
			t.Fatalf("SetPassword(%d) = %v", u.ID, err)
		}
		if _, err := db.Session(ctx, otherToken); err != nil {
			t.Errorf("Session() of another account after SetPassword = %v, want it kept", err)
		}
		if got, err := db.User(ctx, u.ID); err != nil || got.PasswordHash != fakeHash {
			t.Errorf("User(%d).PasswordHash = %q, %v; want %q", u.ID, got.PasswordHash, err, fakeHash)
		}
		if _, err := db.Session(ctx, token); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Session() after SetPassword = %v, want %v", err, auth.ErrNotFound)
		}
		if err := db.SetPassword(ctx, admin, u.ID+1000, fakeHash); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("SetPassword(%d) = %v, want %v", u.ID+1000, err, auth.ErrNotFound)
		}
	})
}
