package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

func TestCheckEmail(t *testing.T) {
	const (
		format = "Enter an email address in the correct format, like name@example.org"
		long   = "Email address must be 254 characters or fewer"
	)
	tests := []struct {
		email string
		want  string
	}{
		{"name@example.org", ""},
		{"first.last+hubs@mail.example.co.uk", ""},
		{"o'neil@example.org", ""},
		{"Name@Example.org", ""},
		{strings.Repeat("a", 242) + "@example.org", ""}, // 254 characters
		{"", "Enter an email address"},
		{strings.Repeat("a", 243) + "@example.org", long}, // 255 characters
		{"name", format},
		{"name@", format},
		{"@example.org", format},
		{"name@localhost", format},
		{"name@example", format},
		{"name.@example.org", format},
		{"first..last@example.org", format},
		{" name@example.org", format},
		{"name@example.org ", format},
		{"Name <name@example.org>", format},
		{"<name@example.org>", format},
		{"name@example.org, other@example.org", format},
		{"name@@example.org", format},
		{"name @example.org", format},
		{"name@exa mple.org", format},
		{"name@example.org\n", format},
	}
	for _, tt := range tests {
		if got := auth.CheckEmail(tt.email); got != tt.want {
			t.Errorf("CheckEmail(%q) = %q, want %q", tt.email, got, tt.want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"name@example.org", "name@example.org"},
		{"Name@Example.ORG", "name@example.org"},
		{"  name@example.org\t\n", "name@example.org"},
		{" ", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := auth.NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	const email = "name@example.org"
	tests := []struct {
		name     string
		password string
		want     string
	}{
		{"long enough", "correct horse battery staple", ""},
		{"exactly the minimum", "abcdefghijkl", ""},
		{"exactly the maximum", strings.Repeat("ab", 128), ""},
		{"minimum counted in characters", "ĉĝĥĵŝŭĉĝĥĵŝŭ", ""},
		{"maximum counted in characters", strings.Repeat("ĉŭ", 128), ""},
		{"almost repeated", "aaaaaaaaaaab", ""},
		{"contains the email", email + "!", ""},
		{"empty", "", "Enter a password"},
		{"one short", "abcdefghijk", "Password must be 12 characters or more"},
		{"short in characters, long in bytes", "ĉĝĥĵŝŭĉĝĥĵŝ", "Password must be 12 characters or more"},
		{"one too long", strings.Repeat("ab", 128) + "c", "Password must be 256 characters or fewer"},
		{"the email", email, "Password must not be the same as your email address"},
		{"the email in capitals", "NAME@EXAMPLE.ORG", "Password must not be the same as your email address"},
		{"one character repeated", "aaaaaaaaaaaa", "Password must not be one character repeated"},
		{"one accented character repeated", strings.Repeat("é", 20), "Password must not be one character repeated"},
		{"spaces", strings.Repeat(" ", 12), "Password must not be one character repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.CheckPassword(tt.password, email); got != tt.want {
				t.Errorf("CheckPassword(%q, %q) = %q, want %q", tt.password, email, got, tt.want)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range auth.Roles {
		if got, err := auth.ParseRole(string(r)); got != r || err != nil {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, nil", r, got, err, r)
		}
	}
	for _, s := range []string{"", "Admin", "owner", " admin", "admin "} {
		got, err := auth.ParseRole(s)
		want := `unknown role "` + s + `": choose one of admin, analyst, editor, moderator`
		if got != "" || err == nil || err.Error() != want {
			t.Errorf("ParseRole(%q) = %q, %v; want \"\", %q", s, got, err, want)
		}
	}
}

func TestRoles(t *testing.T) {
	want := []auth.Role{auth.Admin, auth.Analyst, auth.Editor, auth.Moderator}
	if diff := cmp.Diff(want, auth.Roles); diff != "" {
		t.Errorf("Roles mismatch (-want +got):\n%s", diff)
	}
	labels := map[auth.Role]string{auth.Admin: "Admin", auth.Analyst: "Analyst", auth.Editor: "Editor", auth.Moderator: "Moderator"}
	for _, r := range auth.Roles {
		if got := r.Label(); got != labels[r] {
			t.Errorf("%q.Label() = %q, want %q", r, got, labels[r])
		}
		if r.Description() == "" {
			t.Errorf("%q.Description() is empty", r)
		}
	}
	if got := auth.Role("").Label(); got != "" {
		t.Errorf(`Role("").Label() = %q, want ""`, got)
	}
	if got := auth.Role("owner").Description(); got != "" {
		t.Errorf(`Role("owner").Description() = %q, want ""`, got)
	}
}

func TestUser(t *testing.T) {
	tests := []struct {
		name   string
		user   auth.User
		active bool
		shown  string
	}{
		{"named", auth.User{Email: "ana@example.org", Name: "Ana"}, true, "Ana"},
		{"unnamed", auth.User{Email: "ana@example.org"}, true, "ana@example.org"},
		{"disabled", auth.User{Email: "ana@example.org", DisabledAt: time.Unix(1, 0)}, false, "ana@example.org"},
	}
	for _, tt := range tests {
		if got := tt.user.Active(); got != tt.active {
			t.Errorf("%s: Active() = %v, want %v", tt.name, got, tt.active)
		}
		if got := tt.user.DisplayName(); got != tt.shown {
			t.Errorf("%s: DisplayName() = %q, want %q", tt.name, got, tt.shown)
		}
	}
}
