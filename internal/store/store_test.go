package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// start is the time at which every test's clock starts.
var start = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

// clock drives a database's idea of the current time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// useClock makes db read the time from a clock set to start.
func useClock(db *store.DB) *clock {
	c := &clock{now: start}
	db.Now = c.Now
	return c
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to start+d.
func (c *clock) Set(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = start.Add(d)
}

// fakeHash stands for a password hash where only its being stored matters;
// the store never looks inside one.
const fakeHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"

// admin is the actor of changes a test makes.
var admin = store.Actor{Email: "test"}

func mustCreateUser(t *testing.T, db *store.DB, email string, role auth.Role) (auth.User, string) {
	t.Helper()
	u, token, err := db.CreateUser(t.Context(), admin, auth.User{Email: email, Name: "Name of " + email, Role: role})
	if err != nil {
		t.Fatalf("CreateUser(%q, %s): %v", email, role, err)
	}
	return u, token
}

// mustAdmin creates an admin account with a password.
func mustAdmin(t *testing.T, db *store.DB, email string) auth.User {
	t.Helper()
	u, _ := mustCreateUser(t, db, email, auth.Admin)
	if err := db.SetPassword(t.Context(), admin, u.ID, fakeHash); err != nil {
		t.Fatalf("SetPassword(%d): %v", u.ID, err)
	}
	u.PasswordHash = fakeHash
	return u
}

func mustSession(t *testing.T, db *store.DB, userID int64) string {
	t.Helper()
	token, _, err := db.CreateSession(t.Context(), userID, "")
	if err != nil {
		t.Fatalf("CreateSession(%d): %v", userID, err)
	}
	return token
}

// count runs a query that returns one number.
func count(t *testing.T, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	n, err := db.Int(t.Context(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// analyze gathers the statistics the engines plan queries with, as a
// database in use has them. The plans change with them: PostgreSQL groups
// rows in a hash table, in no order, where on a new table it sorts them,
// and reads a small table through rather than by an index. A test of an
// order reads with them too, to see what a missing ORDER BY does there.
func analyze(t *testing.T, db *store.DB) {
	t.Helper()
	if err := db.Exec(t.Context(), `ANALYZE`); err != nil {
		t.Fatalf("ANALYZE: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	notDB := filepath.Join(t.TempDir(), "notes.db")
	text := []byte(strings.Repeat("These are notes, not a database.\n", 40))
	if err := os.WriteFile(notDB, text, 0o600); err != nil {
		t.Fatal(err)
	}
	shortNotDB := filepath.Join(t.TempDir(), "short.db")
	if err := os.WriteFile(shortNotDB, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	tests := []struct {
		name     string
		dsn      string
		wantFrom string // the message starts with this
		wantIn   string // and contains this
	}{
		{"folder", dir, "cannot open database " + dir + ": ", "folder"},
		{"text file", notDB, "cannot open database " + notDB + ": ", "the file is not a SQLite database"},
		{"short text file", shortNotDB, "cannot open database " + shortNotDB + ": ", "the file is not a SQLite database"},
		{
			"unreachable server",
			"postgres://nobody:secretpw@127.0.0.1:1/x?connect_timeout=2",
			"cannot open database postgres://nobody:xxxxx@127.0.0.1:1/x?connect_timeout=2: ", "",
		},
		{
			"unreachable server, password in query",
			"postgres://nobody@127.0.0.1:1/x?connect_timeout=2&password=secretpw",
			"cannot open database postgres://nobody@127.0.0.1:1/x?", "",
		},
		{
			"unparsable server URL",
			"postgres://nobody:secretpw@127.0.0.1:1/x?connect_timeout=soon",
			"cannot open database postgres://nobody:xxxxx@127.0.0.1:1/x?connect_timeout=soon: ", "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(t.Context(), tt.dsn)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error, want one", store.Redact(tt.dsn))
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.wantFrom) || !strings.Contains(msg, tt.wantIn) {
				t.Errorf("Open(%q) error = %q, want it to start with %q and contain %q",
					store.Redact(tt.dsn), msg, tt.wantFrom, tt.wantIn)
			}
			if strings.Contains(msg, "secretpw") {
				t.Errorf("Open(%q) error = %q, which shows the password", store.Redact(tt.dsn), msg)
			}
		})
	}

	t.Run("file left alone", func(t *testing.T) {
		for _, f := range []struct {
			path string
			want []byte
		}{{notDB, text}, {shortNotDB, []byte("hello\n")}} {
			got, err := os.ReadFile(f.path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(f.want) {
				t.Errorf("after Open(%q) the file holds %q, want it unchanged (%q)", f.path, got, f.want)
			}
		}
	})
}

func TestOpenCreatesFolder(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "new", "folder", "toolkit.db")
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer db.Close()
	if got := db.Where(); got != path {
		t.Errorf("Where() = %q, want %q", got, path)
	}
	if got := db.Engine(); got != store.SQLite {
		t.Errorf("Engine() = %q, want %q", got, store.SQLite)
	}
	if err := db.Ping(t.Context()); err != nil {
		t.Errorf("Ping() = %v", err)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dsn        string
		isPostgres bool
		redacted   string
	}{
		{"toolkit-data/toolkit.db", false, "toolkit-data/toolkit.db"},
		{"/var/lib/toolkit/secretpw.db", false, "/var/lib/toolkit/secretpw.db"},
		{"", false, ""},
		{"postgres://toolkit@db.example.org/toolkit", true, "postgres://toolkit@db.example.org/toolkit"},
		{"postgres://toolkit:secretpw@db.example.org/toolkit", true, "postgres://toolkit:xxxxx@db.example.org/toolkit"},
		{
			"postgresql://toolkit:secretpw@db.example.org:5432/toolkit?sslmode=require", true,
			"postgresql://toolkit:xxxxx@db.example.org:5432/toolkit?sslmode=require",
		},
		{
			"postgres://toolkit@db.example.org/toolkit?sslmode=require&password=secretpw", true,
			"postgres://toolkit@db.example.org/toolkit?password=xxxxx&sslmode=require",
		},
		{
			"postgres://toolkit@db.example.org/toolkit?sslpassword=secretpw", true,
			"postgres://toolkit@db.example.org/toolkit?sslpassword=xxxxx",
		},
		{"postgres://toolkit:secret%zzpw@db.example.org/toolkit", true, "the PostgreSQL URL (which could not be parsed)"},
		{"postgres://toolkit@db.example.org/toolkit?password=secret%zzpw", true, "the PostgreSQL URL (which could not be parsed)"},
		{"mysql://toolkit:secretpw@db.example.org/toolkit", false, "mysql://toolkit:secretpw@db.example.org/toolkit"},
	}
	for _, tt := range tests {
		if got := store.IsPostgres(tt.dsn); got != tt.isPostgres {
			t.Errorf("IsPostgres(%q) = %v, want %v", tt.dsn, got, tt.isPostgres)
		}
		if got := store.Redact(tt.dsn); got != tt.redacted {
			t.Errorf("Redact(%q) = %q, want %q", tt.dsn, got, tt.redacted)
		}
	}
}

func TestRebind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		engine store.Engine
		query  string
		want   string
	}{
		{"no placeholders", store.Postgres, "SELECT 1", "SELECT 1"},
		{"one", store.Postgres, "SELECT email FROM users WHERE id = ?", "SELECT email FROM users WHERE id = $1"},
		{
			"several", store.Postgres,
			"INSERT INTO t (a, b, c) VALUES (?, ?, ?)",
			"INSERT INTO t (a, b, c) VALUES ($1, $2, $3)",
		},
		{"more than nine", store.Postgres, strings.Repeat("?,", 11) + "?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12"},
		{"next to each other", store.Postgres, "??", "$1$2"},
		{"text around kept", store.Postgres, "-- café\nWHERE name = ? AND role = 'admin'", "-- café\nWHERE name = $1 AND role = 'admin'"},
		{"sqlite untouched", store.SQLite, "SELECT ? + ?", "SELECT ? + ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.Rebind(tt.engine, tt.query); got != tt.want {
				t.Errorf("rebind(%s, %q) = %q, want %q", tt.engine, tt.query, got, tt.want)
			}
		})
	}
}

// TestTimes checks that times go in and come out as whole seconds in UTC
// whatever the zone of the clock.
func TestTimes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		zone := time.FixedZone("UTC+5:30", 5*3600+1800)
		at := time.Date(2026, time.April, 1, 12, 0, 0, 999_999_999, zone)
		db.Now = func() time.Time { return at }
		u, _ := mustCreateUser(t, db, "time@example.org", auth.Analyst)
		got, err := db.User(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, time.April, 1, 6, 30, 0, 0, time.UTC)
		if !got.CreatedAt.Equal(want) || got.CreatedAt.Location() != time.UTC {
			t.Errorf("User(%d).CreatedAt = %v, want %v", u.ID, got.CreatedAt, want)
		}
		if !u.CreatedAt.Equal(want) {
			t.Errorf("CreateUser(...).CreatedAt = %v, want %v", u.CreatedAt, want)
		}
	})
}

// TestTextWithNUL stores and looks up text holding the NUL character,
// which a request can carry though nobody types it. PostgreSQL holds no NUL
// in text and failed the statement, where SQLite stored it: a slug in a
// URL, a channel code or an email address on the sign-in form made a
// server error there. Both engines now store U+FFFD in its place, as JSON
// does for bytes that are not text, and look text up the same way.
func TestTextWithNUL(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", qConsent))
		if err := db.CreateChannel(ctx, admin, s, survey.Channel{Code: "alpha", Name: "Alpha\x00 hub", Kind: "hub"}); err != nil {
			t.Fatalf("CreateChannel(a name with NUL) = %v", err)
		}
		u, _, err := db.CreateUser(ctx, admin, auth.User{Email: "ana@example.org", Name: "Ana\x00", Role: auth.Analyst})
		if err != nil {
			t.Fatalf("CreateUser(a name with NUL) = %v", err)
		}
		// A response sent first starts the response writer, whose prepared
		// statements then store imported ones too.
		mustSubmit(t, db, s.ID, answered(1), keyHash(1))
		if err := db.ImportResponses(ctx, admin, s, []survey.Response{{ID: "r\x00", Version: 1, Phase: survey.Live,
			Channel: "london\x00", Language: "en", SubmittedOn: start}}); err != nil {
			t.Fatalf("ImportResponses(an id and a channel with NUL) = %v", err)
		}

		if _, err := db.Survey(ctx, "careers\x00"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("Survey(careers followed by NUL) = %v, want %v", err, survey.ErrNotFound)
		}
		if _, err := db.SetPhase(ctx, admin, "careers\x00", survey.Pilot); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("SetPhase(careers followed by NUL) = %v, want %v", err, survey.ErrNotFound)
		}
		if ok, err := db.ChannelExists(ctx, s.ID, "alpha\x00"); ok || err != nil {
			t.Errorf("ChannelExists(alpha followed by NUL) = %v, %v; want false, nil", ok, err)
		}
		if _, err := db.UserByEmail(ctx, "ana@example.org\x00"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("UserByEmail(an address followed by NUL) = %v, want %v", err, auth.ErrNotFound)
		}
		// What was stored with a NUL is found by the same text.
		london := store.ResponseFilter{Channel: "london\x00"}
		if n, err := db.CountResponses(ctx, s.ID, london); n != 1 || err != nil {
			t.Errorf("CountResponses(channel london followed by NUL) = %d, %v; want 1, nil", n, err)
		}
		if got := responseIDs(mustResponses(t, db, s.ID, london, 0, 0)); !slices.Equal(got, []string{"r\uFFFD"}) {
			t.Errorf("EachResponse(channel london followed by NUL) = ids %q, want %q", got, "r\uFFFD")
		}

		channels, err := db.Channels(ctx, s.ID)
		if err != nil || len(channels) != 1 {
			t.Errorf("Channels() = %d channels, %v; want one", len(channels), err)
		} else if got := channels[0].Name; got != "Alpha\uFFFD hub" {
			t.Errorf("Channels() gave the name %q, want %q", got, "Alpha\uFFFD hub")
		}
		if got, err := db.User(ctx, u.ID); err != nil || got.Name != "Ana\uFFFD" {
			t.Errorf("User(%d) = name %q, %v; want %q", u.ID, got.Name, err, "Ana\uFFFD")
		}
	})
}
