package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

func TestCreateSession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		useClock(db)
		u, _ := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		token, created, err := db.CreateSession(ctx, u.ID, "")
		if err != nil {
			t.Fatalf("CreateSession(%d) = %v", u.ID, err)
		}
		if len(created.FormToken) != 43 || created.FormToken == token {
			t.Errorf("CreateSession(%d) form token = %q, want a new 43-character token", u.ID, created.FormToken)
		}
		want := auth.Session{IDHash: auth.HashToken(token), User: u, FormToken: created.FormToken,
			CreatedAt: start, LastSeenAt: start, ExpiresAt: start.Add(auth.SessionIdle)}
		if diff := cmp.Diff(want, created); diff != "" {
			t.Errorf("CreateSession(%d) mismatch (-want +got):\n%s", u.ID, diff)
		}

		t.Run("found", func(t *testing.T) {
			s, err := db.Session(ctx, token)
			if err != nil {
				t.Fatalf("Session(token) = %v", err)
			}
			if diff := cmp.Diff(want, s); diff != "" {
				t.Errorf("Session(token) mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("unknown token", func(t *testing.T) {
			for _, tok := range []string{"", "nope", created.IDHash} {
				if _, err := db.Session(ctx, tok); !errors.Is(err, auth.ErrNotFound) {
					t.Errorf("Session(%q) = %v, want %v", tok, err, auth.ErrNotFound)
				}
			}
		})

		t.Run("only the hash is stored", func(t *testing.T) {
			values, err := db.Dump(ctx)
			if err != nil {
				t.Fatal(err)
			}
			hashSeen := false
			for _, v := range values {
				if strings.Contains(v, token) {
					t.Errorf("the database holds the cookie value: %s", v)
				}
				hashSeen = hashSeen || v == "sessions.id_hash="+auth.HashToken(token)
			}
			if !hashSeen {
				t.Errorf("no sessions.id_hash=%s among the %d values in the database", auth.HashToken(token), len(values))
			}
		})

		t.Run("replacing", func(t *testing.T) {
			next, _, err := db.CreateSession(ctx, u.ID, token)
			if err != nil {
				t.Fatalf("CreateSession(replacing) = %v", err)
			}
			if next == token {
				t.Fatalf("CreateSession(replacing) returned the same token")
			}
			if _, err := db.Session(ctx, token); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("Session(replaced) = %v, want %v", err, auth.ErrNotFound)
			}
			if _, err := db.Session(ctx, next); err != nil {
				t.Errorf("Session(new) = %v", err)
			}
			token = next
		})

		t.Run("delete", func(t *testing.T) {
			kept := mustSession(t, db, u.ID)
			if err := db.DeleteSession(ctx, token); err != nil {
				t.Fatalf("DeleteSession() = %v", err)
			}
			if _, err := db.Session(ctx, token); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("Session(deleted) = %v, want %v", err, auth.ErrNotFound)
			}
			if _, err := db.Session(ctx, kept); err != nil {
				t.Errorf("Session(another of the same account) = %v, want it kept", err)
			}
			if err := db.DeleteSession(ctx, token); err != nil {
				t.Errorf("DeleteSession() a second time = %v, want nil", err)
			}
		})

		t.Run("unknown user", func(t *testing.T) {
			if _, _, err := db.CreateSession(ctx, u.ID+1000, ""); err == nil {
				t.Errorf("CreateSession(%d) = nil error, want one", u.ID+1000)
			}
		})
	})
}

func TestSessionDisabledAccount(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u, _ := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		token := mustSession(t, db, u.ID)
		// Disabled behind the store's back, so that the session row stays.
		if err := db.Exec(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, start.Unix(), u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, token); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Session() of a disabled account = %v, want %v", err, auth.ErrNotFound)
		}
	})
}

func TestSessionLifetime(t *testing.T) {
	t.Parallel()
	const idle, max, touch = auth.SessionIdle, auth.SessionMax, auth.SessionTouch
	// Every 11 hours, for as long as that stays within the maximum.
	var often []time.Duration
	for d := 11 * time.Hour; d < max; d += 11 * time.Hour {
		often = append(often, d)
	}
	tests := []struct {
		name  string
		uses  []time.Duration // when the session is used, after it began
		check time.Duration   // when it is looked up at last
		found bool
	}{
		{"new", nil, 0, true},
		{"just before idle end", nil, idle - time.Second, true},
		{"at idle end", nil, idle, false},
		{"after idle end", nil, idle + time.Hour, false},
		{"kept alive by use", []time.Duration{11 * time.Hour}, 23*time.Hour - time.Second, true},
		{"idle after last use", []time.Duration{11 * time.Hour}, 23 * time.Hour, false},
		{"use within touch interval does not extend", []time.Duration{touch - time.Second}, idle, false},
		{"use at touch interval extends", []time.Duration{touch}, idle, true},
		{"use at touch interval extends to idle after it", []time.Duration{touch}, touch + idle, false},
		{"used often, just before maximum", often, max - time.Second, true},
		{"used often, at maximum", often, max, false},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		u, _ := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c.Set(0)
				token := mustSession(t, db, u.ID)
				for _, d := range tt.uses {
					c.Set(d)
					if _, err := db.Session(ctx, token); err != nil {
						t.Fatalf("Session() at +%v = %v", d, err)
					}
				}
				c.Set(tt.check)
				_, err := db.Session(ctx, token)
				if tt.found && err != nil {
					t.Errorf("Session() at +%v after uses at %v = %v, want the session", tt.check, tt.uses, err)
				} else if !tt.found && !errors.Is(err, auth.ErrNotFound) {
					t.Errorf("Session() at +%v after uses at %v = %v, want %v", tt.check, tt.uses, err, auth.ErrNotFound)
				}
			})
		}
	})
}

// TestSessionTouch checks that the last-seen time is written only when it
// is at least auth.SessionTouch old.
func TestSessionTouch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		u, _ := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		token := mustSession(t, db, u.ID)
		hash := auth.HashToken(token)
		// Another session, in another browser, is not touched.
		other := auth.HashToken(mustSession(t, db, u.ID))
		steps := []struct {
			at       time.Duration
			lastSeen time.Duration // stored after the use
		}{
			{time.Minute, 0},
			{auth.SessionTouch - time.Second, 0},
			{auth.SessionTouch, auth.SessionTouch},
			{2*auth.SessionTouch - time.Second, auth.SessionTouch},
			{2 * auth.SessionTouch, 2 * auth.SessionTouch},
		}
		for _, st := range steps {
			c.Set(st.at)
			s, err := db.Session(ctx, token)
			if err != nil {
				t.Fatalf("Session() at +%v = %v", st.at, err)
			}
			want := start.Add(st.lastSeen)
			if !s.LastSeenAt.Equal(want) || !s.ExpiresAt.Equal(want.Add(auth.SessionIdle)) {
				t.Errorf("Session() at +%v: LastSeenAt %v, ExpiresAt %v; want %v, %v",
					st.at, s.LastSeenAt, s.ExpiresAt, want, want.Add(auth.SessionIdle))
			}
			stored := count(t, db, `SELECT last_seen_at FROM sessions WHERE id_hash = ?`, hash)
			storedEnd := count(t, db, `SELECT expires_at FROM sessions WHERE id_hash = ?`, hash)
			if stored != want.Unix() || storedEnd != want.Add(auth.SessionIdle).Unix() {
				t.Errorf("after Session() at +%v: stored last_seen_at %v, expires_at %v; want %v, %v", st.at,
					time.Unix(stored, 0).UTC(), time.Unix(storedEnd, 0).UTC(), want, want.Add(auth.SessionIdle))
			}
			if seen := count(t, db, `SELECT last_seen_at FROM sessions WHERE id_hash = ?`, other); seen != start.Unix() {
				t.Errorf("after Session() at +%v another session was last seen at %v, want %v", st.at, time.Unix(seen, 0).UTC(), start)
			}
		}
	})
}

func TestSessionSweep(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := useClock(db)
		u, _ := mustCreateUser(t, db, "ana@example.org", auth.Analyst)
		old := mustSession(t, db, u.ID)
		c.Set(time.Hour)
		live := mustSession(t, db, u.ID)
		c.Set(auth.SessionIdle) // old has just ended; live has an hour left
		mustSession(t, db, u.ID)
		has := func(token string) bool {
			return count(t, db, `SELECT COUNT(*) FROM sessions WHERE id_hash = ?`, auth.HashToken(token)) == 1
		}
		if has(old) {
			t.Errorf("an ended session is still stored after CreateSession")
		}
		if !has(live) {
			t.Errorf("a live session was removed by CreateSession")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions`); n != 2 {
			t.Errorf("%d sessions stored, want 2", n)
		}
	})
}
