package auth

import "errors"

// ErrWrongCredentials means an email address and password do not sign in
// to an account. It does not tell whether the account exists, has a
// password yet or is disabled.
var ErrWrongCredentials = errors.New("wrong email address or password")

// CheckCredentials returns nil when the password is the account's and the
// account is active, else ErrWrongCredentials. The account is the zero
// User for an email address that has none: checking takes as long.
func CheckCredentials(u User, password string) error {
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok || !u.Active() {
		return ErrWrongCredentials
	}
	return nil
}
