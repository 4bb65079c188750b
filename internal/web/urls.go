package web

import "net/http"

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
