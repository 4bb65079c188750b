package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func analyse(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("analyse SURVEY [flags]",
		"Compares every outcome across the groups of every dimension: proportions with Wilson\n"+
			"intervals, differences, risk ratios, chi-square or Fisher tests, Benjamini-Hochberg\n"+
			"adjusted p-values, and which barriers fall disproportionately on which groups. Counts\n"+
			"below k, and those they would give away, are suppressed.", &cfg, "db")
	var by, outcomes, cross listFlag
	fs.Var(&by, "by", "a dimension question to group by (repeat for more; default: every dimension)")
	fs.Var(&outcomes, "outcome", "an outcome question (repeat for more; default: every outcome)")
	fs.Var(&cross, "cross", "two dimensions to cross, as A,B (repeat for more)")
	req := analysis.DefaultRequest()
	fs.StringVar(&req.Filter.Phase, "phase", req.Filter.Phase, "live, pilot or all")
	fs.StringVar(&req.Filter.Channel, "channel", "", "only responses that came through this channel")
	fs.IntVar(&req.Filter.Version, "version", 0, "only responses to this version of the survey")
	fs.StringVar(&req.Filter.Month, "month", "", "only responses sent in this month, as 2026-11")
	compare := fs.String("compare", string(req.Compare), "compare each group with the rest, or with the reference group the survey names")
	fs.IntVar(&req.K, "k", req.K, fmt.Sprintf("hide counts below k (at least %d)", analysis.MinK))
	fs.Float64Var(&req.Threshold, "threshold", req.Threshold, "the risk ratio from which a barrier is disproportionate")
	format := fs.String("format", "text", "text, json or csv")
	pos, err := parse(fs, &cfg, args, env, 1)
	if err != nil {
		return err
	}
	req.Compare = analysis.Compare(*compare)
	req.Dimensions, req.Outcomes = by, outcomes
	for _, c := range cross {
		a, b, ok := strings.Cut(c, ",")
		if !ok || strings.Contains(b, ",") {
			return fmt.Errorf("--cross %q: name two dimensions, as gender,disability", c)
		}
		req.Intersections = append(req.Intersections, [2]string{strings.TrimSpace(a), strings.TrimSpace(b)})
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		return fmt.Errorf("--format %q: want text, json or csv", *format)
	}
	db, s, err := openSurvey(ctx, cfg.DB, pos[0])
	if err != nil {
		return err
	}
	defer db.Close()
	reports := insights.NewReports(analysis.NewIndexes(db), db)
	req, err = reports.Complete(ctx, s, req)
	var r *analysis.Report
	if err == nil {
		r, err = reports.Report(ctx, s, req)
	}
	if _, refused := field.From(err); refused {
		return fmt.Errorf("%s: %w", s.Slug, err)
	} else if errors.Is(err, analysis.ErrNoResponses) {
		return fmt.Errorf("%s has no responses yet: there is nothing to analyse", s.Slug)
	} else if err != nil {
		return err
	}
	w := bufio.NewWriter(env.Stdout)
	switch *format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	case "csv":
		err = analysis.WriteCSV(w, r)
	default:
		err = writeReportText(w, s.Definition, r)
	}
	if err != nil {
		return err
	}
	return w.Flush()
}

// writeReportText writes a report for people: what it covers, the
// findings in words, the barriers ranked, and every comparison.
func writeReportText(w io.Writer, def *survey.Definition, r *analysis.Report) error {
	responses := "a hidden number of"
	if r.Responses != nil {
		responses = strconv.Itoa(*r.Responses)
	}
	fmt.Fprintf(w, "%s: %s %s responses, each group compared with %s.\n", r.Survey, responses, r.Filter.Phase, compareWith(r.Compare))
	fmt.Fprintf(w, "Counts below %d, and any that would give them away, are suppressed.\n", r.K)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "Note: %s.\n", n)
	}

	findings := analysis.Findings(def, r)
	fmt.Fprintln(w, "\nFindings:")
	if len(findings) == 0 {
		fmt.Fprintln(w, "  None: no outcome is both significantly and substantially more common in any group.")
	}
	for _, f := range findings {
		fmt.Fprintf(w, "- %s\n", f.Text)
	}

	fmt.Fprintln(w, "\nOutcomes ranked by how many groups they fall disproportionately on:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  outcome\tgroups\tlargest risk ratio")
	for _, o := range r.Ranking {
		ratio := "-"
		if o.LargestRatio != nil {
			ratio = analysis.Ratio(*o.LargestRatio)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", o.Outcome, o.Groups, ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nEvery comparison (n: people; %: with the outcome; CI: 95% interval):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  outcome\tdimension\tgroup\tn\t%\trest n\trest %\trisk ratio (CI)\ttest\tadjusted p\tflag")
	for _, c := range r.Comparisons {
		if c.Suppressed {
			fmt.Fprintf(tw, "  %s\t%s\t%s\tsuppressed\t\t\t\t\t\t\t\n", c.Outcome, c.Dimension, c.Group)
			continue
		}
		ratio, padj, flag := "-", "-", ""
		if c.RiskRatio != nil {
			ratio = fmt.Sprintf("%s (%s-%s)", analysis.Ratio(*c.RiskRatio), analysis.Ratio(c.RiskRatioCI[0]), analysis.Ratio(c.RiskRatioCI[1]))
		}
		if c.PAdjusted != nil {
			padj = analysis.PValue(*c.PAdjusted)
		}
		if c.Disproportionate {
			flag = "disproportionate"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", c.Outcome, c.Dimension, c.Group,
			*c.GroupN, analysis.Percent(*c.GroupProportion), *c.ComparisonN, analysis.Percent(*c.ComparisonProportion),
			ratio, c.Test, padj, flag)
	}
	return tw.Flush()
}

func compareWith(c analysis.Compare) string {
	if c == analysis.CompareReference {
		return "the reference group"
	}
	return "everyone else who answered"
}
