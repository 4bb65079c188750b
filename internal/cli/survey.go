package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func surveyImport(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("survey import FILE [flags]",
		"Imports an XLSForm (.xlsx, or Markdown tables in a .md file) and prints the survey's slug.\n"+
			"A form whose form_id is already a survey becomes that survey's next version.", &cfg, "db")
	pos, err := parse(fs, &cfg, args, env, 1)
	if err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	def, report, err := survey.ReadForm(pos[0], f)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportSurvey(ctx, store.CommandLine, def)
	if err != nil {
		return err
	}
	for _, n := range report.Notes {
		fmt.Fprintf(env.Stderr, "note: %s\n", n)
	}
	switch {
	case res.Created:
		fmt.Fprintf(env.Stderr, "Imported a new survey in the draft phase, version 1.\n")
	case res.Changed:
		fmt.Fprintf(env.Stderr, "Imported version %d of the survey; its phase stays %s.\n", res.Survey.Version, res.Survey.Phase)
	default:
		fmt.Fprintf(env.Stderr, "The survey is the same as its current version %d; nothing changed.\n", res.Survey.Version)
	}
	fmt.Fprintln(env.Stdout, res.Survey.Slug)
	return nil
}

func surveyList(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("survey list [flags]", "Lists the surveys.", &cfg, "db")
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	surveys, err := db.Surveys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tPHASE\tVERSION\tPILOT\tLIVE\tTITLE")
	for _, s := range surveys {
		counts, err := db.CountByChannel(ctx, s.ID)
		if err != nil {
			return err
		}
		n := map[survey.Phase]int{}
		for _, c := range counts {
			n[c.Phase] += c.Count
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", s.Slug, s.PhaseOn(db.Now()), s.Version, n[survey.Pilot], n[survey.Live],
			s.Title(s.Definition.Settings.DefaultLanguage))
	}
	return tw.Flush()
}

func surveyExport(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("survey export SLUG --format xlsx|md [flags]",
		"Writes a survey's definition as an XLSForm, to standard output or a file.", &cfg, "db")
	format := fs.String("format", "md", "xlsx or md")
	out := fs.String("out", "", "the file to write (default: standard output)")
	version := fs.Int("version", 0, "the version to export (default: the current one)")
	pos, err := parse(fs, &cfg, args, env, 1)
	if err != nil {
		return err
	}
	if *format != "xlsx" && *format != "md" {
		return fmt.Errorf("--format %q: want xlsx or md", *format)
	}
	db, s, err := openSurvey(ctx, cfg.DB, pos[0])
	if err != nil {
		return err
	}
	defer db.Close()
	def := s.Definition
	if *version != 0 {
		if def, err = db.SurveyVersion(ctx, s.ID, *version); err != nil {
			return fmt.Errorf("%s has no version %d (its current version is %d)", s.Slug, *version, s.Version)
		}
	}
	var buf bytes.Buffer
	if *format == "xlsx" {
		err = survey.WriteXLSX(&buf, def.Workbook())
	} else {
		err = survey.WriteMarkdown(&buf, def.Workbook())
	}
	if err != nil {
		return err
	}
	return writeOut(*out, buf.Bytes(), env)
}

// writeOut writes to the named file, or to standard output.
func writeOut(name string, b []byte, env Env) error {
	if name == "" {
		_, err := env.Stdout.Write(b)
		return err
	}
	return os.WriteFile(name, b, 0o600)
}

// surveyNotFound turns a missing survey into a message naming the ones
// there are.
func surveyNotFound(err error, slug string) error {
	if errors.Is(err, survey.ErrNotFound) {
		return fmt.Errorf("there is no survey %q: toolkit survey list shows the surveys", slug)
	}
	return err
}

// openSurvey opens the database and finds the survey with the slug. The
// caller closes the database.
func openSurvey(ctx context.Context, dsn, slug string) (*store.DB, survey.Survey, error) {
	db, err := openMigrated(ctx, dsn)
	if err != nil {
		return nil, survey.Survey{}, err
	}
	s, err := db.Survey(ctx, slug)
	if err != nil {
		db.Close()
		return nil, s, surveyNotFound(err, slug)
	}
	return db, s, nil
}

// parseResponsePhase reads a --phase flag that names a phase responses
// have: pilot or live.
func parseResponsePhase(v string) (survey.Phase, error) {
	if p := survey.Phase(v); p == survey.Pilot || p == survey.Live {
		return p, nil
	}
	return "", fmt.Errorf("--phase %q: want pilot or live", v)
}

func surveyPhase(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("survey phase SLUG draft|pilot|live|closed|archived [flags]",
		"Moves a survey to another phase. Pilot answers are kept, marked pilot.", &cfg, "db")
	pos, err := parse(fs, &cfg, args, env, 2)
	if err != nil {
		return err
	}
	phase, err := survey.ParsePhase(pos[1])
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.SetPhase(ctx, store.CommandLine, pos[0], phase)
	if err != nil {
		return surveyNotFound(err, pos[0])
	}
	fmt.Fprintf(env.Stdout, "%s is now %s.\n", s.Slug, s.Phase)
	return nil
}
