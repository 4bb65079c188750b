package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

func (s *Server) showSignIn(w http.ResponseWriter, r *http.Request) error {
	if s.user(r) != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next"), "/admin"), http.StatusSeeOther)
		return nil
	}
	f := newForm(nil)
	f.Set("next", r.URL.Query().Get("next"))
	return s.render(w, r, "sign-in", &view{Title: "Sign in", Form: f, Notice: notice(r), NoIndex: true})
}

// msgWrongCredentials is shown for any failed sign-in, so that the page
// never tells whether an account exists.
const msgWrongCredentials = "Enter a correct email address and password"

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.PostForm)
	email, password := auth.NormalizeEmail(f.Get("email")), f.Raw("password")
	if email == "" {
		f.Fail("email", "Enter your email address")
	}
	if password == "" {
		f.Fail("password", "Enter your password")
	}
	status := http.StatusBadRequest
	var u auth.User
	if f.Valid() {
		var err error
		u, status, err = s.checkSignIn(r, f, email, password)
		if err != nil {
			return err
		}
	}
	if !f.Valid() {
		s.renderPage(w, r, status, "sign-in", &view{Title: "Sign in", Form: f, NoIndex: true})
		return nil
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	return seeOther(w, r, localPath(f.Get("next"), "/admin"), "")
}

// checkSignIn checks an email address and password against the throttles
// and the accounts. It returns the account when they match; otherwise it
// records the failure in the form and returns the status to answer with.
func (s *Server) checkSignIn(r *http.Request, f *form, email, password string) (auth.User, int, error) {
	now, client := s.now(), s.clientKey(r)
	if wait := s.signInThrottles.Wait(email, client, now); wait > 0 {
		f.Fail("email", "Too many attempts to sign in. Wait "+waitFor(wait)+", then try again")
		return auth.User{}, http.StatusTooManyRequests, nil
	}
	u, err := s.db.UserByEmail(r.Context(), email)
	if err != nil && !errors.Is(err, auth.ErrNotFound) {
		return u, 0, err
	}
	// VerifyPassword takes as long for a missing account (empty hash) as
	// for a real one.
	ok, err := auth.VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return u, 0, err
	}
	if !ok || !u.Active() {
		s.signInThrottles.Fail(email, client, now)
		f.Fail("email", msgWrongCredentials)
		return auth.User{}, http.StatusBadRequest, nil
	}
	s.signInThrottles.Succeed(email, client)
	return u, http.StatusOK, nil
}

// waitFor says how long a wait is, rounded up: "1 minute", "15 minutes",
// "2 hours".
func waitFor(d time.Duration) string {
	n, unit := int(math.Ceil(d.Minutes())), "minute"
	if n > 90 {
		n, unit = int(math.Ceil(d.Hours())), "hour"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// startSession signs the browser in as the user with a new session id,
// ending whatever session it had before.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64) error {
	s.session(r) // reads the old cookie, if any
	token, sess, err := s.db.CreateSession(r.Context(), userID, info(r).cookie)
	if err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, token, int(auth.SessionMax.Seconds()), http.SameSiteLaxMode)
	// The form cookie of the signed-out browser is no longer needed.
	s.setCookie(w, r, formCookie, "", -1, http.SameSiteStrictMode)
	ri := info(r)
	ri.session, ri.sessionRead, ri.cookie = &sess, true, token
	return nil
}

func (s *Server) showSignOut(w http.ResponseWriter, r *http.Request) error {
	if s.user(r) == nil {
		return seeOther(w, r, "/sign-in", "")
	}
	return s.render(w, r, "sign-out", &view{Title: "Sign out", NoIndex: true})
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if s.session(r) != nil {
		if err := s.db.DeleteSession(r.Context(), info(r).cookie); err != nil {
			return err
		}
	}
	s.setCookie(w, r, sessionCookie, "", -1, http.SameSiteLaxMode)
	return seeOther(w, r, "/sign-in", "signed-out")
}
