package web

import (
	"context"
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
	if !f.Valid() {
		return s.renderSignIn(w, r, http.StatusBadRequest, f)
	}
	u, err := s.authenticate(r.Context(), email, password, s.signInClientKey(r))
	if status, msg := signInRefused(err); status != 0 {
		f.Fail("email", msg)
		return s.renderSignIn(w, r, status, f)
	} else if err != nil {
		return err
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	return seeOther(w, r, localPath(f.Get("next"), "/admin"), "")
}

// renderSignIn shows the sign-in form again, with its problems.
func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	s.renderPage(w, r, status, "sign-in", &view{Title: "Sign in", Form: f, NoIndex: true})
	return nil
}

// authenticate returns the account that the email address and password
// sign in to, counting the attempt against the sign-in limits of the
// client. It returns *auth.TooManyAttempts when the client must wait, and
// auth.ErrWrongCredentials when they do not match an active account.
func (s *Server) authenticate(ctx context.Context, email, password, client string) (auth.User, error) {
	attempt, err := s.signInThrottles.Begin(email, client, s.now())
	if err != nil {
		return auth.User{}, err
	}
	u, err := s.db.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, auth.ErrNotFound) {
		return auth.User{}, err
	}
	if err := auth.CheckCredentials(u, password); err != nil {
		return auth.User{}, err
	}
	attempt.Succeed()
	return u, nil
}

// signInRefused returns the status and the message for a sign-in that
// authenticate refused with err, or zero when err is not a refusal.
func signInRefused(err error) (int, string) {
	var tooMany *auth.TooManyAttempts
	switch {
	case errors.As(err, &tooMany):
		return http.StatusTooManyRequests, "Too many attempts to sign in. Wait " + waitFor(tooMany.Wait) + ", then try again"
	case errors.Is(err, auth.ErrWrongCredentials):
		return http.StatusBadRequest, msgWrongCredentials
	}
	return 0, ""
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
