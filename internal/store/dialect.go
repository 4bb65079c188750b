package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The few places where the engines differ in what they report live here.

// isUniqueViolation reports whether err is a broken UNIQUE or PRIMARY KEY
// constraint.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// answerOf returns SQL for the text of the answer to a question in a
// response's answers (JSON text, each answer a string), and the parameter
// that SQL takes. Reading the one answer in the database lets it count and
// page a survey's answers without sending every response to Go: on 100,000
// responses a page takes under a second on SQLite and about one on
// PostgreSQL, where decoding every response in Go, as EachResponse does,
// takes two to three.
func (db *DB) answerOf(question string) (string, any) {
	if db.engine == Postgres {
		return `(answers::json ->> CAST(? AS TEXT))`, question
	}
	// A quoted key: question names may hold dots.
	return `json_extract(answers, ?)`, `$."` + question + `"`
}
