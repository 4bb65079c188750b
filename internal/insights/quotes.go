package insights

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// QuoteState is where a quote is in moderation.
type QuoteState string

// The states of a quote.
const (
	QuoteProposed QuoteState = "proposed" // waiting for a moderator
	QuoteApproved QuoteState = "approved" // may be published
	QuoteRejected QuoteState = "rejected" // must not be published
)

// QuoteStates are the states a quote can be in.
var QuoteStates = []QuoteState{QuoteProposed, QuoteApproved, QuoteRejected}

// Quote is an excerpt of an open-text answer put forward for publication.
// Only approved quotes may be published (invariant P5).
type Quote struct {
	ID         int64
	SurveyID   int64
	ResponseID string
	Question   string
	Text       string
	State      QuoteState
	ProposedBy string    // an email address
	DecidedBy  string    // an email address; empty while proposed
	ProposedOn time.Time // a day
	DecidedOn  time.Time // a day; zero while proposed
}

// MaxQuote is how long a quote may be, in characters.
const MaxQuote = 500

// collapse returns s with every run of white space made one space, and
// none at either end.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// Check returns the quote with its white space collapsed, or the problem
// with its text: missing, or too long.
func (q Quote) Check() (Quote, error) {
	q.Text = collapse(q.Text)
	switch n := utf8.RuneCountInString(q.Text); {
	case n == 0:
		return q, field.Invalid("text", "Enter the words to quote")
	case n > MaxQuote:
		return q, field.Invalid("text", fmt.Sprintf("A quote must be %d characters or fewer", MaxQuote))
	}
	return q, nil
}

// CheckQuoted returns the problem with the quote as an excerpt of the
// answer: a quote must be the respondent's own words, white space aside.
func (q Quote) CheckQuoted(answer string) error {
	if !strings.Contains(collapse(answer), collapse(q.Text)) {
		return field.Invalid("text", "The quote must be words from the answer, exactly as written")
	}
	return nil
}

// ErrQuoteTaken is the problem with a quote already put forward.
var ErrQuoteTaken = field.Error{Field: "text", Message: "This quote has already been put forward"}

// Decision is a moderator's decision on a quote, as a form sends it:
// approve or reject.
func Decision(s string) (QuoteState, error) {
	switch s {
	case "approve":
		return QuoteApproved, nil
	case "reject":
		return QuoteRejected, nil
	}
	return "", field.Invalid("decision", "Choose to approve or reject the quote")
}

// CheckState returns the problem with a state a list of quotes is asked
// for: "" (every state) or one of QuoteStates.
func CheckState(s QuoteState) error {
	if s == "" || slices.Contains(QuoteStates, s) {
		return nil
	}
	return field.Invalid("state", fmt.Sprintf("There is no quote state %q", s))
}
