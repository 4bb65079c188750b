package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

func backup(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("backup --to FILE [flags]",
		"Writes a consistent copy of a SQLite database to a new file, while the server\n"+
			"goes on running. Restore by stopping the server and putting the copy in the\n"+
			"database's place (or pointing --db at it). For PostgreSQL, use pg_dump.",
		&cfg, "db")
	to := fs.String("to", "", "the new file to write the copy to (required)")
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("--to is required: say which new file to write the copy to")
	}
	if !store.IsPostgres(cfg.DB) {
		// Opening a missing SQLite file would create an empty database and
		// back that up; say what is wrong instead.
		if _, err := os.Stat(cfg.DB); err != nil {
			return fmt.Errorf("there is no database at %s to back up", cfg.DB)
		}
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fi, err := os.Stat(*to)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Copied %s to %s (%d bytes).\n", db.Where(), *to, fi.Size())
	return nil
}
