package survey

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// Phase is where a survey is in its life.
type Phase string

// The phases, in order.
const (
	Draft    Phase = "draft"    // being written; not open to anyone
	Pilot    Phase = "pilot"    // open for a trial run; answers kept, marked pilot
	Live     Phase = "live"     // open to everyone
	Closed   Phase = "closed"   // no longer taking answers
	Archived Phase = "archived" // closed and put away
)

// Phases lists the phases in order.
var Phases = []Phase{Draft, Pilot, Live, Closed, Archived}

// ParsePhase returns the phase named s.
func ParsePhase(s string) (Phase, error) {
	if p := Phase(s); slices.Contains(Phases, p) {
		return p, nil
	}
	return "", fmt.Errorf("unknown phase %q: choose draft, pilot, live, closed or archived", s)
}

// Open reports whether the survey takes answers in this phase.
func (p Phase) Open() bool { return p == Pilot || p == Live }

// nextPhases are the phases each phase may move to.
var nextPhases = map[Phase][]Phase{
	Draft:    {Pilot, Live},
	Pilot:    {Draft, Live, Closed},
	Live:     {Closed},
	Closed:   {Live, Archived},
	Archived: {Closed},
}

// ErrPhase means a survey cannot move from its phase to the one asked.
var ErrPhase = errors.New("the survey cannot move to that phase")

// MoveError says why a survey cannot move from one phase to another. It is
// an ErrPhase.
type MoveError struct {
	From, To Phase
}

func (e *MoveError) Error() string { return ErrPhase.Error() + ": " + e.Reason() }

// Is makes a MoveError an ErrPhase.
func (e *MoveError) Is(target error) bool { return target == ErrPhase }

// Reason says where the survey can move instead.
func (e *MoveError) Reason() string {
	return fmt.Sprintf("a %s survey can move to %s, not %s", e.From, phaseList(nextPhases[e.From]), e.To)
}

// CheckMove returns a *MoveError saying why a survey cannot move from one
// phase to another, or nil. A live survey never goes back to pilot or
// draft: its answers would be mixed with the pilot's.
func CheckMove(from, to Phase) error {
	if from == to || slices.Contains(nextPhases[from], to) {
		return nil
	}
	return &MoveError{From: from, To: to}
}

// Moves lists the phases a survey in the phase may move to, in order.
func Moves(from Phase) []Phase { return slices.Clone(nextPhases[from]) }

// ReadSchedule reads the days a survey opens and closes on, as a form
// gives them (year-month-day, or empty for none), or says what is wrong
// with them, by field: opens_on, closes_on. A survey cannot close before it
// opens.
func ReadSchedule(opensOn, closesOn string) (opens, closes time.Time, err error) {
	var errs field.Errors
	read := func(name, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			errs.Add(name, "Enter the date as year-month-day, like 2026-12-01")
		}
		return t
	}
	opens, closes = read("opens_on", opensOn), read("closes_on", closesOn)
	if len(errs) == 0 && !opens.IsZero() && !closes.IsZero() && closes.Before(opens) {
		errs.Add("closes_on", "The closing date must be on or after the opening date")
	}
	return opens, closes, errs.Err()
}

func phaseList(ps []Phase) string {
	s := ""
	for i, p := range ps {
		switch {
		case i == 0:
		case i == len(ps)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(p)
	}
	return s
}

// Survey is a survey as it runs: its current definition and where it is in
// its life.
type Survey struct {
	ID         int64
	Slug       string
	Phase      Phase     // as set by hand
	OpensOn    time.Time // the day it goes live by itself, if set
	ClosesOn   time.Time // the last day it takes answers, if set
	Version    int       // the current version
	Definition *Definition
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// PhaseOn returns the survey's phase on the given day, with its dates
// applied: a draft or pilot survey goes live on its opening day, and an open
// survey closes after its closing day.
func (s *Survey) PhaseOn(day time.Time) Phase {
	today := Day(day)
	p := s.Phase
	if (p == Draft || p == Pilot) && !s.OpensOn.IsZero() && !today.Before(s.OpensOn) {
		p = Live
	}
	if (p == Draft || p == Pilot || p == Live) && !s.ClosesOn.IsZero() && today.After(s.ClosesOn) {
		p = Closed
	}
	return p
}

// Public reports whether the survey is open to the public on the day: a
// draft is not, and its pages are not found.
func (s *Survey) Public(day time.Time) bool { return s.PhaseOn(day) != Draft }

// ResponsePhase is the phase a response sent on the day is kept under:
// pilot while the survey is piloted, live otherwise.
func (s *Survey) ResponsePhase(day time.Time) Phase {
	if s.PhaseOn(day) == Pilot {
		return Pilot
	}
	return Live
}

// Title is the survey's title in the language given.
func (s *Survey) Title(lang string) string {
	if t := s.Definition.Settings.Title.In(lang, s.Definition.Settings.DefaultLanguage); t != "" {
		return t
	}
	return s.Slug
}

// Day is the date of t, as midnight UTC: the only kind of time a response
// keeps.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Channel is a share link's source: a hub, newsletter, partner or post.
type Channel struct {
	Code      string // in the link: /s/SURVEY?c=CODE
	Name      string
	Kind      ChannelKind
	CreatedAt time.Time
}

// ChannelKind is the sort of place a channel's link is shared.
type ChannelKind string

// The kinds of channel.
var ChannelKinds = []ChannelKind{"hub", "newsletter", "partner", "social", "event", "other"}

// UnknownChannel is recorded for a response that came by any link other
// than a channel's: the channel code in the link is never kept as given.
const UnknownChannel = "unknown"

var channelCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// CheckChannel returns the problems with a new channel, by field, in the
// order of its form: name, code, kind.
func CheckChannel(c Channel) error {
	var errs field.Errors
	switch n := len([]rune(c.Name)); {
	case n == 0:
		errs.Add("name", "Enter a name for the channel")
	case n > 100:
		errs.Add("name", "The name must be 100 characters or fewer")
	}
	switch {
	case c.Code == "":
		errs.Add("code", "Enter a short code for the link")
	case c.Code == UnknownChannel:
		errs.Add("code", "The code unknown is kept for links without a channel: choose another")
	case !channelCodePattern.MatchString(c.Code):
		errs.Add("code", "The code can use lower-case letters, digits and hyphens, up to 40 characters, like london-hub")
	}
	if !slices.Contains(ChannelKinds, c.Kind) {
		errs.Add("kind", "Choose what kind of channel it is")
	}
	return errs.Err()
}

// ErrChannelTaken means the survey already has a channel with the code.
var ErrChannelTaken = field.Error{Field: "code", Message: "This survey already has a share link with that code"}

// Response is one person's submitted answers. It holds exactly what
// invariant P1 allows.
type Response struct {
	ID          string // random
	Version     int    // the version of the survey answered
	Phase       Phase  // pilot or live
	Channel     string // a channel's code, or UnknownChannel
	Language    string
	SubmittedOn time.Time // a day, never a time
	Answers     Answers
}

// SavedAnswers are answers saved to come back to later.
type SavedAnswers struct {
	Version   int
	Language  string
	Channel   string
	Page      int
	Answers   Answers
	ExpiresOn time.Time
}

// DraftLifetime is how long saved answers are kept.
const DraftLifetime = 30 * 24 * time.Hour
