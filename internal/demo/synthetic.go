package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// RandomAnswers makes a complete, valid set of answers to any survey, as a
// respondent would give: every question shown is answered, with choices
// drawn at random from its list (now and then "prefer not to say"), so
// that the stored data looks like real data. It works from the definition
// alone, and checks the result with the survey's own rules.
func RandomAnswers(d *survey.Definition, rng *rand.Rand) (survey.Answers, error) {
	return makeAnswers(d, rng, func(*survey.Question, survey.Answers) bool { return false })
}

// makeAnswers answers every question in order, with own where it answers
// the question (it reports whether it did) and at random where it does not
// (see answer), and returns the answers the person can see. A set of
// answers that fails the survey's checks, as when a constraint the guesses
// miss is not met, is made again, up to 100 times.
func makeAnswers(d *survey.Definition, rng *rand.Rand, own func(*survey.Question, survey.Answers) bool) (survey.Answers, error) {
	qs := d.Questions()
	var errs field.Errors
	for range 100 {
		a := survey.Answers{}
		for _, q := range qs {
			if !own(q, a) {
				answer(d, q, a, rng)
			}
		}
		a = d.Visible(a)
		var page int
		if page, errs = d.Check(a, d.Settings.DefaultLanguage); page < 0 {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no valid answers made for survey %s in 100 tries; the last: %v", d.Settings.ID, errs)
}

// answer answers one question at random, whether or not it will be shown.
func answer(d *survey.Definition, q *survey.Question, a survey.Answers, rng *rand.Rand) {
	choices := d.Choices(q)
	pick := func(cs []*survey.Choice) {
		c := cs[rng.IntN(len(cs))]
		a[q.Name] = c.Name
		if c.Name == survey.OtherChoice && q.OrOther {
			a[q.OtherName()] = phrase(rng)
		}
	}
	switch q.Type {
	case survey.TypeAcknowledge:
		a[q.Name] = "OK"
	case survey.TypeSelectOne:
		// A choice from a list answered earlier, such as the biggest of the
		// barriers ticked, is one of those ticked.
		if earlier := pickedFrom(d, q, a); len(earlier) > 0 {
			pick(earlier)
			return
		}
		pick(answerable(choices, rng))
	case survey.TypeSelectMultiple:
		plain := answerable(choices, rng)
		if len(plain) == 1 && (plain[0].Missing || plain[0].Exclusive) {
			pick(plain)
			return
		}
		// One to four, in the list's order, as the pages keep them.
		picked := rng.Perm(len(plain))[:min(1+rng.IntN(4), len(plain))]
		slices.Sort(picked)
		var names []string
		for _, i := range picked {
			names = append(names, plain[i].Name)
		}
		a[q.Name] = strings.Join(names, " ")
		if q.OrOther && slices.Contains(names, survey.OtherChoice) {
			a[q.OtherName()] = phrase(rng)
		}
	case survey.TypeRank:
		var names []string
		for _, i := range rng.Perm(len(choices)) {
			names = append(names, choices[i].Name)
		}
		a[q.Name] = strings.Join(names, " ")
	case survey.TypeInteger:
		a[q.Name] = strconv.Itoa(rng.IntN(31))
	case survey.TypeDecimal:
		a[q.Name] = strconv.FormatFloat(float64(rng.IntN(1000))/10, 'f', 1, 64)
	case survey.TypeDate:
		a[q.Name] = time.Now().AddDate(0, 0, -rng.IntN(3650)).Format(time.DateOnly)
	case survey.TypeText:
		text := phrase(rng)
		if q.Multiline() {
			text += "\n" + phrase(rng)
		}
		a[q.Name] = text
	}
}

// phrase returns words for a text answer: short, and nothing that could
// identify anyone, as the survey's hints ask.
func phrase(rng *rand.Rand) string {
	return oneOf(rng,
		"Hard to find a way in without knowing someone.",
		"Courses cost too much for me to pay myself.",
		"Nobody in my team looks like me.",
		"I moved from nursing and had to start again.",
		"Short videos I can watch on the bus would help.",
		"Meeting others in the same position made a difference.",
		"My manager never put me forward.",
		"Clear descriptions of the roles would help.",
	)
}

func oneOf(rng *rand.Rand, s ...string) string { return s[rng.IntN(len(s))] }

// answerable returns the choices to pick from: usually those that are an
// answer, one time in twenty those that count as none ("prefer not to
// say", "none of these", "I don't know").
func answerable(choices []*survey.Choice, rng *rand.Rand) []*survey.Choice {
	var some, none []*survey.Choice
	for _, c := range choices {
		if c.Missing || c.Exclusive {
			none = append(none, c)
		} else {
			some = append(some, c)
		}
	}
	if len(none) > 0 && (rng.IntN(20) == 0 || len(some) == 0) {
		return []*survey.Choice{none[rng.IntN(len(none))]}
	}
	return some
}

// pickedFrom returns the choices ticked in an earlier tick-all question on
// the same list as q, if any.
func pickedFrom(d *survey.Definition, q *survey.Question, a survey.Answers) []*survey.Choice {
	for _, other := range d.Questions() {
		if other == q {
			return nil
		}
		if other.Type != survey.TypeSelectMultiple || other.List != q.List || a[other.Name] == "" {
			continue
		}
		var out []*survey.Choice
		for _, name := range strings.Fields(a[other.Name]) {
			if c := d.Choice(q, name); c != nil && !c.Exclusive {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

// Difference is a difference between groups of people that synthetic
// responses are made with.
type Difference struct {
	Outcome   string  // as reports name it: "barriers/inaccessible", or "belong/agree" for a rating scale
	Dimension string  // the question that sorts people into groups
	Group     string  // the group's choice
	RiskRatio float64 // how many times as likely the group is to have the outcome as the rest of the dimension
}

// Planted lists the differences synthetic responses are made with; the
// rest of each dimension (all who gave another substantive answer) keeps
// the outcome's base rate, so each ratio is the one a report comparing
// with the rest should find. Nothing else depends on who people are:
// every other outcome has the same rate in every group, and the questions
// of the planted dimensions are answered independently of one another and
// of every other dimension. The one thing that follows from a planted
// barrier is the follow-up question: a group that ticks a barrier more
// often names it as its biggest more often too.
var Planted = []Difference{
	{"barriers/inaccessible", "disability", "yes", 1.9},
	{"barriers/promotion_bias", "gender", "woman", 1.6},
	{"barriers/harassment", "sexual_orientation", "gay_lesbian", 2.0},
	{"barriers/hiring_bias", "ethnicity", "black", 1.8},
	{"barriers/excluded", "ethnicity", "asian", 1.5},
	{"barriers/caring_duties", "caring", "children", 2.2},
	{"barriers/unpaid_entry", "first_generation", "yes", 1.7},
	{"see_people_like_me/agree", "ethnicity", "white", 1.5},
}

// share is an answer and how often it is given, in parts of the whole; an
// empty name is the question left unanswered.
type share struct {
	name   string
	weight float64
}

// spread is how the answers to a question are spread.
type spread []share

// draw picks an answer.
func (s spread) draw(rng *rand.Rand) string {
	total := 0.0
	for _, sh := range s {
		total += sh.weight
	}
	u := rng.Float64() * total
	for _, sh := range s {
		if u < sh.weight {
			return sh.name
		}
		u -= sh.weight
	}
	return s[len(s)-1].name
}

// spreads are the answers to the questions about people, in percent.
// Those of the dimensions that differences are planted in depend on
// nothing; the others may depend on one another (seniority on status, hub
// on country, country on the channel), as they would in life, without
// making any outcome differ.
var spreads = map[string]spread{
	"status":             {{"current", 62}, {"former", 8}, {"hoping", 24}, {"none", 4}, {"", 2}},
	"role_family":        {{"clinical", 21}, {"data", 16}, {"software", 12}, {"product_design", 8}, {"research", 10}, {"policy", 5}, {"commercial", 6}, {"operations", 8}, {"founder", 4}, {"student", 5}, {"other", 3}, {"", 2}},
	"seniority":          {{"student", 6}, {"entry", 14}, {"mid", 30}, {"senior", 23}, {"lead", 14}, {"director", 7}, {"prefer_not_to_say", 3}, {"", 3}},
	"age_band":           {{"age_under_25", 11}, {"age_25_34", 32}, {"age_35_44", 26}, {"age_45_54", 16}, {"age_55_64", 7}, {"age_65_plus", 2}, {"prefer_not_to_say", 3}, {"", 3}},
	"gender":             {{"woman", 54}, {"man", 34}, {"non_binary", 4}, {"self_describe", 1}, {"prefer_not_to_say", 4}, {"", 3}},
	"trans":              {{"yes", 89}, {"no", 3}, {"prefer_not_to_say", 4}, {"", 4}},
	"sexual_orientation": {{"straight", 77}, {"gay_lesbian", 6}, {"bisexual", 7}, {"self_describe", 2}, {"prefer_not_to_say", 5}, {"", 3}},
	"ethnicity":          {{"white", 50}, {"asian", 17}, {"black", 17}, {"mixed", 6}, {"other", 4}, {"self_describe", 1}, {"prefer_not_to_say", 3}, {"", 2}},
	"disability":         {{"yes", 17}, {"no", 76}, {"prefer_not_to_say", 4}, {"", 3}},
	"disability_impact":  {{"a_lot", 24}, {"a_little", 52}, {"not_at_all", 16}, {"prefer_not_to_say", 5}, {"", 3}},
	"neurodivergent":     {{"yes", 14}, {"no", 68}, {"not_sure", 12}, {"prefer_not_to_say", 3}, {"", 3}},
	"ses_parent_job":     {{"modern_professional", 17}, {"clerical", 9}, {"senior_manager", 11}, {"technical_craft", 8}, {"semi_routine", 7}, {"routine", 7}, {"middle_manager", 9}, {"traditional_professional", 13}, {"small_business", 6}, {"long_term_unemployed", 2}, {"other", 4}, {"dont_know", 3}, {"prefer_not_to_say", 2}, {"", 2}},
	"first_generation":   {{"yes", 31}, {"no", 49}, {"no_university", 8}, {"dont_know", 4}, {"prefer_not_to_say", 4}, {"", 4}},
	"country":            {{"uk", 44}, {"ireland", 4}, {"europe_other", 8}, {"usa", 7}, {"canada", 3}, {"americas_other", 3}, {"nigeria", 7}, {"kenya", 5}, {"south_africa", 3}, {"africa_other", 3}, {"india", 5}, {"asia_other", 3}, {"australia_nz", 3}, {"other", 1}, {"prefer_not_to_say", 1}, {"", 1}},
	// Someone hoping to work in healthtech is mostly a student or new to
	// work.
	"seniority/hoping": {{"student", 45}, {"entry", 30}, {"mid", 15}, {"senior", 4}, {"prefer_not_to_say", 3}, {"", 3}},
	// Most of those who come by a hub's link live where the hub is.
	"country/london-hub":  {{"uk", 85}, {"ireland", 3}, {"europe_other", 6}, {"other", 3}, {"prefer_not_to_say", 1}, {"", 2}},
	"country/nairobi-hub": {{"kenya", 75}, {"africa_other", 10}, {"nigeria", 5}, {"uk", 5}, {"prefer_not_to_say", 2}, {"", 3}},
	// Hubs by country; "hub/" alone is for any other country, or none.
	"hub/uk":           {{"london", 44}, {"manchester", 15}, {"edinburgh", 8}, {"online", 12}, {"another_hub", 2}, {"no_hub", 15}, {"prefer_not_to_say", 2}, {"", 2}},
	"hub/ireland":      {{"dublin", 55}, {"online", 15}, {"no_hub", 26}, {"prefer_not_to_say", 2}, {"", 2}},
	"hub/nigeria":      {{"lagos", 60}, {"online", 15}, {"no_hub", 21}, {"prefer_not_to_say", 2}, {"", 2}},
	"hub/kenya":        {{"nairobi", 65}, {"online", 12}, {"no_hub", 19}, {"prefer_not_to_say", 2}, {"", 2}},
	"hub/india":        {{"bengaluru", 50}, {"online", 20}, {"no_hub", 26}, {"prefer_not_to_say", 2}, {"", 2}},
	"hub/canada":       {{"toronto", 50}, {"online", 20}, {"no_hub", 26}, {"prefer_not_to_say", 2}, {"", 2}},
	"hub/australia_nz": {{"sydney", 50}, {"online", 20}, {"no_hub", 26}, {"prefer_not_to_say", 2}, {"", 2}},
	"hub/":             {{"online", 40}, {"another_hub", 6}, {"no_hub", 48}, {"prefer_not_to_say", 3}, {"", 3}},
}

// experience is the range of years in healthtech at each level of job.
var experience = map[string][2]int{
	"student": {0, 2}, "entry": {0, 4}, "mid": {2, 10}, "senior": {5, 20}, "lead": {6, 25}, "director": {10, 35},
}

// channelSpread is how people come to the survey: by the demo channels'
// links, and by others (survey.UnknownChannel).
var channelSpread = spread{{"london-hub", 22}, {"nairobi-hub", 8}, {"newsletter", 30}, {"linkedin", 25}, {survey.UnknownChannel, 15}}

// barrierRates are how often each barrier is ticked by those who tick any
// (the base rates, before the planted differences); "other" is a barrier
// of the person's own.
var barrierRates = map[string]float64{
	"no_role_models": 0.20, "no_mentor": 0.28, "unclear_paths": 0.30, "training_cost": 0.18, "no_time": 0.22,
	"caring_duties": 0.08, "hiring_bias": 0.10, "promotion_bias": 0.10, "excluded": 0.12, "no_flexibility": 0.09,
	"tech_skills": 0.15, "health_knowledge": 0.08, "confidence": 0.25, "no_network": 0.24, "pay_gap": 0.08,
	"visa": 0.04, "qualifications_abroad": 0.04, "inaccessible": 0.05, "harassment": 0.05, "job_adverts": 0.10,
	"clinical_to_digital": 0.10, "few_local_jobs": 0.12, "unpaid_entry": 0.07, survey.OtherChoice: 0.03,
}

// How the barriers question is answered: left unanswered, declined, or
// "none of these" by choice; everyone else ticks each barrier by its rate,
// and "none of these" if that ticks none.
const (
	barriersSkipped  = 0.02
	barriersDeclined = 0.02
	barriersNone     = 0.08
)

// agreeRates are how often people agree (strongly or not) with each
// statement, before the planted differences.
var agreeRates = map[string]float64{
	"belong": 0.55, "promotion_fair": 0.35, "see_people_like_me": 0.30, "know_next_step": 0.45, "get_training": 0.40, "recommend": 0.60,
}

// skipped is how often the questions without a spread of their own are
// left unanswered: years of experience, who one cares for, the biggest
// barrier, and each statement to agree with.
const skipped = 0.03

// The synthetic campaign's calendar: a three-week pilot from 4 May 2026,
// then six months live, from 1 June to 30 November 2026, busiest in the
// three weeks after the launch.
var (
	pilotFrom = time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	liveFrom  = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

const (
	liveDays   = 183
	pilotDays  = 21
	pilotShare = 0.08 // of all responses
	launchDays = 21
	launchRush = 0.3 // of live responses, on top of an even spread
)

// Synthetic makes made-up responses to the default survey: realistic in
// who answers and how, with the differences in Planted and no others. The
// i-th response depends only on the seed and i, so responses can be made
// in any number, in any order, and made again. A Synthetic is safe for
// concurrent use.
type Synthetic struct {
	def      *survey.Definition
	version  int
	seed     uint64
	barriers []string // the barriers that can be ticked, in the list's order
}

// NewSynthetic returns a maker of responses to the given version of the
// default survey. It returns an error if the definition lacks a question
// or choice the responses give, as when the survey has been changed.
func NewSynthetic(def *survey.Definition, version int, seed uint64) (*Synthetic, error) {
	g := &Synthetic{def: def, version: version, seed: seed}
	var errs []error
	has := func(question, choice string) {
		q := def.Question(question)
		switch {
		case q == nil:
			errs = append(errs, fmt.Errorf("it has no question %s", question))
		case choice != "" && def.Choice(q, choice) == nil:
			errs = append(errs, fmt.Errorf("question %s has no choice %s", question, choice))
		}
	}
	for key, s := range spreads {
		question, _, _ := strings.Cut(key, "/")
		for _, sh := range s {
			has(question, sh.name)
		}
	}
	for name := range agreeRates {
		has(name, "agree")
		has(name, "strongly_agree")
	}
	has("caring", "children")
	has("caring", "adult")
	has("caring", "none")
	has("barriers", "none")
	has("biggest_barrier", "")
	if q := def.Question("barriers"); q != nil {
		for _, c := range def.Choices(q) {
			if _, ok := barrierRates[c.Name]; ok {
				g.barriers = append(g.barriers, c.Name)
			} else if !c.Missing && !c.Exclusive {
				errs = append(errs, fmt.Errorf("barrier %s has no rate in synthetic responses", c.Name))
			}
		}
	}
	for name := range barrierRates {
		has("barriers", name)
	}
	for _, d := range Planted {
		question, choice, _ := strings.Cut(d.Outcome, "/")
		if _, ok := agreeRates[question]; !ok {
			has(question, choice)
		}
		has(d.Dimension, d.Group)
		if q := def.Question(d.Dimension); q != nil && q.Analysis.Role != survey.Dimension {
			errs = append(errs, fmt.Errorf("question %s is not a dimension", d.Dimension))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("synthetic responses do not fit survey %s: %w", def.Settings.ID, errors.Join(errs...))
	}
	return g, nil
}

// Response returns the i-th synthetic response. It has no id, so that the
// store gives it a random one.
func (g *Synthetic) Response(i int) (survey.Response, error) {
	rng := rand.New(rand.NewPCG(scramble(g.seed), scramble(uint64(i))))
	r := survey.Response{Version: g.version, Phase: survey.Live, Channel: channelSpread.draw(rng), Language: "en"}
	if rng.Float64() < pilotShare {
		r.Phase = survey.Pilot
		r.SubmittedOn = pilotFrom.AddDate(0, 0, rng.IntN(pilotDays))
	} else if rng.Float64() < launchRush {
		r.SubmittedOn = liveFrom.AddDate(0, 0, rng.IntN(launchDays))
	} else {
		r.SubmittedOn = liveFrom.AddDate(0, 0, rng.IntN(liveDays))
	}
	a, err := makeAnswers(g.def, rng, func(q *survey.Question, a survey.Answers) bool { return g.answer(q, a, r.Channel, rng) })
	if err != nil {
		return r, err
	}
	r.Answers = a
	if rng.Float64() < spanishSpoken[a["country"]] {
		r.Language = "es"
	}
	return r, nil
}

// scramble spreads nearby numbers far apart (SplitMix64's finaliser), so
// that the generators of neighbouring responses start from unrelated
// states.
func scramble(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// spanishSpoken is how many answer in Spanish, by the country they live in.
var spanishSpoken = map[string]float64{"americas_other": 0.6, "europe_other": 0.15, "usa": 0.05}

// answer answers the questions that synthetic responses give their own
// way, and reports whether q is one; the answers to the questions before
// q are in a.
func (g *Synthetic) answer(q *survey.Question, a survey.Answers, channel string, rng *rand.Rand) bool {
	set := func(v string) {
		if v == "" {
			return
		}
		a[q.Name] = v
		// An "Other" choice is mostly described.
		if q.OrOther && slices.Contains(strings.Fields(v), survey.OtherChoice) && rng.Float64() < textAnswered[q.OtherName()] {
			a[q.OtherName()] = ownWords(q.OtherName(), rng)
		}
	}
	switch q.Name {
	case "seniority":
		if a["status"] == "hoping" {
			set(spreads["seniority/hoping"].draw(rng))
			return true
		}
	case "experience_years":
		if rng.Float64() < skipped {
			return true
		}
		span, ok := experience[a["seniority"]]
		if !ok {
			span = [2]int{0, 20}
		}
		set(strconv.Itoa(span[0] + rng.IntN(span[1]-span[0]+1)))
		return true
	case "country":
		if s, ok := spreads["country/"+channel]; ok {
			set(s.draw(rng))
			return true
		}
	case "hub":
		s, ok := spreads["hub/"+a["country"]]
		if !ok {
			s = spreads["hub/"]
		}
		set(s.draw(rng))
		return true
	case "gender_self", "orientation_self", "ethnicity_self", "barrier_story", "toolkit_ideas":
		if rng.Float64() < textAnswered[q.Name] {
			set(ownWords(q.Name, rng))
		}
		return true
	case "caring":
		switch u := rng.Float64(); {
		case u < skipped:
		case u < 2*skipped:
			set(survey.PreferNotToSay)
		default:
			// Two kinds of care, each given independently of the other.
			var cares []string
			if rng.Float64() < 0.30 {
				cares = append(cares, "children")
			}
			if rng.Float64() < 0.10 {
				cares = append(cares, "adult")
			}
			if len(cares) == 0 {
				cares = []string{"none"}
			}
			set(strings.Join(cares, " "))
		}
		return true
	case "barriers":
		set(g.tickBarriers(a, rng))
		return true
	case "biggest_barrier":
		// The biggest is one of those ticked, each as likely as another.
		ticked := slices.DeleteFunc(strings.Fields(a["barriers"]), func(name string) bool { return !slices.Contains(g.barriers, name) })
		if len(ticked) > 1 && rng.Float64() >= skipped {
			a[q.Name] = ticked[rng.IntN(len(ticked))]
			if a[q.Name] == survey.OtherChoice && a["barriers_other"] != "" {
				a[q.OtherName()] = a["barriers_other"]
			}
		}
		return true
	}
	if base, ok := agreeRates[q.Name]; ok {
		switch u := rng.Float64(); {
		case u < skipped:
		case u < skipped+(1-skipped)*g.rate(q.Name+"/agree", base, a):
			set(oneOf(rng, "strongly_agree", "agree", "agree"))
		default:
			set(oneOf(rng, "neutral", "neutral", "disagree", "disagree", "strongly_disagree"))
		}
		return true
	}
	if s, ok := spreads[q.Name]; ok {
		set(s.draw(rng))
		return true
	}
	return false
}

// tickBarriers answers the barriers question.
func (g *Synthetic) tickBarriers(a survey.Answers, rng *rand.Rand) string {
	switch u := rng.Float64(); {
	case u < barriersSkipped:
		return ""
	case u < barriersSkipped+barriersDeclined:
		return survey.PreferNotToSay
	case u < barriersSkipped+barriersDeclined+barriersNone:
		return "none"
	}
	var ticked []string
	for _, name := range g.barriers {
		if rng.Float64() < g.rate("barriers/"+name, barrierRates[name], a) {
			ticked = append(ticked, name)
		}
	}
	if len(ticked) == 0 {
		return "none"
	}
	return strings.Join(ticked, " ")
}

// rate returns how likely the person who gave the answers is to have the
// outcome: its base rate, times the risk ratio of each planted difference
// whose group they are in.
func (g *Synthetic) rate(outcome string, base float64, a survey.Answers) float64 {
	for _, d := range Planted {
		if d.Outcome == outcome && slices.Contains(strings.Fields(a[d.Dimension]), d.Group) {
			base *= d.RiskRatio
		}
	}
	return base
}

// textAnswered is how often each text question is answered when shown,
// and how often an "Other" choice is described.
var textAnswered = map[string]float64{
	"gender_self": 0.7, "orientation_self": 0.7, "ethnicity_self": 0.7, "barrier_story": 0.35, "toolkit_ideas": 0.25,
	"role_family_other": 0.9, "barriers_other": 0.9,
}

// ownWords returns an answer in the person's own words to a text question:
// short, and nothing that could identify anyone.
func ownWords(question string, rng *rand.Rand) string {
	switch question {
	case "gender_self":
		return oneOf(rng, "Genderfluid", "Agender", "Genderqueer", "Still working it out")
	case "orientation_self":
		return oneOf(rng, "Asexual", "Pansexual", "Queer", "Still working it out")
	case "ethnicity_self":
		return oneOf(rng, "Latin American", "Arab", "Mixed heritage", "Roma")
	case "role_family_other":
		return oneOf(rng, "Medical physics", "Procurement", "Charity work", "Teaching", "Journalism")
	case "barriers_other":
		return oneOf(rng, "Ageism", "Long hours in my current job", "Moving country", "Being the only one like me in the room")
	}
	return phrase(rng)
}

// batchSize is how many synthetic responses are stored in one transaction.
const batchSize = 5000

// SyntheticPrefix starts the id of every made-up response AddResponses
// stores: synthetic0000001 and so on.
const SyntheticPrefix = "synthetic"

// AddResponses adds n synthetic responses (see Synthetic) to the demo
// survey, first loading the demo content into a new database. The
// responses are numbered on from those the survey already has, so two
// runs of n add the same responses as one run of 2n. They are made on
// every processor while earlier ones are stored, a batch to a
// transaction; progress, if not nil, is told how many have been stored
// after each batch.
func AddResponses(ctx context.Context, db *store.DB, n int, seed uint64, progress func(added int)) error {
	if n < 1 {
		return fmt.Errorf("cannot add %d responses: add at least 1", n)
	}
	if _, err := Load(ctx, db); err != nil {
		return err
	}
	s, err := db.Survey(ctx, SurveySlug)
	if errors.Is(err, survey.ErrNotFound) {
		return fmt.Errorf("the database has no survey %s, and the demo content is only loaded into a database without a campaign: "+
			"import internal/demo/healthtech-barriers.md with toolkit survey import", SurveySlug)
	} else if err != nil {
		return err
	}
	// Made-up responses never mix with real ones: they go only into a
	// survey that has none, and carry ids that say what they are.
	others, err := db.CountResponses(ctx, s.ID, store.ResponseFilter{NotIDPrefix: SyntheticPrefix})
	if err != nil {
		return err
	}
	if others > 0 {
		return fmt.Errorf("%s already has real responses, and made-up ones would mix with them: "+
			"add made-up responses to a new database instead, with --db demo.db", SurveySlug)
	}
	from, err := db.CountResponses(ctx, s.ID, store.ResponseFilter{})
	if err != nil {
		return err
	}
	g, err := NewSynthetic(s.Definition, s.Version, seed)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		responses []survey.Response
		err       error
	}
	batches := make(chan batch)
	var next atomic.Int64 // the next batch to make
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				lo := int(next.Add(1)-1) * batchSize
				if lo >= n {
					return
				}
				b := batch{responses: make([]survey.Response, 0, min(batchSize, n-lo))}
				for i := lo; i < min(lo+batchSize, n) && b.err == nil; i++ {
					var r survey.Response
					r, b.err = g.Response(from + i)
					r.ID = fmt.Sprintf("%s%07d", SyntheticPrefix, from+i)
					b.responses = append(b.responses, r)
				}
				select {
				case batches <- b:
				case <-ctx.Done():
					return
				}
				if b.err != nil {
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(batches)
	}()
	added := 0
	for b := range batches {
		if b.err != nil {
			return b.err
		}
		if err := db.ImportResponses(ctx, store.CommandLine, s, b.responses); err != nil {
			return err
		}
		added += len(b.responses)
		if progress != nil {
			progress(added)
		}
	}
	return nil
}
