package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

func demoCmd(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("demo --responses N [flags]",
		"Adds N made-up responses to the demo survey, "+demo.SurveySlug+", so that the reports have something\n"+
			"to show; a new database gets the demo content first. The responses look like real ones, and a\n"+
			"few barriers fall deliberately harder on some groups than on the rest, as listed at the end;\n"+
			"nothing else differs between groups. The same seed makes the same responses, and another\n"+
			"run adds those that come after them.", &cfg, "db")
	responses := fs.String("responses", "", "how many responses to add, such as 1000")
	seed := fs.String("seed", "1", "the seed of the made-up responses, a whole number")
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	if *responses == "" {
		return errors.New("say how many responses to add, such as --responses 1000")
	}
	n, err := strconv.Atoi(*responses)
	if err != nil || n < 1 {
		return fmt.Errorf("--responses %q: want a whole number of responses, 1 or more, such as 1000", *responses)
	}
	s, err := strconv.ParseUint(*seed, 10, 64)
	if err != nil {
		return fmt.Errorf("--seed %q: want a whole number, 0 or more", *seed)
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	p := &progress{w: env.Stderr, what: "added", total: n, last: start}
	if err := demo.AddResponses(ctx, db, n, s, p.report); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Added %d made-up responses to %s in %v.\n", n, demo.SurveySlug, time.Since(start).Round(time.Second/10))
	fmt.Fprintln(env.Stdout, "The differences made on purpose, which a report on enough responses finds:")
	for _, d := range demo.Planted {
		fmt.Fprintf(env.Stdout, "  %s: %s = %s, %.1f times as likely as the rest\n", d.Outcome, d.Dimension, d.Group, d.RiskRatio)
	}
	return nil
}
