package analysis

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Finding is one disproportionate barrier, said in plain English.
type Finding struct {
	Outcome   string `json:"outcome"`
	Dimension string `json:"dimension"`
	Group     string `json:"group"`
	Text      string `json:"text"`
}

// Findings says in plain English what a report found: every comparison
// flagged disproportionate, largest risk ratio first. The survey's
// definition gives the words of its questions and choices.
func Findings(def *survey.Definition, r *Report) []Finding {
	lang := def.Settings.DefaultLanguage
	var flagged []Comparison
	for _, c := range r.Comparisons {
		if c.Disproportionate {
			flagged = append(flagged, c)
		}
	}
	sort.SliceStable(flagged, func(i, j int) bool { return *flagged[i].RiskRatio > *flagged[j].RiskRatio })
	out := make([]Finding, 0, len(flagged))
	for _, c := range flagged {
		text := fmt.Sprintf("%s were %s times as likely as %s to %s (%s against %s; %s%% confidence interval of the ratio %s to %s).",
			who(def, c.Dimension, c.Group, lang), Ratio(*c.RiskRatio), comparedWith(def, r.Compare, c.Dimension, lang),
			doWhat(def, c, lang), Percent(*c.GroupProportion), Percent(*c.ComparisonProportion),
			strconv.FormatFloat(100*r.Confidence, 'f', -1, 64), Ratio(c.RiskRatioCI[0]), Ratio(c.RiskRatioCI[1]))
		out = append(out, Finding{Outcome: c.Outcome, Dimension: c.Dimension, Group: c.Group, Text: text})
	}
	return out
}

// Ratio writes a risk ratio as people read one: to two significant
// figures, so 1.94 is "1.9", and whole from 10 up, so 12.4 is "12" and
// 133 is "133"; below 0.01, "<0.01".
func Ratio(v float64) string {
	switch {
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v < 0.01:
		return "<0.01"
	}
	return strconv.FormatFloat(v, 'g', 2, 64)
}

// PValue writes a p-value to two significant figures, and below 0.001 as
// "<0.001".
func PValue(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

// Percent writes a proportion as a whole percentage, "32%".
func Percent(p float64) string {
	return strconv.FormatFloat(100*p, 'f', 0, 64) + "%"
}

// who describes a group: "Respondents who answered “Yes” to “…”", or for
// an intersection both answers.
func who(def *survey.Definition, dimension, group, lang string) string {
	qs, gs := strings.Split(dimension, "×"), strings.Split(group, "×")
	var parts []string
	for i, name := range qs {
		if i < len(gs) {
			parts = append(parts, fmt.Sprintf("“%s” to “%s”", choiceLabel(def, name, gs[i], lang), questionLabel(def, name, lang)))
		}
	}
	return "Respondents who answered " + strings.Join(parts, " and ")
}

// comparedWith names the comparison group.
func comparedWith(def *survey.Definition, compare Compare, dimension, lang string) string {
	if compare == CompareReference && !strings.Contains(dimension, "×") {
		if q := def.Question(dimension); q != nil && q.Analysis.Reference != "" {
			return fmt.Sprintf("those who answered “%s”", choiceLabel(def, dimension, q.Analysis.Reference, lang))
		}
	}
	return "the other respondents"
}

// doWhat says what having an outcome is: choosing a choice, agreeing, or
// writing about something analysts coded.
func doWhat(def *survey.Definition, c Comparison, lang string) string {
	question, choice, _ := strings.Cut(c.Outcome, "/")
	q := def.Question(question)
	switch {
	case q != nil && q.Likert() && choice == "agree":
		return fmt.Sprintf("agree that “%s”", questionLabel(def, question, lang))
	case q == nil || q.Type != survey.TypeSelectOne && q.Type != survey.TypeSelectMultiple:
		asked, code := c.OutcomeLabel, c.Outcome
		if i := strings.LastIndex(c.OutcomeLabel, ": "); i >= 0 {
			asked, code = c.OutcomeLabel[:i], c.OutcomeLabel[i+2:]
		}
		return fmt.Sprintf("write about “%s” when asked “%s”", code, asked)
	}
	return fmt.Sprintf("choose “%s” when asked “%s”", choiceLabel(def, question, choice, lang), questionLabel(def, question, lang))
}

func questionLabel(def *survey.Definition, name, lang string) string {
	if q := def.Question(name); q != nil {
		return q.Label.In(lang, lang)
	}
	return name
}

func choiceLabel(def *survey.Definition, question, choice, lang string) string {
	if q := def.Question(question); q != nil {
		for _, ch := range def.Choices(q) {
			if ch.Name == choice {
				return ch.Label.In(lang, lang)
			}
		}
	}
	return choice
}
