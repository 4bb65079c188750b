package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// roleOptions are the roles as radios, with what each allows.
func roleOptions() []option {
	var opts []option
	for _, r := range auth.Roles {
		opts = append(opts, option{Value: string(r), Label: r.Label(), Hint: r.Description()})
	}
	return opts
}

var statusOptions = []option{
	{Value: "active", Label: "Active", Hint: "The person can sign in."},
	{Value: "disabled", Label: "Disabled", Hint: "The person cannot sign in, and is signed out everywhere now."},
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.db.Users(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "users", &view{Title: "Accounts", Data: users, Notice: notice(r)})
}

func (s *Server) showNewUser(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "user-new", &view{Title: "Add an account", Form: newForm(nil),
		Data: roleOptions(), BackLink: "/admin/users"})
}

// linkPage is what the page showing a new one-time link needs.
type linkPage struct {
	User    auth.User
	URL     string
	Created bool // a new account, rather than a new link for an old one
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.PostForm)
	u := auth.User{Email: auth.NormalizeEmail(f.Get("email")), Name: f.Get("name")}
	f.Fail("email", auth.CheckEmail(u.Email))
	f.Fail("name", checkName(u.Name))
	role, err := auth.ParseRole(f.Get("role"))
	if err != nil {
		f.Fail("role", "Choose a role")
	}
	u.Role = role
	var token string
	if f.Valid() {
		u, token, err = s.db.CreateUser(r.Context(), s.actor(r), u)
		if errors.Is(err, auth.ErrEmailTaken) {
			f.Fail("email", "An account with this email address already exists")
		} else if err != nil {
			return err
		}
	}
	if !f.Valid() {
		s.renderPage(w, r, http.StatusBadRequest, "user-new", &view{Title: "Add an account", Form: f,
			Data: roleOptions(), BackLink: "/admin/users"})
		return nil
	}
	return s.render(w, r, "user-link", &view{Title: "Account created",
		Data: linkPage{User: u, URL: s.siteURL(r) + "/password/" + token, Created: true}})
}

// siteURL is the site's address for links shown to admins to pass on: the
// configured base URL, else the scheme and host the request came to.
func (s *Server) siteURL(r *http.Request) string {
	switch {
	case s.baseURL != "":
		return s.baseURL
	case s.isHTTPS(r):
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// userFromPath returns the account whose id is in the URL.
func (s *Server) userFromPath(r *http.Request) (auth.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return auth.User{}, errNotFound
	}
	return s.db.User(r.Context(), id)
}

// editUser is what the account page shows.
type editUser struct {
	User     auth.User
	Roles    []option
	Statuses []option
	Self     bool
}

func (s *Server) editUserView(r *http.Request, u auth.User, f *form) *view {
	return &view{Title: u.DisplayName(), Form: f, BackLink: "/admin/users", Notice: notice(r),
		Data: editUser{User: u, Roles: roleOptions(), Statuses: statusOptions,
			Self: u.ID == s.user(r).ID}}
}

func (s *Server) showEditUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFromPath(r)
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("name", u.Name)
	f.Set("role", string(u.Role))
	f.Set("status", "active")
	if !u.Active() {
		f.Set("status", "disabled")
	}
	return s.render(w, r, "user-edit", s.editUserView(r, u, f))
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFromPath(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	upd := store.UserUpdate{Name: f.Get("name"), Disabled: f.Get("status") == "disabled"}
	f.Fail("name", checkName(upd.Name))
	if upd.Role, err = auth.ParseRole(f.Get("role")); err != nil {
		f.Fail("role", "Choose a role")
	}
	if st := f.Get("status"); st != "active" && st != "disabled" {
		f.Fail("status", "Choose whether the account is active or disabled")
	}
	if f.Valid() {
		_, err = s.db.UpdateUser(r.Context(), s.actor(r), u.ID, upd)
		if errors.Is(err, auth.ErrLastAdmin) {
			f.Fail("role", "This is the only active admin account. Make another account an admin first")
		} else if err != nil {
			return err
		}
	}
	if !f.Valid() {
		s.renderPage(w, r, http.StatusBadRequest, "user-edit", s.editUserView(r, u, f))
		return nil
	}
	if u.ID == s.user(r).ID && (upd.Disabled || upd.Role != u.Role) {
		// Admins who take away their own access are signed out by it.
		return seeOther(w, r, "/", "")
	}
	return seeOther(w, r, "/admin/users", "user-saved")
}

func (s *Server) createPasswordLink(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFromPath(r)
	if err != nil {
		return err
	}
	if !u.Active() {
		return &pageError{status: http.StatusConflict, title: "This account is disabled",
			message: "Make the account active before making a password link for it."}
	}
	token, err := s.db.CreatePasswordLink(r.Context(), s.actor(r), u.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, "user-link", &view{Title: "New password link",
		Data: linkPage{User: u, URL: s.siteURL(r) + "/password/" + token}})
}

func (s *Server) showDeleteUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFromPath(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "user-delete", &view{Title: "Delete " + u.DisplayName() + "'s account?",
		Form: newForm(nil), Data: u, BackLink: "/admin/users/" + r.PathValue("id")})
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userFromPath(r)
	if err != nil {
		return err
	}
	err = s.db.DeleteUser(r.Context(), s.actor(r), u.ID)
	if errors.Is(err, auth.ErrLastAdmin) {
		f := newForm(nil)
		f.Fail("confirm", "This is the only active admin account, so it cannot be deleted. Make another account an admin first")
		s.renderPage(w, r, http.StatusConflict, "user-delete", &view{Title: "Delete " + u.DisplayName() + "'s account?",
			Form: f, Data: u, BackLink: "/admin/users/" + r.PathValue("id")})
		return nil
	} else if err != nil {
		return err
	}
	if u.ID == s.user(r).ID {
		return seeOther(w, r, "/", "")
	}
	return seeOther(w, r, "/admin/users", "user-deleted")
}
