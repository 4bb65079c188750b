package web

import (
	"net/http"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

// link returns the live one-time link of the purpose named in the URL.
func (s *Server) link(r *http.Request, purpose auth.LinkPurpose) (auth.Link, error) {
	l, err := s.db.Link(r.Context(), r.PathValue("token"))
	if err == nil && l.Purpose != purpose {
		err = auth.ErrLinkUnusable
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
	u, err := auth.NewUser(f.Get("email"), f.Get("name"), string(auth.Admin))
	f.refused(err, nil)
	f.refused(auth.CheckNewPassword(f.Raw("password"), f.Raw("confirm_password"), u.Email), nil)
	f.inOrder("name", "email", "password", "confirm_password")
	if f.Valid() {
		u, err = s.db.UseSetupLink(r.Context(), r.PathValue("token"), u, auth.HashPassword(f.Raw("password")))
		if !f.refused(err, nil) && err != nil {
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
	if f.refused(auth.CheckNewPassword(f.Raw("password"), f.Raw("confirm_password"), l.User.Email), nil) {
		s.renderPage(w, r, http.StatusBadRequest, "password", &view{Title: "Choose a password", Form: f, Data: l, NoIndex: true})
		return nil
	}
	if err := s.db.UsePasswordLink(r.Context(), r.PathValue("token"), l.User, auth.HashPassword(f.Raw("password"))); err != nil {
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
	if err := auth.CheckCurrentPassword(u.PasswordHash, f.Raw("current_password")); !f.refused(err, nil) && err != nil {
		return err
	}
	f.refused(auth.CheckNewPassword(f.Raw("password"), f.Raw("confirm_password"), u.Email), nil)
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
