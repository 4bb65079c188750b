package web

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRequestsBeyondCapacity: with every place taken by requests that do
// not finish, the next request is answered 503 with Retry-After after the
// queue wait, without reaching a handler; monitoring and static files are
// still served, and a request that waits gets the first place to free.
func TestRequestsBeyondCapacity(t *testing.T) {
	s := newTestSite(t, func(o *Options) { o.MaxRequests = 2; o.QueueWait = 100 * time.Millisecond })
	var served atomic.Int32
	entered, release := make(chan bool, 2), make(chan bool)
	defer close(release)
	blocking := httptest.NewServer(s.srv.admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		if r.URL.Path == "/block" {
			entered <- true
			<-release
		}
		w.WriteHeader(http.StatusNoContent)
	})))
	defer blocking.Close()
	// status gives the status of a GET of path once it is answered (0 for
	// no answer).
	status := func(path string) <-chan int {
		c := make(chan int, 1)
		go func() {
			resp, err := http.Get(blocking.URL + path)
			if err != nil {
				c <- 0
				return
			}
			resp.Body.Close()
			c <- resp.StatusCode
		}()
		return c
	}
	finished := []<-chan int{status("/block"), status("/block")}
	<-entered
	<-entered

	start := time.Now()
	resp, err := http.PostForm(blocking.URL+"/s/healthtech-barriers", url.Values{"action": {"submit"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" {
		t.Errorf("a request beyond capacity: status %d, Retry-After %q; want 503 with Retry-After 5", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(string(body), "Sorry, the service is busy") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("a request beyond capacity got no busy page with the site's headers:\n%s", body)
	}
	if took < 100*time.Millisecond || took > 2*time.Second {
		t.Errorf("the refusal took %v, want the queue wait of 100ms, and soon after", took)
	}
	if n := served.Load(); n != 2 {
		t.Errorf("%d requests reached the handler, want the 2 let in: a refused one must change nothing", n)
	}

	for _, path := range []string{"/healthz", "/metrics", "/static/css/x.css"} {
		if got := <-status(path); got != http.StatusNoContent {
			t.Errorf("GET %s at capacity: status %d, want it served", path, got)
		}
	}

	// A request that waits longer is served once a place frees.
	s.srv.capacity.queueWait = time.Minute
	waiting := status("/quick")
	time.Sleep(50 * time.Millisecond)
	release <- true
	if got := <-waiting; got != http.StatusNoContent {
		t.Errorf("a request waiting for a place: status %d, want it served once one freed", got)
	}
	release <- true
	for _, c := range finished {
		if got := <-c; got != http.StatusNoContent {
			t.Errorf("a request let in: status %d, want it served", got)
		}
	}

	metrics := s.browser().get("/metrics").body
	if !strings.Contains(metrics, `toolkit_http_refused_total{reason="requests"} 1`+"\n") {
		t.Errorf("/metrics does not count the one refusal:\n%s", grepLines(metrics, "toolkit_http_"))
	}
}

// TestConnectionsBeyondCapacity: slow clients that hold every connection
// the server takes do not keep others waiting: a new connection is
// answered 503 with Retry-After at once and closed, or over TLS closed;
// when a slow client goes, its place is free again.
func TestConnectionsBeyondCapacity(t *testing.T) {
	for _, tc := range []struct {
		name string
		tls  bool
	}{{"http", false}, {"tls", true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSite(t, func(o *Options) { o.MaxConnections = 2 })
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			hs := &http.Server{Handler: s.srv, ReadHeaderTimeout: time.Minute}
			go hs.Serve(s.srv.Listener(ln, tc.tls))
			defer hs.Close()
			addr := ln.Addr().String()

			// Two clients send their headers slowly: half of them now.
			var slow []net.Conn
			for range 2 {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
				slow = append(slow, c)
			}
			eventually(t, "both slow connections to be taken", func() bool { return s.srv.capacity.conns.Load() == 2 })

			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if !tc.tls {
				// Nothing is answered before the request has come: a
				// client that has not sent its request yet takes an
				// answer for a stray, and drops it.
				c.SetReadDeadline(time.Now().Add(refuseTime / 5))
				if n, err := c.Read(make([]byte, 1)); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
					t.Errorf("before its request, a connection beyond capacity read %d bytes (%v), want none", n, err)
				}
			}
			c.SetDeadline(time.Now().Add(refuseTime + 5*time.Second))
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			start := time.Now()
			if tc.tls {
				if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil || time.Since(start) > time.Second {
					t.Errorf("a connection beyond capacity over TLS: read %d bytes, %v after %v; want it closed at once", n, err, time.Since(start))
				}
			} else {
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					t.Fatalf("a connection beyond capacity got no answer: %v", err)
				}
				body, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" || !resp.Close ||
					!strings.Contains(string(body), "Sorry, the service is busy") {
					t.Errorf("a connection beyond capacity: status %d, Retry-After %q, close %v; want 503, Retry-After 5, closed, the busy page\n%s",
						resp.StatusCode, resp.Header.Get("Retry-After"), resp.Close, body)
				}
				if time.Since(start) > time.Second {
					t.Errorf("the refusal took %v, want it at once", time.Since(start))
				}
			}

			// One slow client goes: its place is free for the next.
			slow[0].Close()
			eventually(t, "the slow client's place to free", func() bool { return s.srv.capacity.conns.Load() == 1 })
			if tc.tls {
				return
			}
			resp, err := http.Get("http://" + addr + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			metrics, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(metrics), `toolkit_http_refused_total{reason="connections"} 1`+"\n") {
				t.Errorf("after the slow client went: status %d, want 200 and the refusal counted:\n%s",
					resp.StatusCode, grepLines(string(metrics), "toolkit_http_"))
			}
		})
	}
}

// TestBusyPage: the page a request beyond capacity gets passes axe, in the
// site's design.
func TestBusyPage(t *testing.T) {
	s := newTestSite(t, func(o *Options) { o.MaxRequests = 1; o.QueueWait = 0 })
	s.srv.capacity.slots <- struct{}{} // the only place, taken
	c := s.chrome(t)
	checkPages(t, c, []pageCheck{{name: "busy", page: "/ at capacity (503)", status: http.StatusServiceUnavailable,
		h1: "Sorry, the service is busy", load: func(t *testing.T) int { return c.open(t, "/") }}})
}

// eventually waits up to 5 seconds for cond to hold.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 5 s for %s", what)
		}
	}
}

// grepLines returns the lines of text that contain s.
func grepLines(text, s string) string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
