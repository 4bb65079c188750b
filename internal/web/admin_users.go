package web

import (
	"net/http"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
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
	u, err := auth.NewUser(f.Get("email"), f.Get("name"), f.Get("role"))
	var token string
	if err == nil {
		u, token, err = s.db.CreateUser(r.Context(), s.actor(r), u)
	}
	if f.refused(err, nil) {
		s.renderPage(w, r, http.StatusBadRequest, "user-new", &view{Title: "Add an account", Form: f,
			Data: roleOptions(), BackLink: "/admin/users"})
		return nil
	} else if err != nil {
		return err
	}
	return s.render(w, r, "user-link", &view{Title: "Account created",
		Data: linkPage{User: u, URL: s.siteURL(r) + "/password/" + token, Created: true}})
}

// userFromPath returns the account whose id is in the URL.
func (s *Server) userFromPath(r *http.Request) (auth.User, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return auth.User{}, err
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
	upd, err := auth.ReadUpdate(f.Get("name"), f.Get("role"), f.Get("status"))
	if err == nil {
		_, err = s.db.UpdateUser(r.Context(), s.actor(r), u.ID, upd)
	}
	if f.refused(err, nil) {
		s.renderPage(w, r, http.StatusBadRequest, "user-edit", s.editUserView(r, u, f))
		return nil
	} else if err != nil {
		return err
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
	// The form has one button, so what is refused is shown beside it.
	if f := newForm(nil); f.refused(err, inputOr("confirm")) {
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
