package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 1 << 20

// requestInfo travels with a request through the middleware: what the
// handlers learn that the outer layers need.
type requestInfo struct {
	route       string // the matched pattern, logged instead of the path
	session     *auth.Session
	sessionRead bool
	cookie      string // the session cookie's value, if any
}

type infoKey struct{}

func info(r *http.Request) *requestInfo {
	if i, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		return i
	}
	return &requestInfo{}
}

// middleware wraps the router in the layers every request passes through,
// outermost first: admission within capacity, recovery, logging and
// metrics, security headers, the body limit, and protection against
// cross-site requests.
func (s *Server) middleware(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, errCrossOrigin)
	}))
	h = cop.Handler(h)
	h = s.limitBody(h)
	h = s.securityHeaders(h)
	h = s.observe(h)
	h = s.admit(h)
	return h
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and counts it in the metrics, and turns a panic
// into the error page. The log line names the route pattern, never the
// path or query (which can hold tokens), and never the client's address
// (invariant P2).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &requestInfo{route: "unmatched"}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving request", "route", ri.route, "panic", fmt.Sprint(p))
				if sw.status == 0 {
					s.renderErrorPage(sw, r, http.StatusInternalServerError)
				}
			}
			d := time.Since(start)
			s.metrics.observe(ri.route, r.Method, sw.status, d)
			s.log.LogAttrs(r.Context(), levelFor(sw.status), "request",
				slog.String("method", r.Method), slog.String("route", ri.route),
				slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Duration("duration", d))
		}()
		next.ServeHTTP(sw, r)
	})
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if s.isHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only the site's own files: no inline script
// or style, no framing, forms posted only to the site itself.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// limitBody refuses bodies over MaxBodyBytes: at once when the request says
// its size, else when reading passes the limit (see parseForm).
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			// Do not read the rest of an oversized body: close the
			// connection after answering.
			w.Header().Set("Connection", "close")
			s.serveError(w, r, errTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// isHTTPS reports whether the browser reached us over HTTPS, directly or
// through a proxy we trust to say so.
func (s *Server) isHTTPS(r *http.Request) bool {
	return r.TLS != nil || s.trustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clientKey identifies a client for the per-client limits on resume codes
// and submissions: its address, or with a trusted proxy the address the
// proxy saw. That is the last address of X-Forwarded-For, the one the
// proxy appended, whether to the header line the client sent or as a line
// of its own; anything before it is the client's to write. When that
// address is missing or is not an IP address, the connection's address is
// used. An IPv6 client is counted by its /64 network, which one person can
// have to themselves. The key is held in memory only.
func (s *Server) clientKey(r *http.Request) string { return s.clientKeyBy(r, 64) }

// signInClientKey identifies a client for the sign-in limits as clientKey
// does, but an IPv6 client by its /56 network: a customer is often given
// 256 /64s, and locking an owner out must take more than one customer.
func (s *Server) signInClientKey(r *http.Request) string { return s.clientKeyBy(r, 56) }

// clientKeyBy is clientKey with an IPv6 client counted by the network of
// the prefix length given.
func (s *Server) clientKeyBy(r *http.Request, ipv6Bits int) string {
	if s.trustProxy {
		if lines := r.Header.Values("X-Forwarded-For"); len(lines) > 0 {
			last := lines[len(lines)-1]
			if a, ok := parseAddr(last[strings.LastIndexByte(last, ',')+1:]); ok {
				return addrKey(a, ipv6Bits)
			}
		}
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return addrKey(ap.Addr(), ipv6Bits)
	}
	return r.RemoteAddr
}

// parseAddr reads an address as proxies write it in X-Forwarded-For: an
// IP address, perhaps with a port.
func parseAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a, true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), true
	}
	return netip.Addr{}, false
}

// addrKey is the key of a client at an address: an IPv4 address (also one
// written as IPv6), or the network of an IPv6 address with the prefix
// length given.
func addrKey(a netip.Addr, ipv6Bits int) string {
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(ipv6Bits)
	return p.String()
}

// Cookie names. Over HTTPS the __Host- prefix makes the browser refuse a
// cookie set by any other host or without Secure.
func (s *Server) cookieName(r *http.Request, base string) string {
	if s.isHTTPS(r) {
		return "__Host-" + base
	}
	return base
}

const (
	sessionCookie = "toolkit_session"
	formCookie    = "toolkit_form"
)

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, base, value string, maxAge int, sameSite http.SameSite) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName(r, base),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.isHTTPS(r),
		SameSite: sameSite,
	})
}

// session returns the request's live session, or nil. The database is asked
// once per request, and only by routes that need it.
func (s *Server) session(r *http.Request) *auth.Session {
	ri := info(r)
	if ri.sessionRead {
		return ri.session
	}
	ri.sessionRead = true
	c, err := r.Cookie(s.cookieName(r, sessionCookie))
	if err != nil || c.Value == "" {
		return nil
	}
	ri.cookie = c.Value
	sess, err := s.db.Session(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, auth.ErrNotFound) {
			s.log.Error("reading session", "err", err)
		}
		return nil
	}
	ri.session = &sess
	return ri.session
}

// user returns the signed-in user, or nil.
func (s *Server) user(r *http.Request) *auth.User {
	if sess := s.session(r); sess != nil {
		return &sess.User
	}
	return nil
}

// formToken returns the token a form must send back. A signed-in browser
// uses its session's token; any other browser gets a random one in a
// cookie, set here, so public pages without forms set no cookie at all.
func (s *Server) formToken(w http.ResponseWriter, r *http.Request) string {
	if sess := s.session(r); sess != nil {
		return sess.FormToken
	}
	if c, err := r.Cookie(s.cookieName(r, formCookie)); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	token, _ := auth.NewToken()
	s.setCookie(w, r, formCookie, token, 0, http.SameSiteStrictMode)
	// Later calls in this request see the new cookie.
	r.AddCookie(&http.Cookie{Name: s.cookieName(r, formCookie), Value: token})
	return token
}

// checkFormToken checks the form token of a state-changing request against
// the session's, or against the form cookie for a browser not signed in.
func (s *Server) checkFormToken(r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	got := r.PostForm.Get("csrf_token")
	var want string
	if sess := s.session(r); sess != nil {
		want = sess.FormToken
	} else if c, err := r.Cookie(s.cookieName(r, formCookie)); err == nil {
		want = c.Value
	}
	if want == "" {
		return errNoFormCookie
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errFormExpired
	}
	return nil
}

// parseForm reads a posted form, with any uploaded files, mapping a body
// over the limit to 413.
func parseForm(r *http.Request) error {
	parse := r.ParseForm
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		parse = func() error { return r.ParseMultipartForm(MaxBodyBytes) }
	}
	if err := parse(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return &pageError{status: http.StatusBadRequest, title: "The form could not be read",
			message: "What was sent was not a form this site understands. Go back and try again.", err: err}
	}
	return nil
}

// redirectToSignIn sends a visitor who is not signed in to the sign-in
// page: back to the page they asked for afterwards, or, when they were
// sending a form (their session ended while it was open), with a message
// saying it was not saved.
func (s *Server) redirectToSignIn(w http.ResponseWriter, r *http.Request) {
	target := "/sign-in?next=" + url.QueryEscape(r.URL.RequestURI())
	if !isSafeMethod(r.Method) {
		target = "/sign-in?notice=session-ended"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns next if it is a path on this site, else fallback, so
// that a link cannot send someone elsewhere after signing in.
func localPath(next, fallback string) string {
	// "//host/" parses with a host; browsers also read "/\\host" as
	// "//host", which does not.
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}
