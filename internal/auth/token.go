package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// NewToken returns a random 256-bit token for a cookie or a link, and the
// hash under which it is stored. The database only ever holds the hash, so a
// copy of the database cannot be used to sign in or to follow a link.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Session lifetimes. A session ends after SessionIdle without a request, and
// in any case SessionMax after sign-in.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
	// SessionTouch is how stale a session's last-seen time may become before
	// a request writes it again; it keeps most requests free of writes.
	SessionTouch = 5 * time.Minute
)

// Session is a signed-in browser.
type Session struct {
	IDHash     string
	User       User
	FormToken  string // sent back with every form, against cross-site forgery
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// LinkPurpose says what a one-time account link is for.
type LinkPurpose string

// The kinds of one-time links.
const (
	// LinkSetup creates the first admin account on a new installation.
	LinkSetup LinkPurpose = "setup"
	// LinkPassword lets a person choose a password: a new account's
	// invitation, or a reset an admin made.
	LinkPassword LinkPurpose = "password"
)

// Link lifetimes.
const (
	SetupLinkLifetime    = 24 * time.Hour
	PasswordLinkLifetime = 7 * 24 * time.Hour
)

// Link is a one-time account link.
type Link struct {
	Purpose   LinkPurpose
	User      User // zero for a setup link
	ExpiresAt time.Time
}
