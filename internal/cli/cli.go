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
	"text/tabwriter"

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

// A command either runs, or holds commands of its own (toolkit survey
// import): then the first argument names one of them.
type command struct {
	name    string
	summary string // what it does, for the list of commands
	run     func(ctx context.Context, args []string, env Env) error
	subs    []command
}

// toolkit is the whole command line.
func toolkit() command {
	return command{name: "toolkit", summary: "run the HealthTech Toolkit platform", subs: []command{
		{name: "serve", summary: "run the web platform", run: serve},
		{name: "migrate", summary: "bring the database's tables up to date", run: migrate},
		{name: "user", summary: "manage volunteer accounts", subs: []command{
			{name: "add", summary: "create an account and print a link for choosing its password", run: userAdd},
			{name: "list", summary: "list the accounts", run: userList},
		}},
		{name: "survey", summary: "manage surveys", subs: []command{
			{name: "import", summary: "import an XLSForm as a new survey or a new version", run: surveyImport},
			{name: "list", summary: "list the surveys, their phases and response counts", run: surveyList},
			{name: "export", summary: "write a survey as an XLSForm", run: surveyExport},
			{name: "phase", summary: "move a survey to another phase", run: surveyPhase},
		}},
		{name: "responses", summary: "export survey responses, or import those collected elsewhere", subs: []command{
			{name: "export", summary: "write a survey's responses in the ODK/KoboToolbox shape", run: responsesExport},
			{name: "import", summary: "bring in responses collected elsewhere, checking every row", run: responsesImport},
		}},
		{name: "analyse", summary: "compare outcomes across groups: which barriers fall on whom", run: analyse},
		{name: "backup", summary: "copy a live SQLite database to a file", run: backup},
		{name: "demo", summary: "fill the demo survey with synthetic responses", run: demoCmd},
		{name: "version", summary: "print the version", run: printVersion},
	}}
}

// Run runs the command that args name.
func Run(ctx context.Context, args []string, env Env) error {
	return toolkit().dispatch(ctx, "toolkit", args, env)
}

// dispatch runs c, named path on the command line, with the arguments
// that follow its name. A command with commands of its own takes the
// first argument as the name of one of them, or help (also -h and --help)
// for its list, or help NAME for the help of one.
func (c command) dispatch(ctx context.Context, path string, args []string, env Env) error {
	if c.run != nil {
		err := c.run(ctx, args, env)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if len(args) == 0 {
		c.help(env.Stderr, path)
		return ErrUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			return c.dispatch(ctx, path, append(args[1:len(args):len(args)], "-h"), env)
		}
		c.help(env.Stdout, path)
		return nil
	}
	for _, sub := range c.subs {
		if sub.name == args[0] {
			return sub.dispatch(ctx, path+" "+sub.name, args[1:], env)
		}
	}
	c.help(env.Stderr, path)
	return fmt.Errorf("unknown command %q: %s takes %s", args[0], path, c.names())
}

// help writes the usage of a command with commands of its own.
func (c command) help(w io.Writer, path string) {
	fmt.Fprintf(w, "Usage: %s COMMAND [flags]\n\nCommands to %s:\n", path, c.summary)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, sub := range c.subs {
		summary := sub.summary
		if sub.subs != nil {
			summary += " (" + sub.names() + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", sub.name, summary)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun %s help COMMAND, or %[1]s COMMAND -h, for what a command takes.\n", path)
}

// names lists the names of c's commands: "a, b or c".
func (c command) names() string {
	var names []string
	for _, sub := range c.subs {
		names = append(names, sub.name)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// parse parses a command's settings, from the environment and then the
// flags, and the positional arguments it takes (want of them), which the
// flags may come before or after. Problems with the flags are printed
// with the usage on the error stream.
func parse(fs *flag.FlagSet, cfg *config.Config, args []string, env Env, want int) ([]string, error) {
	fs.SetOutput(env.Stderr)
	// With no arguments this reads the environment alone, so that an
	// error is about a variable, and has not been printed.
	if err := config.Parse(fs, nil, env.Getenv); err != nil {
		return nil, err
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, ErrUsage // the flag package has said what was wrong
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if len(pos) != want {
		fs.Usage()
		if want == 0 {
			return nil, fmt.Errorf("unexpected argument %q: the command takes flags only", pos[0])
		}
		return nil, fmt.Errorf("expected %d argument(s), got %d (%s)", want, len(pos), strings.Join(pos, " "))
	}
	return pos, cfg.Validate()
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
