package insights

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Published is a report as it is published: the report, its findings in
// words, and the words of its dimensions and outcomes, so that it can be
// shown without the survey.
type Published struct {
	*analysis.Report
	Title      string             `json:"title,omitempty"`
	Findings   []analysis.Finding `json:"findings"`
	Dimensions map[string]string  `json:"dimension_labels"` // by dimension: its question's label, or both joined for an intersection
	// Short labels of the outcomes, for charts and tables: the choice
	// alone, unless another outcome has the same words.
	Short map[string]string `json:"outcome_short_labels"`
}

// Publish makes a report ready to publish: its findings and labels, in the
// survey's default language.
func Publish(def *survey.Definition, rep *analysis.Report) Published {
	p := Published{Report: rep, Findings: analysis.Findings(def, rep), Dimensions: map[string]string{}, Short: map[string]string{}}
	lang := def.Settings.DefaultLanguage
	used := map[string]bool{}
	for _, c := range rep.Comparisons {
		if _, ok := p.Short[c.Outcome]; !ok {
			p.Short[c.Outcome] = shortLabel(def, c, used)
		}
		if _, ok := p.Dimensions[c.Dimension]; ok {
			continue
		}
		var labels []string
		for _, name := range strings.Split(c.Dimension, "×") {
			if q := def.Question(name); q != nil {
				labels = append(labels, q.Label.In(lang, lang))
			}
		}
		p.Dimensions[c.Dimension] = strings.Join(labels, " × ")
	}
	return p
}

// shortLabel is an outcome's label without its question's words where
// the choice says enough: "Not having a mentor", or "I feel I belong
// (agree)" for a rating scale.
func shortLabel(def *survey.Definition, c analysis.Comparison, used map[string]bool) string {
	lang := def.Settings.DefaultLanguage
	question, choice, _ := strings.Cut(c.Outcome, "/")
	q := def.Question(question)
	label := ""
	switch {
	case q != nil && q.Likert() && choice == "agree":
		label = q.Label.In(lang, lang) + " (agree)"
	case q != nil && (q.Type == survey.TypeSelectOne || q.Type == survey.TypeSelectMultiple):
		if i := slices.IndexFunc(def.Choices(q), func(ch *survey.Choice) bool { return ch.Name == choice }); i >= 0 {
			label = def.Choices(q)[i].Label.In(lang, lang)
		}
	default: // a code: its label ends the outcome's
		if i := strings.LastIndex(c.OutcomeLabel, ": "); i >= 0 {
			label = c.OutcomeLabel[i+2:] + " (written)"
		}
	}
	if label == "" || used[label] {
		return c.OutcomeLabel
	}
	used[label] = true
	return label
}

// Format is the version of the stored form of a published report that
// Encode writes. Format 1 is a Published as JSON, with the names
// analysis.Report, analysis.Finding and the labels above give; snapshots
// stored before formats were numbered have no format, and are format 1.
// A change that would read an older format differently must raise Format
// and teach Decode the older one (testdata/snapshot-v1.json holds one).
const Format = 1

// stored is a published report as the store keeps it.
type stored struct {
	Format int `json:"format"`
	Published
}

// Encode writes a published report in its stored form.
func Encode(p Published) ([]byte, error) {
	return json.Marshal(stored{Format: Format, Published: p})
}

// Decode reads a published report in any stored form Encode has written.
func Decode(b []byte) (Published, error) {
	var s stored
	if err := json.Unmarshal(b, &s); err != nil {
		return Published{}, fmt.Errorf("published report: %w", err)
	}
	switch s.Format {
	case 0, 1:
	default:
		return Published{}, fmt.Errorf("published report: format %d is newer than this program reads (%d)", s.Format, Format)
	}
	if s.Report == nil {
		return Published{}, fmt.Errorf("published report: no report in it")
	}
	return s.Published, nil
}
