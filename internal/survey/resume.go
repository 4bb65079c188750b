package survey

import (
	"crypto/rand"
	"strings"
	"time"
)

// resumeCodeAlphabet is Crockford's base 32: no I, L, O or U, so codes
// are easy to read out and type.
const resumeCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewResumeCode returns a random 60-bit code for answers saved to come
// back to, written 7KQ2-MX9P-4HDW.
func NewResumeCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(resumeCodeAlphabet[int(c)%32])
	}
	return out.String()
}

// NormaliseResumeCode reads a code as typed: any case, with or without
// hyphens or spaces, O for 0 and I or L for 1.
func NormaliseResumeCode(s string) string {
	s = strings.ToUpper(s)
	s = strings.NewReplacer("O", "0", "I", "1", "L", "1", "-", "", " ", "").Replace(s)
	if len(s) != 12 {
		return s
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12]
}

// DraftExpires is the day answers saved at now are kept until.
func DraftExpires(now time.Time) time.Time { return Day(now.Add(DraftLifetime)) }
