package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

// run runs the command with the environment given, returning what it
// printed.
func run(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = Run(context.Background(), args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	return out.String(), errOut.String(), err
}

// lineWriter passes what a running server prints to the test, a line at
// a time.
type lineWriter struct {
	mu    sync.Mutex
	lines chan string
	buf   bytes.Buffer
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			return len(p), nil
		}
		w.lines <- strings.TrimRight(line, "\n")
	}
}

// server is toolkit serve running in the test.
type server struct {
	url   string
	setup string // the setup link, if one was printed
	stop  func() error
}

var (
	listeningRE = regexp.MustCompile(`^Listening on (https?://\S+)$`)
	setupRE     = regexp.MustCompile(`^\s+(https?://\S+/setup/\S+)$`)
)

// startServe starts toolkit serve on a free port and waits until it
// listens.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lineWriter{lines: make(chan string, 100)}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...),
			Env{Stdout: out, Stderr: io.Discard, Getenv: func(string) string { return "" }})
	}()
	srv := &server{}
	srv.stop = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(time.Minute):
			return errors.New("serve did not stop within a minute")
		}
	})
	t.Cleanup(func() { srv.stop() })
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line := <-out.lines:
			// The setup link, if any, comes before the last line.
			if m := setupRE.FindStringSubmatch(line); m != nil {
				srv.setup = m[1]
			}
			if m := listeningRE.FindStringSubmatch(line); m != nil {
				srv.url = m[1]
				return srv
			}
		case err := <-done:
			t.Fatalf("serve stopped before listening: %v", err)
		case <-deadline:
			t.Fatal("serve did not start listening within 30 s")
		}
	}
}

// TestServe starts the real program on a free port, creates the first
// admin through the printed link, signs in, and stops it the way a signal
// would; then starts it again on the same database.
func TestServe(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			srv := startServe(t, "--db", dsn)
			if srv.setup == "" {
				t.Fatal("serve on a new database printed no setup link")
			}
			if !strings.HasPrefix(srv.setup, srv.url+"/setup/") {
				t.Errorf("setup link %q is not on %s", srv.setup, srv.url)
			}

			jar, _ := cookiejar.New(nil)
			client := &http.Client{Jar: jar}
			doc := getDoc(t, client, srv.setup)
			token := doc.Find("input[name=csrf_token]").AttrOr("value", "")
			resp, err := client.PostForm(srv.setup, url.Values{"csrf_token": {token}, "email": {"first@example.org"},
				"password": {"a good long passphrase"}, "confirm_password": {"a good long passphrase"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Request.URL.Path != "/admin" || resp.StatusCode != http.StatusOK {
				t.Fatalf("after setup: %d at %s, want the dashboard", resp.StatusCode, resp.Request.URL)
			}
			if got := getDoc(t, client, srv.url+"/").Find("h1").Text(); got != "Breaking barriers in healthtech" {
				t.Errorf("home page heading %q, want the demo campaign", got)
			}
			if err := srv.stop(); err != nil {
				t.Fatalf("stopping serve: %v", err)
			}

			// Again, on the same database: an admin exists, so no link.
			srv = startServe(t, "--db", dsn)
			if srv.setup != "" {
				t.Errorf("serve printed a setup link although an admin exists: %s", srv.setup)
			}
			if err := srv.stop(); err != nil {
				t.Fatalf("stopping serve: %v", err)
			}
		})
	}
}

// TestServeHTTPS serves over TLS with the certificate and key given, and
// tells browsers to keep to HTTPS.
func TestServeHTTPS(t *testing.T) {
	certFile, keyFile := selfSignedCert(t)
	srv := startServe(t, "--db", storetest.DSN(t, store.SQLite), "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(srv.url, "https://") || !strings.HasPrefix(srv.setup, "https://") {
		t.Errorf("serve with TLS prints %q and %q, want https links", srv.url, srv.setup)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Get(srv.url + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET /sign-in over TLS: status %d, Strict-Transport-Security %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || cookies[0].Name != "__Host-toolkit_form" || !cookies[0].Secure {
		t.Errorf("GET /sign-in over TLS set %+v, want one Secure __Host- cookie", cookies)
	}
}

// selfSignedCert writes a certificate and key for 127.0.0.1.
func selfSignedCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile
}

func TestLogFormats(t *testing.T) {
	for _, tc := range []struct{ format, want string }{
		{"text", `level=INFO msg=hello n=1`},
		{"json", `"level":"INFO","msg":"hello","n":1}`},
	} {
		var buf bytes.Buffer
		cfg := config.Default()
		cfg.LogFormat = tc.format
		newLogger(cfg, &buf).Info("hello", "n", 1)
		cfg.LogLevel = "warn"
		newLogger(cfg, &buf).Info("hidden")
		if !strings.Contains(buf.String(), tc.want) || strings.Contains(buf.String(), "hidden") {
			t.Errorf("--log-format %s: logged %q, want %q and nothing below the level", tc.format, buf.String(), tc.want)
		}
	}
}

func getDoc(t *testing.T, c *http.Client, u string) *goquery.Document {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestGracefulShutdown: a request in progress when the stop signal comes
// is finished, not cut off.
func TestGracefulShutdown(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	srv := startServe(t, "--db", dsn)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	token := getDoc(t, client, srv.url+"/sign-in").Find("input[name=csrf_token]").AttrOr("value", "")
	u, _ := url.Parse(srv.url)
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.String())
	}

	// A slow client: the server has its request and is reading the form
	// when the stop signal arrives; the rest of the form comes after.
	body := url.Values{"csrf_token": {token}, "email": {"someone@example.org"}, "password": {"wrong"}}.Encode()
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /sign-in HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		u.Host, strings.Join(cookies, "; "), len(body), body[:10])
	time.Sleep(200 * time.Millisecond)
	stopped := make(chan error, 1)
	go func() { stopped <- srv.stop() }()
	time.Sleep(300 * time.Millisecond)
	conn.Write([]byte(body[10:]))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in progress was cut off: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), "Enter a correct email address and password") {
		t.Errorf("the request in progress got status %d, want the sign-in page with its error (400)", resp.StatusCode)
	}
	if err := <-stopped; err != nil {
		t.Errorf("serve returned %v after stopping", err)
	}
}

func TestUserAddAndList(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	env := map[string]string{"TOOLKIT_DB": dsn}
	if _, _, err := run(t, env, "user", "add", "--email", "a@example.org", "--role", "analyst"); err == nil ||
		!strings.Contains(err.Error(), "run toolkit migrate") {
		t.Errorf("user add on an empty database: %v, want a message to migrate first", err)
	}
	if _, _, err := run(t, env, "migrate"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, env, "user", "add", "--email", " Ana@Example.org ", "--role", "analyst", "--name", "Ana",
		"--base-url", "https://toolkit.example.org/")
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !regexp.MustCompile(`https://toolkit\.example\.org/password/[A-Za-z0-9_-]{43}\n`).MatchString(out) {
		t.Errorf("user add printed no password link on the base URL:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--email", "ana@example.org", "--role", "editor"}, "already exists"},
		{[]string{"--email", "nope", "--role", "editor"}, `--email "nope": Enter an email address in the correct format`},
		{[]string{"--email", "b@example.org", "--role", "boss"}, `--role: unknown role "boss"`},
		{[]string{"--email", "b@example.org"}, `--role: unknown role ""`},
		{[]string{"--email", "b@example.org", "--role", "editor", "--name", strings.Repeat("n", 101)}, "--name: Name must be 100 characters or fewer"},
	} {
		_, _, err := run(t, env, append([]string{"user", "add"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("user add %q: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
	out, _, err = run(t, env, "user", "list")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`ana@example.org\s+Ana\s+analyst\s+invited`).MatchString(out) {
		t.Errorf("user list:\n%s", out)
	}
}

// TestBackupRestore backs up a live database, restores the copy in its
// place, and reads the data back through the program.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	env := map[string]string{"TOOLKIT_DB": live}
	srv := startServe(t, "--db", live)
	if _, _, err := run(t, env, "user", "add", "--email", "kept@example.org", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "backups", "copy.db")
	out, _, err := run(t, env, "backup", "--to", copyPath)
	if err != nil {
		t.Fatalf("backup of a live database: %v", err)
	}
	if !strings.Contains(out, "Copied "+live+" to "+copyPath) {
		t.Errorf("backup printed %q", out)
	}
	if _, _, err := run(t, env, "backup", "--to", copyPath); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup onto an existing file: %v, want refused", err)
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}

	// Restore: the copy takes the live database's place.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(live + suffix)
	}
	if err := os.Rename(copyPath, live); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, env, "user", "list")
	if err != nil || !strings.Contains(out, "kept@example.org") {
		t.Errorf("user list on the restored database: %v\n%s", err, out)
	}
	srv = startServe(t, "--db", live)
	doc := getDoc(t, http.DefaultClient, srv.url+"/")
	if got := doc.Find("h1").Text(); got != "Breaking barriers in healthtech" {
		t.Errorf("home page on the restored database: heading %q", got)
	}
}

func TestBackupErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"backup"}, "--to is required"},
		{map[string]string{"TOOLKIT_DB": filepath.Join(dir, "missing.db")}, []string{"backup", "--to", filepath.Join(dir, "x.db")}, "there is no database at"},
	} {
		if _, _, err := run(t, tc.env, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backup of a missing database created it")
	}
}

func TestMigrateStatus(t *testing.T) {
	env := map[string]string{"TOOLKIT_DB": storetest.DSN(t, store.SQLite)}
	out, _, err := run(t, env, "migrate", "--status")
	if err != nil || !strings.Contains(out, "pending  00001_accounts.sql") {
		t.Errorf("migrate --status on a new database: %v\n%s", err, out)
	}
	out, _, err = run(t, env, "migrate")
	if err != nil || !strings.Contains(out, "applied 00001_accounts.sql") {
		t.Errorf("migrate: %v\n%s", err, out)
	}
	out, _, err = run(t, env, "migrate")
	if err != nil || !strings.Contains(out, "(0 migration(s) applied now)") {
		t.Errorf("migrate again: %v\n%s", err, out)
	}
	out, _, _ = run(t, env, "migrate", "--status")
	if !strings.Contains(out, "applied  00001_accounts.sql") {
		t.Errorf("migrate --status after migrating:\n%s", out)
	}
}

func TestVersionAndHelp(t *testing.T) {
	out, _, err := run(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "toolkit dev (go") {
		t.Errorf("version: %v %q", err, out)
	}
	if _, _, err := run(t, nil); !errors.Is(err, ErrUsage) {
		t.Errorf("no command: %v, want ErrUsage", err)
	}
	if _, stderr, err := run(t, nil, "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) || !strings.Contains(stderr, "serve") {
		t.Errorf("unknown command: %v, stderr %q", err, stderr)
	}
	_, stderr, err := run(t, nil, "serve", "-h")
	if err != nil {
		t.Errorf("serve -h: %v", err)
	}
	// Every setting serve takes is documented with its variable.
	for _, want := range []string{"--db PATH|URL", "TOOLKIT_DB", "--addr HOST:PORT", "TOOLKIT_ADDR", "default localhost:8080",
		"TOOLKIT_BASE_URL", "TOOLKIT_LOG_FORMAT", "TOOLKIT_LOG_LEVEL", "TOOLKIT_TRUST_PROXY", "TOOLKIT_TLS_CERT", "TOOLKIT_TLS_KEY", "TOOLKIT_DEMO",
		"TOOLKIT_MAX_CONNECTIONS", "TOOLKIT_MAX_REQUESTS", "--queue-wait DURATION", "TOOLKIT_QUEUE_WAIT", "default 250ms"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("serve -h does not mention %q:\n%s", want, stderr)
		}
	}
}

func TestBadSettings(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"serve", "--addr", "8080"}, `--addr "8080": want HOST:PORT`},
		{nil, []string{"serve", "--log-format", "xml"}, `--log-format "xml": want text or json`},
		{nil, []string{"serve", "--tls-cert", "c.pem"}, "--tls-cert and --tls-key go together"},
		{nil, []string{"serve", "--base-url", "toolkit.example.org"}, `--base-url "toolkit.example.org"`},
		{map[string]string{"TOOLKIT_DEMO": "maybe"}, []string{"serve"}, `environment variable TOOLKIT_DEMO="maybe"`},
		{map[string]string{"TOOLKIT_QUEUE_WAIT": "soon"}, []string{"serve"}, `environment variable TOOLKIT_QUEUE_WAIT="soon"`},
		{nil, []string{"serve", "--max-requests", "-1"}, "--max-requests -1: want 0 (no limit) or more"},
		{nil, []string{"migrate", "extra"}, `unexpected argument "extra"`},
		{nil, []string{"serve", "--db", "postgres://nobody:secretpw@127.0.0.1:1/x?connect_timeout=2"}, "cannot open database postgres://nobody:xxxxx@127.0.0.1:1/x"},
	} {
		_, _, err := run(t, tc.env, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q with %v: %v, want an error containing %q", tc.args, tc.env, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secretpw") {
			t.Errorf("%q: the error shows the password: %v", tc.args, err)
		}
	}
	// Flags win over the environment.
	_, _, err := run(t, map[string]string{"TOOLKIT_ADDR": "nonsense"}, "serve", "--addr", "x:y:z")
	if err == nil || !strings.Contains(err.Error(), `--addr "x:y:z"`) {
		t.Errorf("flag over environment: %v", err)
	}
}

// TestServeBoundsConnections: serve takes no more connections than
// --max-connections; slow clients holding them all do not keep a new one
// waiting, which is answered 503 at once.
func TestServeBoundsConnections(t *testing.T) {
	srv := startServe(t, "--db", storetest.DSN(t, store.SQLite), "--max-connections", "1")
	u, _ := url.Parse(srv.url)
	slow, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "GET /healthz HTTP/1.1\r\nHost: %s\r\n", u.Host) // and the rest never
	time.Sleep(100 * time.Millisecond)
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(srv.url + "/healthz")
	if err != nil {
		t.Fatalf("a connection beyond --max-connections got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a connection beyond --max-connections: status %d, Retry-After %q; want 503 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
