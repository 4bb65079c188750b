package auth_test

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

const password = "correct horse battery staple"

// hashes are two hashes of password, made once: hashing is slow.
var hashes = sync.OnceValue(func() [2]string {
	return [2]string{auth.HashPassword(password), auth.HashPassword(password)}
})

// phc matches a hash with this package's parameters: a 16-byte salt and a
// 32-byte key, in unpadded standard base64.
var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPassword(t *testing.T) {
	h := hashes()
	for _, hash := range h {
		if !phc.MatchString(hash) {
			t.Errorf("HashPassword(%q) = %q, want %s", password, hash, phc)
		}
	}
	if h[0] == h[1] {
		t.Errorf("HashPassword(%q) twice = %q both times, want different salts", password, h[0])
	}
	if salt := func(h string) string { return strings.Split(h, "$")[4] }; salt(h[0]) == salt(h[1]) {
		t.Errorf("HashPassword(%q) twice used the same salt %q", password, salt(h[0]))
	}
}

func TestVerifyPassword(t *testing.T) {
	h := hashes()
	tests := []struct {
		name     string
		hash     string
		password string
		want     bool
	}{
		{"right", h[0], password, true},
		{"right, other salt", h[1], password, true},
		{"wrong", h[0], "correct horse battery stapler", false},
		{"case matters", h[0], strings.ToUpper(password), false},
		{"empty password", h[0], "", false},
		{"no password chosen yet", "", password, false},
		{"no password chosen yet, empty password", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.VerifyPassword(tt.hash, tt.password)
			if got != tt.want || err != nil {
				t.Errorf("VerifyPassword(%q, %q) = %v, %v; want %v, nil", tt.hash, tt.password, got, err, tt.want)
			}
		})
	}
}

// handMade returns a PHC hash of password made with other parameters.
func handMade(password string, time, memory uint32, threads uint8, keyLen uint32) string {
	salt := []byte("sixteen byte sal")
	key := argon2.IDKey([]byte(password), salt, time, memory, threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", memory, time, threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// TestVerifyPasswordParameters checks that the parameters are read from the
// hash, so that raising them later leaves stored hashes working.
func TestVerifyPasswordParameters(t *testing.T) {
	tests := []struct {
		name    string
		time    uint32
		memory  uint32
		threads uint8
		keyLen  uint32
	}{
		{"one pass", 1, 19456, 1, 32},
		{"small memory, two lanes", 3, 64, 2, 32},
		{"longer key", 1, 64, 1, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash := handMade(password, tt.time, tt.memory, tt.threads, tt.keyLen)
			if ok, err := auth.VerifyPassword(hash, password); !ok || err != nil {
				t.Errorf("VerifyPassword(%q, right password) = %v, %v; want true, nil", hash, ok, err)
			}
			if ok, err := auth.VerifyPassword(hash, "wrong password"); ok || err != nil {
				t.Errorf("VerifyPassword(%q, wrong password) = %v, %v; want false, nil", hash, ok, err)
			}
		})
	}
}

// malformed are stored hashes this package did not write. Those that could
// be parsed use tiny parameters so that checking them is quick.
var malformed = []struct{ name, hash string }{
	{"one character", "x"},
	{"one dollar", "$"},
	{"only dollars", "$$$$$"},
	{"plain text", "password"},
	{"scheme only", "$argon2id$"},
	{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"argon2d", "$argon2d$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"bcrypt", "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"},
	{"no leading dollar", "argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"no key", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ"},
	{"extra field", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5$"},
	{"version 16", "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"version not a number", "$argon2id$v=x$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"no version", "$argon2id$$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"memory only", "$argon2id$v=19$m=64$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"parameters out of order", "$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"negative memory", "$argon2id$v=19$m=-64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"256 lanes", "$argon2id$v=19$m=64,t=1,p=256$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"zero passes", "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"zero lanes", "$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$a2V5a2V5a2V5"},
	{"all zero, no salt", "$argon2id$v=19$m=0,t=0,p=0$$a2V5a2V5a2V5"},
	{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ=$a2V5a2V5a2V5"},
	{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$not*base64$a2V5a2V5a2V5"},
	{"empty key", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$"},
	{"key not base64", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$not*base64"},
	{"NUL after key", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5\x00"},
}

func TestVerifyPasswordMalformed(t *testing.T) {
	for _, tt := range malformed {
		t.Run(tt.name, func(t *testing.T) {
			hash := tt.hash
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("VerifyPassword(%q, ...) panicked: %v", hash, p)
				}
			}()
			if ok, err := auth.VerifyPassword(hash, password); ok || err == nil {
				t.Errorf("VerifyPassword(%q, ...) = %v, %v; want false and an error", hash, ok, err)
			}
		})
	}
}

// FuzzVerifyPassword checks that no stored hash, however broken, makes
// VerifyPassword panic. Under go test only the seeds run.
func FuzzVerifyPassword(f *testing.F) {
	for _, tt := range malformed {
		f.Add(tt.hash, password)
	}
	f.Add(handMade(password, 1, 64, 1, 32), password)
	f.Fuzz(func(t *testing.T, hash, password string) {
		if costly(hash) {
			t.Skip("parameters too costly to check quickly")
		}
		ok, err := auth.VerifyPassword(hash, password)
		if ok && err != nil {
			t.Errorf("VerifyPassword(%q, %q) = true, %v; want no error with a match", hash, password, err)
		}
	})
}

// costly reports whether hash asks for more work than a fuzzing run should
// do per input: an empty hash, or parameters beyond tiny ones.
func costly(hash string) bool {
	if hash == "" {
		return true
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 {
		return false
	}
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false
	}
	return memory > 1024 || time > 4 || len(parts[5]) > 1024
}
