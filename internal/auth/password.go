package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the OWASP recommendation of 19 MiB, two passes, one
// lane. They are written into every hash, so they can be raised later
// without invalidating stored passwords.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16

	// maxArgonMemory bounds the memory a stored hash may ask for: 1 GiB.
	maxArgonMemory = 1 << 20 // KiB
)

var b64 = base64.RawStdEncoding

// HashPassword returns the password's argon2id hash in the PHC string
// format: $argon2id$v=19$m=19456,t=2,p=1$salt$key.
func HashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errBadHash means a stored hash is not one this package wrote.
var errBadHash = errors.New("auth: stored password hash is not in argon2id PHC format")

// VerifyPassword reports whether password matches the hash. An empty hash
// (an account whose owner has not chosen a password yet) matches nothing.
func VerifyPassword(hash, password string) (bool, error) {
	if hash == "" {
		// Spend the same time as a real check, so that the response time
		// does not tell whether an account exists or has a password.
		argon2.IDKey([]byte(password), make([]byte, argonSaltLen), argonTime, argonMemory, argonThreads, argonKeyLen)
		return false, nil
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	// argon2.IDKey panics on zero passes or lanes.
	// Parameters outside sane bounds (argon2 panics on zero passes or
	// lanes; a huge memory cost would exhaust the server) mean the hash is
	// not one of ours.
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil ||
		passes < 1 || passes > 16 || threads < 1 || threads > 16 || memory < 8*uint32(threads) || memory > maxArgonMemory {
		return false, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
