package web

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

func TestForm(t *testing.T) {
	f := newForm(url.Values{"email": {"  a@example.org "}, "password": {"  spaced  "}})
	if got := f.Get("email"); got != "a@example.org" {
		t.Errorf("Get(email) = %q, want the value trimmed", got)
	}
	if got := f.Raw("password"); got != "  spaced  " {
		t.Errorf("Raw(password) = %q, want the value as entered", got)
	}
	f.Fail("password", "")
	if !f.Valid() {
		t.Error("an empty message counted as an error")
	}
	f.Fail("password", "Enter a password")
	f.Fail("email", "Enter an email address")
	f.Fail("password", "A second problem with the password")
	want := field.Errors{{Field: "password", Message: "Enter a password"}, {Field: "email", Message: "Enter an email address"}}
	if diff := cmp.Diff(want, f.Errors()); diff != "" {
		t.Errorf("Errors() (-want +got): the first problem per field, in order found:\n%s", diff)
	}
	if f.Valid() || f.Error("email") != "Enter an email address" || f.Error("name") != "" {
		t.Errorf("Valid() = %v, Error(email) = %q, Error(name) = %q", f.Valid(), f.Error("email"), f.Error("name"))
	}
}

func TestFormInOrder(t *testing.T) {
	f := newForm(nil)
	f.Fail("email", "Enter an email address")
	f.Fail("password", "Enter a password")
	f.Fail("name", "Name must be 100 characters or fewer")
	f.inOrder("name", "email", "password")
	var got []string
	for _, e := range f.Errors() {
		got = append(got, e.Field)
	}
	if want := []string{"name", "email", "password"}; !cmp.Equal(want, got) {
		t.Errorf("errors in the order %v, want the page's order %v", got, want)
	}
}

func TestFormRefused(t *testing.T) {
	refusal := fmt.Errorf("create code: %w", field.Errors{{Field: "name", Message: "Enter a name"}, {Field: "question", Message: "No such question"}})
	for _, tc := range []struct {
		name  string
		err   error
		input func(string) string
		want  field.Errors
		ok    bool
	}{
		{"not a refusal", errors.New("the database is down"), nil, nil, false},
		{"nil", nil, nil, nil, false},
		{"each beside its field", refusal, nil,
			field.Errors{{Field: "name", Message: "Enter a name"}, {Field: "question", Message: "No such question"}}, true},
		{"beside the inputs named", refusal, inputOr("label", "name"),
			field.Errors{{Field: "name", Message: "Enter a name"}, {Field: "label", Message: "No such question"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newForm(nil)
			if got := f.refused(tc.err, tc.input); got != tc.ok {
				t.Errorf("refused(%v) = %v, want %v", tc.err, got, tc.ok)
			}
			if diff := cmp.Diff(tc.want, f.Errors()); diff != "" {
				t.Errorf("errors shown (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewChoices(t *testing.T) {
	f := newForm(url.Values{"role": {"editor"}})
	v := newChoices(f, "role", "Role", []option{{Value: "admin"}, {Value: "editor"}}, "hint=Pick one")
	want := []optionView{
		{option: option{Value: "admin"}, ID: "role"},
		{option: option{Value: "editor"}, ID: "role-editor", Checked: true},
	}
	if diff := cmp.Diff(want, v.Options, cmp.AllowUnexported(optionView{})); diff != "" {
		t.Errorf("options (-want +got): the first radio carries the field's id for the error summary link:\n%s", diff)
	}
	if v.Hint != "Pick one" {
		t.Errorf("hint = %q", v.Hint)
	}
}

func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/admin/users?x=1", "/admin/users?x=1"},
		{"/", "/"},
		{"", "/fallback"},
		{"admin", "/fallback"},
		{"//evil.example/", "/fallback"},
		{"/\\evil.example", "/fallback"},
		{"https://evil.example/", "/fallback"},
		{"/%zz", "/fallback"},
	} {
		if got := localPath(tc.next, "/fallback"); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}
