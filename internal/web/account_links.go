package web

import (
	"errors"
	"net/http"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

// checkNewPassword checks the password and confirm_password fields of a
// form that sets a password.
func checkNewPassword(f *form, email string) {
	password := f.Raw("password")
	f.Fail("password", auth.CheckPassword(password, email))
	if f.Error("password") == "" && f.Raw("confirm_password") != password {
		f.Fail("confirm_password", "The passwords do not match: enter the same password twice")
	}
}

// link returns the live one-time link of the purpose named in the URL.
func (s *Server) link(r *http.Request, purpose auth.LinkPurpose) (auth.Link, error) {
	l, err := s.db.Link(r.Context(), r.PathValue("token"))
	if errors.Is(err, auth.ErrNotFound) || err == nil && l.Purpose != purpose {
		return l, errLinkUnusable
	}
	return l, err
}

func (s *Server) showSetup(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.link(r, auth.LinkSetup); err != nil {
		return err
	}
	return s.render(w, r, "setup", &view{Title: "Create the first admin account", Form: newForm(nil), NoIndex: true})
}

func (s *Server) createFirstAdmin(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.link(r, auth.LinkSetup); err != nil {
		return err
	}
	f := newForm(r.PostForm)
	u := auth.User{Name: f.Get("name"), Email: auth.NormalizeEmail(f.Get("email"))}
	f.Fail("name", checkName(u.Name))
	f.Fail("email", auth.CheckEmail(u.Email))
	checkNewPassword(f, u.Email)
	if f.Valid() {
		var err error
		u, err = s.db.UseSetupLink(r.Context(), r.PathValue("token"), u, auth.HashPassword(f.Raw("password")))
		switch {
		case errors.Is(err, auth.ErrNotFound):
			return errLinkUnusable
		case errors.Is(err, auth.ErrEmailTaken):
			f.Fail("email", "An account with this email address already exists")
		case err != nil:
			return err
		}
	}
	if !f.Valid() {
		s.renderPage(w, r, http.StatusBadRequest, "setup", &view{Title: "Create the first admin account", Form: f, NoIndex: true})
		return nil
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	return seeOther(w, r, "/admin", "admin-created")
}

func (s *Server) showChoosePassword(w http.ResponseWriter, r *http.Request) error {
	l, err := s.link(r, auth.LinkPassword)
	if err != nil {
		return err
	}
	return s.render(w, r, "password", &view{Title: "Choose a password", Form: newForm(nil), Data: l, NoIndex: true})
}

func (s *Server) choosePassword(w http.ResponseWriter, r *http.Request) error {
	l, err := s.link(r, auth.LinkPassword)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	checkNewPassword(f, l.User.Email)
	if !f.Valid() {
		s.renderPage(w, r, http.StatusBadRequest, "password", &view{Title: "Choose a password", Form: f, Data: l, NoIndex: true})
		return nil
	}
	err = s.db.UsePasswordLink(r.Context(), r.PathValue("token"), l.User, auth.HashPassword(f.Raw("password")))
	if errors.Is(err, auth.ErrNotFound) {
		return errLinkUnusable
	} else if err != nil {
		return err
	}
	if err := s.startSession(w, r, l.User.ID); err != nil {
		return err
	}
	return seeOther(w, r, "/admin", "password-set")
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "account", &view{Title: "Your account", Form: newForm(nil), Notice: notice(r)})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	f := newForm(r.PostForm)
	ok, err := auth.VerifyPassword(u.PasswordHash, f.Raw("current_password"))
	if err != nil {
		return err
	}
	switch {
	case f.Raw("current_password") == "":
		f.Fail("current_password", "Enter your current password")
	case !ok:
		f.Fail("current_password", "Your current password is not correct")
	}
	checkNewPassword(f, u.Email)
	if !f.Valid() {
		s.renderPage(w, r, http.StatusBadRequest, "account", &view{Title: "Your account", Form: f})
		return nil
	}
	if err := s.db.SetPassword(r.Context(), s.actor(r), u.ID, auth.HashPassword(f.Raw("password"))); err != nil {
		return err
	}
	// Changing the password ended every session of the account, this one
	// included; start a new one for this browser.
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	return seeOther(w, r, "/account", "password-changed")
}

// checkName checks a person's (optional) name.
func checkName(name string) string {
	if len([]rune(name)) > 100 {
		return "Name must be 100 characters or fewer"
	}
	return ""
}
