package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

// TestDemo adds synthetic responses to a new database, which gets the
// demo content first, and then more.
func TestDemo(t *testing.T) {
	env := map[string]string{"TOOLKIT_DB": storetest.DSN(t, store.SQLite)}
	for _, n := range []string{"300", "200"} {
		out, _, err := run(t, env, "demo", "--responses", n, "--seed", "7")
		if err != nil || !strings.HasPrefix(out, "Added "+n+" made-up responses to healthtech-barriers in ") ||
			!strings.Contains(out, "barriers/inaccessible: disability = yes, 1.9 times as likely as the rest") {
			t.Fatalf("demo --responses %s: %v\n%s", n, err, out)
		}
	}
	out, _, err := run(t, env, "survey", "list")
	if err != nil || !strings.Contains(out, demo.SurveySlug) {
		t.Fatalf("survey list: %v\n%s", err, out)
	}
	db := storetest.OpenDSN(t, env["TOOLKIT_DB"])
	s, err := db.Survey(context.Background(), demo.SurveySlug)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.CountResponses(context.Background(), s.ID, store.ResponseFilter{}); err != nil || n != 500 {
		t.Errorf("CountResponses = %d, %v; want 500", n, err)
	}
}

// TestDemoRefused: what is wrong is said in one line, and nothing is
// added.
func TestDemoRefused(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no count", nil, "say how many responses to add, such as --responses 1000"},
		{"not a number", []string{"--responses", "ten"}, `--responses "ten": want a whole number of responses, 1 or more`},
		{"none", []string{"--responses", "0"}, `--responses "0": want a whole number of responses, 1 or more`},
		{"fewer than none", []string{"--responses", "-5"}, `--responses "-5": want a whole number of responses, 1 or more`},
		{"a bad seed", []string{"--responses", "10", "--seed", "x"}, `--seed "x": want a whole number, 0 or more`},
		{"an argument", []string{"--responses", "10", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"TOOLKIT_DB": storetest.DSN(t, store.SQLite)}
			out, _, err := run(t, env, append([]string{"demo"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("demo %s = %v, want one line that says %q", strings.Join(tt.args, " "), err, tt.want)
			}
			if out != "" {
				t.Errorf("demo %s printed %q, want nothing", strings.Join(tt.args, " "), out)
			}
		})
	}

	// A database that has a campaign already does not get the demo
	// content, so without the demo survey there is nothing to add to.
	env := map[string]string{"TOOLKIT_DB": storetest.DSN(t, store.SQLite)}
	db := storetest.OpenDSN(t, env["TOOLKIT_DB"])
	if _, err := db.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, _, err := run(t, env, "demo", "--responses", "10")
	if err == nil || !strings.Contains(err.Error(), "the database has no survey healthtech-barriers") || strings.Contains(err.Error(), "\n") {
		t.Errorf("demo without the demo survey = %v, want one line that says it is missing", err)
	}
}
