package cli

import (
	"errors"
	"strings"
	"testing"
)

// TestCommandLine: every level of the command line answers help, a missing
// command and an unknown one the same way.
func TestCommandLine(t *testing.T) {
	const (
		top       = "Usage: toolkit COMMAND [flags]\n\nCommands to run the HealthTech Toolkit platform:\n"
		surveys   = "Usage: toolkit survey COMMAND [flags]\n\nCommands to manage surveys:\n"
		users     = "Usage: toolkit user COMMAND [flags]\n\nCommands to manage volunteer accounts:\n"
		responses = "Usage: toolkit responses COMMAND [flags]\n\nCommands to export survey responses, or import those collected elsewhere:\n"
	)
	for _, tc := range []struct {
		args           []string
		err            string // "" for none; "usage" for ErrUsage
		stdout, stderr string // what they start with
	}{
		{args: nil, err: "usage", stderr: top},
		{args: []string{"help"}, stdout: top},
		{args: []string{"-h"}, stdout: top},
		{args: []string{"--help"}, stdout: top},
		{args: []string{"frobnicate"}, err: `unknown command "frobnicate": toolkit takes serve, migrate, user, survey, responses, analyse, backup, demo or version`, stderr: top},
		{args: []string{"help", "frobnicate"}, err: `unknown command "frobnicate": toolkit takes serve,`, stderr: top},

		{args: []string{"survey"}, err: "usage", stderr: surveys},
		{args: []string{"survey", "help"}, stdout: surveys},
		{args: []string{"survey", "-h"}, stdout: surveys},
		{args: []string{"help", "survey"}, stdout: surveys},
		{args: []string{"survey", "frobnicate"}, err: `unknown command "frobnicate": toolkit survey takes import, list, export or phase`, stderr: surveys},
		{args: []string{"help", "survey", "import"}, stderr: "Usage: toolkit survey import FILE [flags]\n"},
		{args: []string{"survey", "import", "-h"}, stderr: "Usage: toolkit survey import FILE [flags]\n"},
		{args: []string{"survey", "import", "--frobnicate"}, err: "usage", stderr: "flag provided but not defined: -frobnicate\nUsage: toolkit survey import FILE [flags]\n"},
		{args: []string{"survey", "export"}, err: "expected 1 argument(s), got 0", stderr: "Usage: toolkit survey export SLUG"},

		{args: []string{"user"}, err: "usage", stderr: users},
		{args: []string{"user", "--help"}, stdout: users},
		{args: []string{"user", "frobnicate"}, err: `unknown command "frobnicate": toolkit user takes add or list`, stderr: users},
		{args: []string{"user", "list", "extra"}, err: `unexpected argument "extra": the command takes flags only`, stderr: "Usage: toolkit user list [flags]\n"},

		{args: []string{"responses"}, err: "usage", stderr: responses},
		{args: []string{"help", "responses"}, stdout: responses},
		{args: []string{"responses", "frobnicate"}, err: `unknown command "frobnicate": toolkit responses takes export or import`, stderr: responses},
	} {
		stdout, stderr, err := run(t, nil, tc.args...)
		switch {
		case tc.err == "" && err != nil,
			tc.err == "usage" && !errors.Is(err, ErrUsage),
			tc.err != "" && tc.err != "usage" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
			t.Errorf("toolkit %q: error %v, want %q", tc.args, err, tc.err)
		}
		if !strings.HasPrefix(stdout, tc.stdout) || tc.stdout == "" && stdout != "" {
			t.Errorf("toolkit %q printed on standard output:\n%s\nwant it to start:\n%s", tc.args, stdout, tc.stdout)
		}
		if !strings.HasPrefix(stderr, tc.stderr) || tc.stderr == "" && stderr != "" {
			t.Errorf("toolkit %q printed on standard error:\n%s\nwant it to start:\n%s", tc.args, stderr, tc.stderr)
		}
	}
}

// TestEveryCommandHelps walks the whole command line: each command with
// commands of its own lists them with what they do, and each that runs
// shows its usage under its own name with -h, without running.
func TestEveryCommandHelps(t *testing.T) {
	var walk func(c command, path []string)
	walk = func(c command, path []string) {
		name := strings.Join(path, " ")
		if c.summary == "" {
			t.Errorf("%s has no summary", name)
		}
		if c.run != nil {
			stdout, stderr, err := run(t, nil, append(path[1:len(path):len(path)], "-h")...)
			usage := strings.HasPrefix(stderr, "Usage: "+name+" ") || strings.HasPrefix(stderr, "Usage: "+name+"\n")
			if err != nil || stdout != "" || !usage {
				t.Errorf("%s -h: %v, stdout %q, stderr:\n%s\nwant its usage on standard error", name, err, stdout, stderr)
			}
			return
		}
		stdout, _, err := run(t, nil, append(path[1:len(path):len(path)], "help")...)
		if err != nil {
			t.Errorf("%s help: %v", name, err)
		}
		for _, sub := range c.subs {
			if !strings.Contains(stdout, "  "+sub.name+" ") || !strings.Contains(stdout, sub.summary) {
				t.Errorf("%s help does not list %s with %q:\n%s", name, sub.name, sub.summary, stdout)
			}
			walk(sub, append(path[:len(path):len(path)], sub.name))
		}
	}
	walk(toolkit(), []string{"toolkit"})
}
