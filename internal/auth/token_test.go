package auth_test

import (
	"encoding/base64"
	"regexp"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

var (
	tokenForm = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	hashForm  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		token, hash := auth.NewToken()
		if !tokenForm.MatchString(token) {
			t.Fatalf("NewToken() token = %q, want 43 characters of unpadded base64url", token)
		}
		if b, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(b) != 32 {
			t.Errorf("NewToken() token %q decodes to %d bytes, %v; want 32", token, len(b), err)
		}
		if !hashForm.MatchString(hash) {
			t.Errorf("NewToken() hash = %q, want 64 lower-case hex digits", hash)
		}
		if got := auth.HashToken(token); got != hash {
			t.Errorf("HashToken(%q) = %q, want NewToken's hash %q", token, got, hash)
		}
		if seen[token] {
			t.Fatalf("NewToken() returned %q twice", token)
		}
		seen[token] = true
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ token, want string }{
		// echo -n abc | sha256sum
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		if got := auth.HashToken(tt.token); got != tt.want {
			t.Errorf("HashToken(%q) = %q, want %q", tt.token, got, tt.want)
		}
	}
}
