package web

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/demo"
)

// TestClientKey checks which address the per-client limits count, behind
// a trusted proxy at 10.0.0.1 that appends the address it sees, for the
// headers a hostile client may send.
func TestClientKey(t *testing.T) {
	tests := []struct {
		name  string
		trust bool
		xff   []string // the X-Forwarded-For lines, as they reach the server
		want  string
	}{
		{"no proxy", false, nil, "10.0.0.1"},
		{"no proxy trusted, a client's own header", false, []string{"203.0.113.7"}, "10.0.0.1"},
		{"no header", true, nil, "10.0.0.1"},
		{"the proxy's address", true, []string{"203.0.113.7"}, "203.0.113.7"},
		{"appended to the client's", true, []string{"198.51.100.1, 198.51.100.2,203.0.113.7"}, "203.0.113.7"},
		{"a line of its own after the client's", true, []string{"198.51.100.1", "203.0.113.7"}, "203.0.113.7"},
		{"after several lines of the client's", true, []string{"198.51.100.1, 198.51.100.2", "198.51.100.3", " 203.0.113.7 "}, "203.0.113.7"},
		{"with a port", true, []string{"198.51.100.1, 203.0.113.7:4711"}, "203.0.113.7"},
		{"IPv4 written as IPv6", true, []string{"::ffff:203.0.113.7"}, "203.0.113.7"},
		{"IPv6, by its /64", true, []string{"2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"},
		{"IPv6 with a port", true, []string{"[2001:db8:1:2::9]:443"}, "2001:db8:1:2::/64"},
		{"the last one not an address", true, []string{"203.0.113.7, unknown"}, "10.0.0.1"},
		{"the last one empty", true, []string{"203.0.113.7,"}, "10.0.0.1"},
		{"an empty line last", true, []string{"203.0.113.7", ""}, "10.0.0.1"},
		{"a name", true, []string{"proxy.example.org"}, "10.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{trustProxy: tt.trust}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = "10.0.0.1:52000"
			r.Header["X-Forwarded-For"] = tt.xff
			if got := s.clientKey(r); got != tt.want {
				t.Errorf("clientKey(X-Forwarded-For %q) = %q, want %q", tt.xff, got, tt.want)
			}
		})
	}
	s := &Server{}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "[2001:db8:1:2::9]:443"
	if got := s.clientKey(r); got != "2001:db8:1:2::/64" {
		t.Errorf("clientKey from %s = %q, want its /64", r.RemoteAddr, got)
	}
}

// proxied returns a browser that reaches the site through a reverse proxy
// which, as HAProxy does, adds the address it sees as an X-Forwarded-For
// line of its own after any the client sent; the browser connects from
// the loopback address given (127.0.0.2, 127.0.0.3, …), so that clients
// are told apart.
func (s *testSite) proxied(t *testing.T, from string) *browser {
	t.Helper()
	target, err := url.Parse(s.http.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host
		host, _, _ := net.SplitHostPort(r.In.RemoteAddr)
		r.Out.Header["X-Forwarded-For"] = append(r.In.Header.Values("X-Forwarded-For"), host)
	}})
	t.Cleanup(proxy.Close)
	through := *s
	through.http = proxy
	b := through.browser()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	b.client.Transport = &http.Transport{DialContext: dialer.DialContext}
	return b
}

// TestLimitsBehindProxy checks, through a proxy that appends, that a
// client cannot escape the per-client limit on resume codes by writing
// X-Forwarded-For lines of its own, and that the limit it reaches is its
// own, not another client's.
func TestLimitsBehindProxy(t *testing.T) {
	s := newTestSite(t, func(o *Options) { o.TrustProxy = true })
	resume := "/s/" + demo.SurveySlug + "/resume"
	hostile := s.proxied(t, "127.0.0.2")
	for i := range resumeAttempts {
		// A new address each time, on a line of its own and at the end
		// of a line.
		hostile.header["X-Forwarded-For"] = []string{"198.51.100.1, 198.51.100." + strconv.Itoa(i+2), "192.0.2." + strconv.Itoa(i+1)}
		if p := hostile.post(resume, url.Values{"code": {"AAAA-BBBB-CCCC"}}); p.status != http.StatusBadRequest {
			t.Fatalf("wrong code %d: status %d, want 400", i+1, p.status)
		}
	}
	hostile.header["X-Forwarded-For"] = []string{"192.0.2.200"}
	if p := hostile.post(resume, url.Values{"code": {"AAAA-BBBB-CCCC"}}); p.status != http.StatusTooManyRequests {
		t.Errorf("wrong code %d, with yet another X-Forwarded-For: status %d, want 429", resumeAttempts+1, p.status)
	}
	other := s.proxied(t, "127.0.0.3")
	other.header["X-Forwarded-For"] = []string{"127.0.0.2"}
	if p := other.post(resume, url.Values{"code": {"AAAA-BBBB-CCCC"}}); p.status != http.StatusBadRequest {
		t.Errorf("another client's wrong code, claiming the first one's address: status %d, want 400", p.status)
	}
}
