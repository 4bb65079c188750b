package cli

import (
	"context"
	"fmt"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

func migrate(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("migrate [flags]",
		"Brings the database's tables up to date. toolkit serve does this too at every start;\n"+
			"run it alone to upgrade before starting several servers on one PostgreSQL database.",
		&cfg, "db")
	status := fs.Bool("status", false, "list the migrations and which are applied, and change nothing")
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if *status {
		return printMigrations(ctx, db, env)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, name := range applied {
		fmt.Fprintf(env.Stdout, "applied %s\n", name)
	}
	fmt.Fprintf(env.Stdout, "%s is up to date (%d migration(s) applied now)\n", db.Where(), len(applied))
	return nil
}

func printMigrations(ctx context.Context, db *store.DB, env Env) error {
	ms, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		state := "pending"
		if m.Applied {
			state = "applied"
		}
		fmt.Fprintf(env.Stdout, "%-8s %s\n", state, m.Name)
	}
	return nil
}
