package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// progress reports long work on the terminal, at most every half second.
type progress struct {
	w     io.Writer
	what  string
	total int
	last  time.Time
}

func (p *progress) report(done int) {
	if time.Since(p.last) < 500*time.Millisecond {
		return
	}
	p.last = time.Now()
	if p.total > 0 {
		fmt.Fprintf(p.w, "%s %d of %d rows (%d%%)\n", p.what, done, p.total, done*100/p.total)
	} else {
		fmt.Fprintf(p.w, "%s %d rows\n", p.what, done)
	}
}

func responsesExport(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("responses export SLUG [flags]",
		"Writes a survey's responses, one row per response and one column per question, in the\n"+
			"ODK/KoboToolbox shape. The export is recorded in the audit log.", &cfg, "db")
	format := fs.String("format", "csv", "csv, xlsx or json")
	out := fs.String("out", "", "the file to write (default: standard output)")
	phase := fs.String("phase", "", "only pilot or only live responses (default: both)")
	channel := fs.String("channel", "", "only responses that came through this channel")
	version := fs.Int("version", 0, "only responses to this version of the survey")
	choices := fs.Bool("choice-columns", false, "add a 0/1 column for each choice of each select_multiple question")
	pos, err := parse(fs, &cfg, args, env, 1)
	if err != nil {
		return err
	}
	f := store.ResponseFilter{Channel: *channel, Version: *version}
	if *phase != "" {
		if f.Phase, err = parseResponsePhase(*phase); err != nil {
			return err
		}
	}
	db, s, err := openSurvey(ctx, cfg.DB, pos[0])
	if err != nil {
		return err
	}
	defer db.Close()
	w := env.Stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	tw, err := survey.NewTableWriter(bw, *format)
	if err != nil {
		return err
	}
	total, err := db.CountResponses(ctx, s.ID, f)
	if err != nil {
		return err
	}
	p := &progress{w: env.Stderr, what: "exported", total: total, last: time.Now()}
	rows, err := db.ExportResponses(ctx, store.CommandLine, s, f, *format, tw, survey.TableOptions{ChoiceColumns: *choices}, p.report)
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Exported %d responses from %s.\n", rows, s.Slug)
	return nil
}

func responsesImport(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("responses import SLUG FILE.csv [flags]",
		"Brings in responses collected elsewhere, such as a pilot run on another tool. Every row is\n"+
			"checked against the survey; nothing is imported unless every row is valid.", &cfg, "db")
	phase := fs.String("phase", "pilot", "the phase of rows without a _phase column: pilot or live")
	pos, err := parse(fs, &cfg, args, env, 2)
	if err != nil {
		return err
	}
	importPhase, err := parseResponsePhase(*phase)
	if err != nil {
		return err
	}
	file, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer file.Close()
	cr := csv.NewReader(bufio.NewReader(file))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s is empty: it needs a header row of question names", pos[1])
	} else if err != nil {
		return fmt.Errorf("%s: %w", pos[1], err)
	}
	p := &progress{w: env.Stderr, what: "read", last: time.Now()}
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("%s: %w", pos[1], err)
		}
		rows = append(rows, rec)
		p.report(len(rows))
	}
	db, s, err := openSurvey(ctx, cfg.DB, pos[0])
	if err != nil {
		return err
	}
	defer db.Close()
	channels, err := db.Channels(ctx, s.ID)
	if err != nil {
		return err
	}
	defaults := survey.ImportDefaults{Version: s.Version, Phase: importPhase, Language: s.Definition.Settings.DefaultLanguage, Today: db.Now()}
	for _, c := range channels {
		defaults.Channels = append(defaults.Channels, c.Code)
	}
	responses, notes, err := s.Definition.ReadResponses(header, rows, defaults)
	for _, n := range notes {
		fmt.Fprintf(env.Stderr, "note: %s\n", n)
	}
	if err != nil {
		return err
	}
	if err := db.ImportResponses(ctx, store.CommandLine, s, responses); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Imported %d responses into %s.\n", len(responses), s.Slug)
	return nil
}
