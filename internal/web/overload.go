package web

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The server takes the work it can do well and refuses the rest at once,
// with 503 and Retry-After, rather than making every request wait longer.
// Two bounds keep it in its capacity: the connections open (each holds a
// file and memory, and slow clients can hold many) and the requests being
// served (each holds CPU time and memory). A refused request reaches no
// handler, so it has changed nothing: a response is stored only by a
// request that was let in, and acknowledged only by its redirect to the
// thanks page.

// retryAfter is how long, in seconds, a refused client is asked to wait.
const retryAfter = 5

// refuseTime bounds how long a connection refused at once may take to be
// answered and closed (a slow client is not waited for), and maxRefusing
// how many may be at a time; beyond that they are closed without an
// answer.
const (
	refuseTime  = 250 * time.Millisecond
	maxRefusing = 1024
)

// alwaysServed reports whether a request is served however busy the
// server is: monitoring must see a busy server, and pages, the busy page
// among them, need their static files (which cost next to nothing).
func alwaysServed(r *http.Request) bool {
	return r.URL.Path == "/healthz" || r.URL.Path == "/metrics" || strings.HasPrefix(r.URL.Path, "/static/")
}

// capacity is the state of the two bounds.
type capacity struct {
	slots     chan struct{} // one for each request being served; nil for no limit
	queueWait time.Duration
	maxConns  int64 // 0 for no limit
	conns     atomic.Int64
	refused   *prometheus.CounterVec
	busyPage  []byte       // the page a refused request gets
	busyReply []byte       // the whole HTTP response a refused connection gets
	refuse    http.Handler // answers a refused request
	logged    rarely       // refusals are logged once a minute at most
}

// newCapacity sets up the bounds of the options and their metrics.
func (s *Server) newCapacity(opts Options) error {
	c := &capacity{queueWait: opts.QueueWait, maxConns: int64(opts.MaxConnections), logged: rarely{every: time.Minute},
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "toolkit_http_refused_total",
			Help: "Connections and requests refused because the server was at capacity (--max-connections, --max-requests), answered 503.",
		}, []string{"reason"})}
	if opts.MaxRequests > 0 {
		c.slots = make(chan struct{}, opts.MaxRequests)
	}
	s.capacity = c
	s.metrics.registry.MustRegister(c.refused,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "toolkit_http_connections_open",
			Help: "Connections open, counted against --max-connections.",
		}, func() float64 { return float64(c.conns.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "toolkit_http_requests_in_flight",
			Help: "Requests being served, counted against --max-requests.",
		}, func() float64 { return float64(len(c.slots)) }))

	// The busy page is made once, here, so that refusing costs next to
	// nothing; a connection refused before its request is read gets the
	// same response, as bytes.
	pe := &pageError{status: http.StatusServiceUnavailable, title: "Sorry, the service is busy",
		message: "Too many people are using it at this moment, so nothing you sent has been saved yet. " +
			"Wait a few seconds, then reload this page: your browser sends again what you sent."}
	req, err := http.NewRequest(http.MethodGet, "/", nil)
	if err != nil {
		return err
	}
	if c.busyPage, err = s.pageBytes(nil, req, "error", &view{Title: pe.title, Data: pe}); err != nil {
		return err
	}
	c.refuse = s.securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		writeHTML(w, http.StatusServiceUnavailable, c.busyPage)
	}))
	rec := &recorder{header: http.Header{}}
	c.refuse.ServeHTTP(rec, req)
	reply := http.Response{StatusCode: rec.status, ProtoMajor: 1, ProtoMinor: 1, Header: rec.header, Close: true,
		ContentLength: int64(rec.body.Len()), Body: io.NopCloser(&rec.body)}
	var buf bytes.Buffer
	if err := reply.Write(&buf); err != nil {
		return err
	}
	c.busyReply = buf.Bytes()
	return nil
}

// recorder keeps a response to send later.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// countRefused counts a refusal, and logs one now and then.
func (s *Server) countRefused(reason string) {
	c := s.capacity
	c.refused.WithLabelValues(reason).Inc()
	if c.logged.now() {
		s.log.Warn("at capacity: refusing with 503 Service Unavailable (toolkit_http_refused_total counts them)", "reason", reason)
	}
}

// admit serves a request when fewer than --max-requests are being served,
// or one finishes within --queue-wait; it answers the others 503 with
// Retry-After, before any handler sees them.
func (s *Server) admit(next http.Handler) http.Handler {
	c := s.capacity
	if c.slots == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if alwaysServed(r) {
			next.ServeHTTP(w, r)
			return
		}
		if !c.enter(r.Context()) {
			if r.Context().Err() == nil { // else the client has gone
				s.countRefused("requests")
				c.refuse.ServeHTTP(w, r)
			}
			return
		}
		defer func() { <-c.slots }()
		next.ServeHTTP(w, r)
	})
}

// enter takes a place among the requests served, waiting up to the queue
// wait for one; waiting requests take places in the order they came.
func (c *capacity) enter(ctx context.Context) bool {
	select {
	case c.slots <- struct{}{}:
		return true
	default:
	}
	if c.queueWait <= 0 {
		return false
	}
	t := time.NewTimer(c.queueWait)
	defer t.Stop()
	select {
	case c.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// Listener bounds the connections open on ln to Options.MaxConnections.
// Beyond it a new connection is answered 503 with Retry-After and closed;
// over TLS (when ln's connections are to be wrapped in TLS), where an
// answer in plain text would mean nothing, it is closed at once.
func (s *Server) Listener(ln net.Listener, tls bool) net.Listener {
	if s.capacity.maxConns <= 0 {
		return ln
	}
	return &boundedListener{Listener: ln, s: s, answer: !tls, refusing: make(chan struct{}, maxRefusing)}
}

type boundedListener struct {
	net.Listener
	s        *Server
	answer   bool          // answer refused connections with the busy response
	refusing chan struct{} // one for each refused connection being answered
}

func (l *boundedListener) Accept() (net.Conn, error) {
	c := l.s.capacity
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if c.conns.Add(1) <= c.maxConns {
			return &boundedConn{Conn: conn, conns: &c.conns}, nil
		}
		c.conns.Add(-1)
		l.s.countRefused("connections")
		l.refuse(conn)
	}
}

// refuse answers a connection beyond the bound, without holding up the
// connections after it.
func (l *boundedListener) refuse(conn net.Conn) {
	if !l.answer {
		conn.Close()
		return
	}
	select {
	case l.refusing <- struct{}{}:
	default:
		conn.Close() // too many are being answered already
		return
	}
	go func() {
		defer func() { <-l.refusing }()
		defer conn.Close()
		// Answer once the request's head has come (or refuseTime has
		// passed, for a client that sends it slowly): an answer before the
		// request is one a client may take for a stray and drop.
		conn.SetReadDeadline(time.Now().Add(refuseTime))
		head := bufio.NewReaderSize(io.LimitReader(conn, maxRefusedHead), 4096)
		for {
			line, err := head.ReadSlice('\n')
			if err != nil || len(bytes.TrimRight(line, "\r\n")) == 0 {
				break
			}
		}
		conn.SetWriteDeadline(time.Now().Add(refuseTime))
		if _, err := conn.Write(l.s.capacity.busyReply); err != nil {
			return
		}
		// Read what else the client sends until it closes, so that
		// closing with its request unread does not reset the connection
		// and lose the answer.
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		conn.SetReadDeadline(time.Now().Add(refuseTime))
		io.Copy(io.Discard, io.LimitReader(conn, 1<<20))
	}()
}

// maxRefusedHead is the most of a refused connection's request head read
// before it is answered.
const maxRefusedHead = 64 << 10

// boundedConn is a connection counted against the bound until it closes.
type boundedConn struct {
	net.Conn
	conns *atomic.Int64
	once  sync.Once
}

func (c *boundedConn) Close() error {
	c.once.Do(func() { c.conns.Add(-1) })
	return c.Conn.Close()
}

// CloseWrite lets the HTTP server close its side first, as it does for a
// plain TCP connection.
func (c *boundedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
