package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// This file opens a few internals to the tests in package store_test.

// Rebind is db.rebind for a database of engine e.
func Rebind(e Engine, query string) string { return (&DB{engine: e}).rebind(query) }

// Columns returns the name of every column of every table the migrations
// made, by table, in the order the table declares them. Goose's own version
// table and SQLite's internal tables are left out.
func (db *DB) Columns(ctx context.Context) (map[string][]string, error) {
	q := `SELECT t.name, c.name FROM sqlite_schema t, pragma_table_info(t.name) c
		WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite!_%' ESCAPE '!' AND t.name <> 'goose_db_version'
		ORDER BY t.name, c.cid`
	if db.engine == Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name <> 'goose_db_version'
			ORDER BY table_name, ordinal_position`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tables := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, err
		}
		tables[table] = append(tables[table], column)
	}
	return tables, rows.Err()
}

// Dump returns every value in every table as text, so that a test can look
// for a string anywhere in the database.
func (db *DB) Dump(ctx context.Context) ([]string, error) {
	tables, err := db.Columns(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, table := range slices.Sorted(maps.Keys(tables)) {
		rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+table)
		if err != nil {
			return nil, err
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return nil, err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				out = append(out, fmt.Sprintf("%s.%s=%v", table, cols[i], v))
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Int runs a query that returns one integer, on the read pool.
func (db *DB) Int(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, db.rebind(query), args...).Scan(&n)
	return n, err
}

// Exec runs a statement on the write pool, for states the API cannot reach.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.rebind(query), args...)
	return err
}
