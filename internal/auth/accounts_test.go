package auth_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// problems lists each field err is about with its message.
func problems(err error) map[string]string {
	fe, _ := field.From(err)
	if fe == nil {
		return nil
	}
	out := map[string]string{}
	for _, e := range fe {
		out[e.Field] = e.Message
	}
	return out
}

func TestNewUser(t *testing.T) {
	u, err := auth.NewUser(" Ana@Example.org ", "Ana", "analyst")
	if want := (auth.User{Email: "ana@example.org", Name: "Ana", Role: auth.Analyst}); err != nil || u != want {
		t.Errorf("NewUser = %+v, %v; want %+v", u, err, want)
	}
	_, err = auth.NewUser("", strings.Repeat("n", 101), "owner")
	want := map[string]string{"email": "Enter an email address", "name": "Name must be 100 characters or fewer", "role": "Choose a role"}
	if diff := cmp.Diff(want, problems(err)); diff != "" {
		t.Errorf("NewUser(all wrong) problems (-want +got):\n%s", diff)
	}
}

func TestReadUpdate(t *testing.T) {
	upd, err := auth.ReadUpdate("Edna", "moderator", "disabled")
	if want := (auth.UserUpdate{Name: "Edna", Role: auth.Moderator, Disabled: true}); err != nil || upd != want {
		t.Errorf("ReadUpdate = %+v, %v; want %+v", upd, err, want)
	}
	_, err = auth.ReadUpdate(strings.Repeat("n", 101), "", "gone")
	want := map[string]string{"name": "Name must be 100 characters or fewer", "role": "Choose a role",
		"status": "Choose whether the account is active or disabled"}
	if diff := cmp.Diff(want, problems(err)); diff != "" {
		t.Errorf("ReadUpdate(all wrong) problems (-want +got):\n%s", diff)
	}
}

func TestDemotes(t *testing.T) {
	admin := auth.User{Role: auth.Admin}
	for _, tc := range []struct {
		name string
		u    auth.User
		upd  auth.UserUpdate
		want bool
	}{
		{"an admin stays one", admin, auth.UserUpdate{Role: auth.Admin}, false},
		{"an admin made an analyst", admin, auth.UserUpdate{Role: auth.Analyst}, true},
		{"an admin disabled", admin, auth.UserUpdate{Role: auth.Admin, Disabled: true}, true},
		{"an analyst disabled", auth.User{Role: auth.Analyst}, auth.UserUpdate{Role: auth.Analyst, Disabled: true}, false},
		{"a disabled admin demoted", auth.User{Role: auth.Admin, DisabledAt: time.Unix(1, 0)}, auth.UserUpdate{Role: auth.Editor}, false},
	} {
		if got := tc.upd.Demotes(tc.u); got != tc.want {
			t.Errorf("%s: Demotes = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckNewPassword(t *testing.T) {
	const good = "correct horse battery staple"
	for _, tc := range []struct {
		password, confirm string
		want              map[string]string
	}{
		{good, good, nil},
		{good, good + "!", map[string]string{"confirm_password": "The passwords do not match: enter the same password twice"}},
		{"short", "other", map[string]string{"password": "Password must be 12 characters or more"}},
	} {
		if diff := cmp.Diff(tc.want, problems(auth.CheckNewPassword(tc.password, tc.confirm, "ana@example.org"))); diff != "" {
			t.Errorf("CheckNewPassword(%q, %q) problems (-want +got):\n%s", tc.password, tc.confirm, diff)
		}
	}
}

func TestCheckCurrentPassword(t *testing.T) {
	const password = "correct horse battery staple"
	hash := auth.HashPassword(password)
	for _, tc := range []struct {
		given string
		want  map[string]string
	}{
		{password, nil},
		{"", map[string]string{"current_password": "Enter your current password"}},
		{"wrong horse", map[string]string{"current_password": "Your current password is not correct"}},
	} {
		if diff := cmp.Diff(tc.want, problems(auth.CheckCurrentPassword(hash, tc.given))); diff != "" {
			t.Errorf("CheckCurrentPassword(%q) problems (-want +got):\n%s", tc.given, diff)
		}
	}
	if err := auth.CheckCurrentPassword("not a hash", password); err == nil || problems(err) != nil {
		t.Errorf("CheckCurrentPassword(a broken hash) = %v, want an error that is not a problem with the field", err)
	}
	if !errors.Is(fmt.Errorf("create user: %w", auth.ErrEmailTaken), auth.ErrEmailTaken) {
		t.Error("ErrEmailTaken wrapped is not found by errors.Is")
	}
}

func TestErrLinkUnusable(t *testing.T) {
	err := fmt.Errorf("use setup link: %w", auth.ErrLinkUnusable)
	if !errors.Is(err, auth.ErrLinkUnusable) || !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("%v: want it to be ErrLinkUnusable and ErrNotFound", err)
	}
	if errors.Is(auth.ErrNotFound, auth.ErrLinkUnusable) {
		t.Error("every ErrNotFound is ErrLinkUnusable")
	}
}
