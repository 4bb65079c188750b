// Package auth holds the accounts of campaign volunteers: roles, users,
// passwords, sessions and one-time account links. It knows nothing of HTTP
// or SQL.
package auth

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Role is what a signed-in volunteer may do.
type Role string

// The roles. Respondents and learners never have accounts.
const (
	Admin     Role = "admin"     // runs the platform: accounts, campaign, everything
	Analyst   Role = "analyst"   // reads responses and builds evidence
	Editor    Role = "editor"    // writes toolkit content
	Moderator Role = "moderator" // approves quotes and stories
)

// Roles lists every role, most powerful first.
var Roles = []Role{Admin, Analyst, Editor, Moderator}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q: choose one of admin, analyst, editor, moderator", s)
}

// Description says in plain English what the role allows.
func (r Role) Description() string {
	switch r {
	case Admin:
		return "Manages accounts and the campaign, and can do everything the other roles can."
	case Analyst:
		return "Reads and exports survey responses and prepares the evidence."
	case Editor:
		return "Writes and publishes toolkit content."
	case Moderator:
		return "Reviews free-text answers and stories before anything is published."
	}
	return ""
}

// Label is the role's name as shown on pages.
func (r Role) Label() string { return capitalise(string(r)) }

func capitalise(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// User is a volunteer's account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	PasswordHash string // empty until the person chooses a password
	CreatedAt    time.Time
	DisabledAt   time.Time // zero while the account is active
}

// Active reports whether the account may sign in.
func (u User) Active() bool { return u.DisabledAt.IsZero() }

// Status is where an account stands.
type Status string

// The statuses of an account.
const (
	StatusActive   Status = "active"
	StatusInvited  Status = "invited" // no password chosen yet
	StatusDisabled Status = "disabled"
)

// Status says where the account stands.
func (u User) Status() Status {
	switch {
	case !u.Active():
		return StatusDisabled
	case u.PasswordHash == "":
		return StatusInvited
	}
	return StatusActive
}

// Label is the status as shown on pages.
func (s Status) Label() string { return capitalise(string(s)) }

// DisplayName is the name if there is one, else the email address.
func (u User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// Errors callers can test for with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	// ErrLinkUnusable means a one-time link has expired, has been used,
	// is for a disabled account or for something else, or never was. It
	// is an ErrNotFound.
	ErrLinkUnusable error = linkUnusable{}
)

type linkUnusable struct{}

func (linkUnusable) Error() string        { return "the link has expired or has been used" }
func (linkUnusable) Is(target error) bool { return target == ErrNotFound }

// NormalizeEmail trims an email address and lowers its case, so that one
// person cannot hold two accounts that differ only in case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckEmail returns a message saying what is wrong with an email address,
// or "" when it is usable.
func CheckEmail(email string) string {
	switch {
	case email == "":
		return "Enter an email address"
	case len(email) > 254:
		return "Email address must be 254 characters or fewer"
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return "Enter an email address in the correct format, like name@example.org"
	}
	return ""
}

// Password length limits. The upper bound keeps hashing cheap enough that
// a very long password cannot be used to exhaust the server.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// CheckPassword returns a message saying why a new password is not
// acceptable, or "" when it is.
func CheckPassword(password, email string) string {
	n := len([]rune(password))
	switch {
	case password == "":
		return "Enter a password"
	case n < MinPasswordLength:
		return fmt.Sprintf("Password must be %d characters or more", MinPasswordLength)
	case n > MaxPasswordLength:
		return fmt.Sprintf("Password must be %d characters or fewer", MaxPasswordLength)
	case strings.EqualFold(password, email):
		return "Password must not be the same as your email address"
	case strings.Count(password, string([]rune(password)[0])) == n:
		return "Password must not be one character repeated"
	}
	return ""
}
