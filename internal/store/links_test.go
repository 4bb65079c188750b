package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

const password = "correct horse battery staple"

// passwordHash is a real hash of password, made once: hashing is slow.
var passwordHash = sync.OnceValue(func() string { return auth.HashPassword(password) })

func TestSetupLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		useClock(db)
		token, err := db.CreateSetupLink(ctx)
		if err != nil {
			t.Fatalf("CreateSetupLink() = %v", err)
		}
		l, err := db.Link(ctx, token)
		want := auth.Link{Purpose: auth.LinkSetup, ExpiresAt: start.Add(auth.SetupLinkLifetime)}
		if err != nil {
			t.Fatalf("Link(setup token) = %v", err)
		}
		if diff := cmp.Diff(want, l); diff != "" {
			t.Errorf("Link(setup token) mismatch (-want +got):\n%s", diff)
		}

		u, err := db.UseSetupLink(ctx, token, auth.User{Email: "first@example.org", Name: "First"}, fakeHash)
		if err != nil {
			t.Fatalf("UseSetupLink() = %v", err)
		}
		wantUser := auth.User{ID: u.ID, Email: "first@example.org", Name: "First", Role: auth.Admin, CreatedAt: start}
		if u.ID == 0 {
			t.Errorf("UseSetupLink() = %+v, want an id", u)
		}
		if diff := cmp.Diff(wantUser, u); diff != "" {
			t.Errorf("UseSetupLink() mismatch (-want +got):\n%s", diff)
		}
		wantUser.PasswordHash = fakeHash
		if got, err := db.User(ctx, u.ID); err != nil {
			t.Errorf("User(%d) = %v", u.ID, err)
		} else if diff := cmp.Diff(wantUser, got); diff != "" {
			t.Errorf("User(%d) after UseSetupLink mismatch (-want +got):\n%s", u.ID, diff)
		}
		if ok, err := db.HasAdmin(ctx); !ok || err != nil {
			t.Errorf("HasAdmin() after UseSetupLink = %v, %v; want true, nil", ok, err)
		}

		t.Run("used up", func(t *testing.T) {
			if _, err := db.Link(ctx, token); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("Link(used setup token) = %v, want %v", err, auth.ErrNotFound)
			}
			_, err := db.UseSetupLink(ctx, token, auth.User{Email: "second@example.org"}, fakeHash)
			if !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("UseSetupLink() a second time = %v, want %v", err, auth.ErrNotFound)
			}
			if _, err := db.UserByEmail(ctx, "second@example.org"); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("UserByEmail(second) = %v, want no account made", err)
			}
		})

		t.Run("email taken", func(t *testing.T) {
			token, err := db.CreateSetupLink(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.UseSetupLink(ctx, token, auth.User{Email: "first@example.org"}, fakeHash)
			if !errors.Is(err, auth.ErrEmailTaken) {
				t.Errorf("UseSetupLink(existing email) = %v, want %v", err, auth.ErrEmailTaken)
			}
			if _, err := db.Link(ctx, token); err != nil {
				t.Errorf("Link() after a failed UseSetupLink = %v, want the link kept", err)
			}
		})

		t.Run("wrong kind", func(t *testing.T) {
			_, invitation := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
			_, err := db.UseSetupLink(ctx, invitation, auth.User{Email: "third@example.org"}, fakeHash)
			if !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("UseSetupLink(a password link) = %v, want %v", err, auth.ErrNotFound)
			}
			setup, err := db.CreateSetupLink(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.UsePasswordLink(ctx, setup, u, fakeHash); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("UsePasswordLink(a setup link) = %v, want %v", err, auth.ErrNotFound)
			}
		})
	})
}

func TestSetupLinkReplaced(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		old, err := db.CreateSetupLink(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, invitation := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		current, err := db.CreateSetupLink(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Link(ctx, old); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Link(replaced setup token) = %v, want %v", err, auth.ErrNotFound)
		}
		if _, err := db.UseSetupLink(ctx, old, auth.User{Email: "a@example.org"}, fakeHash); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("UseSetupLink(replaced) = %v, want %v", err, auth.ErrNotFound)
		}
		if _, err := db.Link(ctx, current); err != nil {
			t.Errorf("Link(newest setup token) = %v", err)
		}
		if _, err := db.Link(ctx, invitation); err != nil {
			t.Errorf("Link(an account's password link) after a new setup link = %v, want it kept", err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM account_links`); n != 2 {
			t.Errorf("%d links stored, want 2: the newest setup link and the password link", n)
		}
	})
}

func TestLinkExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		purpose  auth.LinkPurpose
		lifetime time.Duration
	}{
		{auth.LinkSetup, auth.SetupLinkLifetime},
		{auth.LinkPassword, auth.PasswordLinkLifetime},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		for _, tt := range tests {
			t.Run(string(tt.purpose), func(t *testing.T) {
				c.Set(0)
				var token string
				var u auth.User
				var err error
				use := func() error {
					if tt.purpose == auth.LinkSetup {
						_, err := db.UseSetupLink(ctx, token, auth.User{Email: "setup@example.org"}, fakeHash)
						return err
					}
					return db.UsePasswordLink(ctx, token, u, fakeHash)
				}
				if tt.purpose == auth.LinkSetup {
					token, err = db.CreateSetupLink(ctx)
				} else {
					u, _ = mustCreateUser(t, db, "ana@example.org", auth.Analyst)
					token, err = db.CreatePasswordLink(ctx, admin, u.ID)
				}
				if err != nil {
					t.Fatal(err)
				}
				c.Set(tt.lifetime - time.Second)
				if l, err := db.Link(ctx, token); err != nil || !l.ExpiresAt.Equal(start.Add(tt.lifetime)) {
					t.Errorf("Link() a second before it ends = %+v, %v; want it, ending %v", l, err, start.Add(tt.lifetime))
				}
				c.Set(tt.lifetime)
				if _, err := db.Link(ctx, token); !errors.Is(err, auth.ErrNotFound) {
					t.Errorf("Link() when it ends = %v, want %v", err, auth.ErrNotFound)
				}
				if err := use(); !errors.Is(err, auth.ErrNotFound) {
					t.Errorf("using the %s link when it ends = %v, want %v", tt.purpose, err, auth.ErrNotFound)
				}
			})
		}
	})
}

func TestPasswordLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		useClock(db)
		u, token := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		l, err := db.Link(ctx, token)
		if err != nil {
			t.Fatalf("Link(CreateUser token) = %v", err)
		}
		want := auth.Link{Purpose: auth.LinkPassword, User: u, ExpiresAt: start.Add(auth.PasswordLinkLifetime)}
		if diff := cmp.Diff(want, l); diff != "" {
			t.Errorf("Link(CreateUser token) mismatch (-want +got):\n%s", diff)
		}

		session := mustSession(t, db, u.ID)
		if err := db.UsePasswordLink(ctx, token, l.User, passwordHash()); err != nil {
			t.Fatalf("UsePasswordLink() = %v", err)
		}
		got, err := db.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.VerifyPassword(got.PasswordHash, password); !ok || err != nil {
			t.Errorf("VerifyPassword(stored hash, password) = %v, %v; want true, nil", ok, err)
		}
		if _, err := db.Session(ctx, session); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Session() from before UsePasswordLink = %v, want %v", err, auth.ErrNotFound)
		}
		if _, err := db.Link(ctx, token); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Link(used) = %v, want %v", err, auth.ErrNotFound)
		}
		if err := db.UsePasswordLink(ctx, token, l.User, fakeHash); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("UsePasswordLink() a second time = %v, want %v", err, auth.ErrNotFound)
		}
		if got, _ := db.User(ctx, u.ID); got.PasswordHash != passwordHash() {
			t.Errorf("a second UsePasswordLink() changed the password")
		}
	})
}

func TestCreatePasswordLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u, invitation := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		other, otherToken := mustCreateUser(t, db, "ben@example.org", auth.Analyst)
		reset, err := db.CreatePasswordLink(ctx, admin, u.ID)
		if err != nil {
			t.Fatalf("CreatePasswordLink(%d) = %v", u.ID, err)
		}
		if _, err := db.Link(ctx, invitation); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Link(earlier link of the account) = %v, want %v", err, auth.ErrNotFound)
		}
		if l, err := db.Link(ctx, reset); err != nil || l.User.ID != u.ID {
			t.Errorf("Link(new link) = %+v, %v; want the link for user %d", l, err, u.ID)
		}
		if l, err := db.Link(ctx, otherToken); err != nil || l.User.ID != other.ID {
			t.Errorf("Link(another account's link) = %+v, %v; want it kept", l, err)
		}
		t.Run("used for another account", func(t *testing.T) {
			err := db.UsePasswordLink(ctx, otherToken, u, fakeHash)
			if !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("UsePasswordLink(link of user %d, user %d) = %v, want %v", other.ID, u.ID, err, auth.ErrNotFound)
			}
			if got, _ := db.User(ctx, u.ID); got.PasswordHash != "" {
				t.Errorf("UsePasswordLink(link of user %d, user %d) set the password of user %d", other.ID, u.ID, u.ID)
			}
			if _, err := db.Link(ctx, otherToken); err != nil {
				t.Errorf("Link(link of user %d) after its misuse = %v, want it kept", other.ID, err)
			}
		})
		if _, err := db.CreatePasswordLink(ctx, admin, u.ID+1000); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("CreatePasswordLink(%d) = %v, want %v", u.ID+1000, err, auth.ErrNotFound)
		}
	})
}

func TestLinkDisabledAccount(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u, token := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		if _, err := db.UpdateUser(ctx, admin, u.ID, auth.UserUpdate{Role: auth.Analyst, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Link(ctx, token); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Link() of a disabled account = %v, want %v", err, auth.ErrNotFound)
		}
	})
}

func TestLinkUsedOnce(t *testing.T) {
	t.Parallel()
	const n = 4
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()

		// race runs use n times at once and returns the errors.
		race := func(use func(i int) error) []error {
			errs := make([]error, n)
			var ready, wg sync.WaitGroup
			ready.Add(1)
			for i := range n {
				wg.Go(func() {
					ready.Wait()
					errs[i] = use(i)
				})
			}
			ready.Done()
			wg.Wait()
			return errs
		}
		// once checks that exactly one use succeeded and the others found no link.
		once := func(t *testing.T, call string, errs []error) {
			t.Helper()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, auth.ErrNotFound):
					t.Errorf("%s = %v, want nil or %v", call, err, auth.ErrNotFound)
				}
			}
			if ok != 1 {
				t.Errorf("%d concurrent %s: %d succeeded, want 1 (errors %v)", n, call, ok, errs)
			}
		}

		t.Run("password", func(t *testing.T) {
			u, token := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
			errs := race(func(i int) error {
				return db.UsePasswordLink(ctx, token, u, fmt.Sprintf("hash %d", i))
			})
			once(t, "UsePasswordLink()", errs)
			if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'password set'`); n != 1 {
				t.Errorf("%d passwords set, want 1", n)
			}
		})

		t.Run("setup", func(t *testing.T) {
			token, err := db.CreateSetupLink(ctx)
			if err != nil {
				t.Fatal(err)
			}
			errs := race(func(i int) error {
				_, err := db.UseSetupLink(ctx, token, auth.User{Email: fmt.Sprintf("admin%d@example.org", i)}, fakeHash)
				return err
			})
			once(t, "UseSetupLink()", errs)
			if n := count(t, db, `SELECT COUNT(*) FROM users WHERE role = 'admin'`); n != 1 {
				t.Errorf("%d admin accounts made, want 1", n)
			}
		})
	})
}
