package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// StrictCSP is as strict as the site's own Content-Security-Policy:
// nothing inline, nothing from elsewhere.
const StrictCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'"

// ServePages serves fixed HTML pages, by path, under StrictCSP until the
// test ends, and returns the server's address. Requests other than GET go
// to other, if it is not nil.
func ServePages(t testing.TB, pages map[string]string, other http.Handler) string {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && other != nil {
			other.ServeHTTP(w, r)
			return
		}
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", StrictCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}
