// Package cli is the toolkit command: one subcommand a file, each with its
// own flags.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// Env is what a subcommand may touch of the world outside it.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// ErrUsage means the command line was wrong; the usage text has been shown.
var ErrUsage = errors.New("usage")

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env Env) error
}

func commands() []command {
	return []command{
		{"serve", "run the web platform", serve},
		{"migrate", "bring the database's tables up to date", migrate},
		{"user", "manage volunteer accounts: user add, user list", user},
		{"survey", "manage surveys: survey import, list, export, phase", surveyCmd},
		{"responses", "export responses, or import responses collected elsewhere", responsesCmd},
		{"analyse", "compare outcomes across groups: which barriers fall on whom", analyse},
		{"backup", "copy a live SQLite database to a file", backup},
		{"demo", "fill the demo survey with synthetic responses", demoCmd},
		{"version", "print the version", printVersion},
	}
}

// Run runs the subcommand named by args[0].
func Run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		help(env.Stdout)
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], env)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	help(env.Stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func help(w io.Writer) {
	fmt.Fprintln(w, "toolkit runs the HealthTech Toolkit platform.")
	fmt.Fprintln(w, "\nUsage: toolkit COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun toolkit COMMAND -h for a command's flags.")
}

// parse parses a subcommand's flags, printing usage and parse errors to
// the error stream, and validates the settings.
func parse(fs *flag.FlagSet, cfg *config.Config, args []string, env Env) error {
	fs.SetOutput(env.Stderr)
	if err := config.Parse(fs, args, env.Getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		// The flag package has already printed what was wrong and the
		// usage; an environment variable error has not been printed.
		if !strings.HasPrefix(err.Error(), "environment") {
			return ErrUsage
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags go before it? run toolkit %s -h)", fs.Arg(0), fs.Name())
	}
	return cfg.Validate()
}

// openMigrated opens the database and checks that its tables are up to
// date, for subcommands that do not migrate it themselves.
func openMigrated(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	ms, err := db.Migrations(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range ms {
		if !m.Applied {
			db.Close()
			return nil, fmt.Errorf("the database %s is not up to date: run toolkit migrate (or toolkit serve) first", db.Where())
		}
	}
	return db, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel)) // Validate has checked it
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
