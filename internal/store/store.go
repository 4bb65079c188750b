// Package store keeps the platform's data in SQLite or PostgreSQL. It is the
// only package that speaks SQL: one set of queries, written with ?
// placeholders in the subset both engines understand, serves both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"               // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine names a database engine.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open database.
type DB struct {
	engine Engine
	where  string // the file or the server, safe to show (no password)
	dsn    string // how the SQLite file was opened, for backups

	// SQLite allows one writer at a time, so writes go through a pool of one
	// connection and wait their turn in Go, while reads use a pool of their
	// own. On PostgreSQL both are the same pool.
	write *sql.DB
	read  *sql.DB

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// stmts holds prepared statements, by pool and query text: preparing
	// (parsing the SQL) costs more than running the small queries of a
	// survey page.
	stmts sync.Map // stmtKey → *sql.Stmt

	// definitions caches survey versions, which never change once stored:
	// versionKey → *survey.Definition.
	definitions sync.Map

	// The response writer (see SubmitResponse), started on first use.
	writerOnce   sync.Once
	writerMu     sync.RWMutex
	writerClosed bool
	submissions  chan *submission
	writerDone   chan struct{}
}

// DefaultPath is where the SQLite database lives when --db is not given.
const DefaultPath = "toolkit-data/toolkit.db"

// IsPostgres reports whether dsn names a PostgreSQL server rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// Redact returns dsn with any password replaced, fit for messages and logs.
func Redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "the PostgreSQL URL (which could not be parsed)"
	}
	// A password may also be given as a query parameter.
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return "the PostgreSQL URL (which could not be parsed)"
		}
		for _, key := range []string{"password", "sslpassword"} {
			if q.Has(key) {
				q.Set(key, "xxxxx")
				u.RawQuery = q.Encode()
			}
		}
	}
	return u.Redacted()
}

// Open opens the database named by dsn: a postgres:// URL, or else the path
// of a SQLite file, created with its folder if it does not exist. It does
// not apply migrations; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		dsn = DefaultPath
	}
	db := &DB{where: Redact(dsn), Now: time.Now}
	var err error
	if IsPostgres(dsn) {
		db.engine = Postgres
		err = db.openPostgres(ctx, dsn)
	} else {
		db.engine = SQLite
		err = db.openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", db.where, oneLine{err})
	}
	return db, nil
}

// oneLine keeps an error's message on one line, for the single line the
// program prints when it cannot start. (The PostgreSQL driver lists each
// address it tried on a line of its own, often twice.)
type oneLine struct{ err error }

func (e oneLine) Error() string {
	var parts []string
	for line := range strings.SplitSeq(e.err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" && !slices.Contains(parts, line) {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, " ")
}

func (e oneLine) Unwrap() error { return e.err }

func (db *DB) openPostgres(ctx context.Context, dsn string) error {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	pool.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
	pool.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.write, db.read = pool, pool
	return db.ping(ctx)
}

// sqlitePragmas are set on every connection: write-ahead logging so readers
// never block the writer, foreign keys enforced (SQLite leaves them off by
// default), a busy timeout instead of immediate "database is locked"
// errors, and transactions that take the write lock when they begin.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
	"&_pragma=synchronous(NORMAL)&_txlock=immediate"

func (db *DB) openSQLite(ctx context.Context, path string) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("cannot create its folder: %w", err)
		}
	}
	// A directory or a file that is not a database fails early with a
	// message that says so, rather than in the middle of a migration.
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return errors.New("it is a folder, not a file")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + sqlitePragmas
	db.dsn = dsn
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return err
	}
	r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	db.write, db.read = w, r
	if err := db.ping(ctx); err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_NOTADB {
			return errors.New("the file is not a SQLite database")
		}
		return err
	}
	return nil
}

func (db *DB) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return err
	}
	return nil
}

// Engine says which engine holds the data.
func (db *DB) Engine() Engine { return db.engine }

// Where names the file or the server, without any password.
func (db *DB) Where() string { return db.where }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close writes the responses still queued and closes the database.
func (db *DB) Close() error {
	db.stopWriter()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// now is the current time, truncated to the second as it is stored.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Second) }

// rebind turns ? placeholders into PostgreSQL's $1, $2, … Queries in this
// package never contain a literal question mark.
func (db *DB) rebind(query string) string {
	if db.engine != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Tx is a write transaction.
type Tx struct {
	db *DB
	tx *sql.Tx
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	// Statements prepared beforehand are used; preparing one here would
	// wait for the connection the transaction holds.
	if s, ok := tx.db.stmts.Load(stmtKey{tx.db.write, query}); ok {
		return tx.tx.StmtContext(ctx, s.(*sql.Stmt)).ExecContext(ctx, textArgs(args)...)
	}
	return tx.tx.ExecContext(ctx, tx.db.rebind(query), textArgs(args)...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(query), textArgs(args)...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.db.rebind(query), textArgs(args)...)
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&Tx{db: db, tx: sqlTx}); err != nil {
		sqlTx.Rollback()
		return err
	}
	return sqlTx.Commit()
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// stmt returns the query prepared on the pool, preparing it the first time.
func (db *DB) stmt(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	key := stmtKey{pool, query}
	if s, ok := db.stmts.Load(key); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := pool.PrepareContext(ctx, db.rebind(query))
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(key, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, db.rebind(query), textArgs(args)...)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	args = textArgs(args)
	s, err := db.stmt(ctx, db.read, query)
	if err != nil {
		return db.read.QueryRowContext(ctx, db.rebind(query), args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, db.rebind(query), textArgs(args)...)
}

// textArgs returns args with every NUL character in their strings replaced
// by U+FFFD, as encoding/json replaces bytes that are not text. A request
// can carry a NUL, though nobody types one: PostgreSQL holds none in text
// and fails the statement, where SQLite stores it. Replaced, the same text
// is stored on both, and a key holding one, such as a slug in a URL, finds
// what was stored with it (almost always nothing) rather than failing.
func textArgs(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok && strings.IndexByte(s, 0) >= 0 {
			out := slices.Clone(args)
			for j := i; j < len(out); j++ {
				if s, ok := out[j].(string); ok {
					out[j] = withoutNUL(s)
				}
			}
			return out
		}
	}
	return args
}

// withoutNUL returns s with every NUL character replaced by U+FFFD.
func withoutNUL(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }

// unix turns a time into the stored form: Unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// nullUnix is unix for a column where the zero time is stored as NULL.
func nullUnix(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: t.Unix(), Valid: !t.IsZero()}
}

// fromUnix turns a stored time back into a time.Time in UTC.
func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

func fromNullUnix(s sql.NullInt64) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return fromUnix(s.Int64)
}
