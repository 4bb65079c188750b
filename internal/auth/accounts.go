package auth

import (
	"fmt"
	"unicode/utf8"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// Problems with accounts that callers can test for with errors.Is, each
// about the field of an account's form it concerns.
var (
	ErrEmailTaken = field.Error{Field: "email", Message: "An account with this email address already exists"}
	ErrLastAdmin  = field.Error{Field: "role", Message: "This is the only active admin account: make another account an admin first"}
)

// MaxName is the longest a person's name may be, in characters.
const MaxName = 100

// CheckName returns a message saying what is wrong with a person's name
// (which may be empty), or "" when it is usable.
func CheckName(name string) string {
	if utf8.RuneCountInString(name) > MaxName {
		return fmt.Sprintf("Name must be %d characters or fewer", MaxName)
	}
	return ""
}

// NewUser returns the account a form asks for, or its problems, by field:
// email (required; its case does not count), name and role.
func NewUser(email, name, role string) (User, error) {
	u := User{Email: NormalizeEmail(email), Name: name}
	var errs field.Errors
	errs.Add("email", CheckEmail(u.Email))
	errs.Add("name", CheckName(u.Name))
	var err error
	if u.Role, err = ParseRole(role); err != nil {
		errs.Add("role", "Choose a role")
	}
	return u, errs.Err()
}

// UserUpdate holds the changes an admin makes to an account.
type UserUpdate struct {
	Name     string
	Role     Role
	Disabled bool
}

// ReadUpdate returns the changes a form asks for, or their problems, by
// field: name, role, and status (active or disabled).
func ReadUpdate(name, role, status string) (UserUpdate, error) {
	upd := UserUpdate{Name: name, Disabled: status == "disabled"}
	var errs field.Errors
	errs.Add("name", CheckName(name))
	var err error
	if upd.Role, err = ParseRole(role); err != nil {
		errs.Add("role", "Choose a role")
	}
	if status != "active" && status != "disabled" {
		errs.Add("status", "Choose whether the account is active or disabled")
	}
	return upd, errs.Err()
}

// Demotes reports whether the update takes away an active admin's access
// to the admin's part: for the last active admin, it is refused with
// ErrLastAdmin.
func (upd UserUpdate) Demotes(u User) bool {
	return u.Role == Admin && u.Active() && (upd.Role != Admin || upd.Disabled)
}

// CheckNewPassword returns the problems, by field, with a password chosen
// for the account with the email address, and its confirmation: password
// and confirm_password.
func CheckNewPassword(password, confirm, email string) error {
	var errs field.Errors
	errs.Add("password", CheckPassword(password, email))
	if len(errs) == 0 && confirm != password {
		errs.Add("confirm_password", "The passwords do not match: enter the same password twice")
	}
	return errs.Err()
}

// CheckCurrentPassword returns the problem, about the field
// current_password, with a password given as the account's current one:
// missing, or not the one whose hash is given. An error that is not a
// field.Error means the hash could not be read.
func CheckCurrentPassword(hash, given string) error {
	if given == "" {
		return field.Invalid("current_password", "Enter your current password")
	}
	ok, err := VerifyPassword(hash, given)
	if err != nil {
		return err
	}
	if !ok {
		return field.Invalid("current_password", "Your current password is not correct")
	}
	return nil
}
