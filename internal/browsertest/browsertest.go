// Package browsertest drives a real, headless Chromium for tests of other
// packages: pages are loaded in a browser tab, checked with axe-core against
// the WCAG 2.2 A and AA rules (invariant A1), and used with the keyboard or
// with JavaScript turned off (invariant A2).
//
// One browser process serves a whole test binary. It starts the first time a
// test asks for a tab, with a fresh profile in a temporary folder, and stops
// when the tests are over ([Main], from TestMain). Each test gets a tab of
// its own, in a private browser context (no cookies shared with other
// tests), closed when the test ends.
//
// The browser is the one named by TOOLKIT_CHROME, else /usr/bin/chromium,
// else chromium, chromium-browser or google-chrome on the PATH. Without one
// the browser tests skip, loudly; with TOOLKIT_REQUIRE_BROWSER=1 (as CI sets
// it) they fail instead, so accessibility can never go unchecked by
// accident. A TOOLKIT_CHROME that names no program always fails.
//
// Only tests import this package.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Environment variables that control the browser tests.
const (
	// ChromeEnv names the browser to use, as a path or a name on the PATH.
	ChromeEnv = "TOOLKIT_CHROME"
	// RequireEnv, set to 1, makes a missing or broken browser fail the
	// tests instead of skipping them.
	RequireEnv = "TOOLKIT_REQUIRE_BROWSER"
)

// TabTimeout bounds everything one test does in its tab.
const TabTimeout = 60 * time.Second

// startTimeout bounds how long the browser may take to start.
const startTimeout = 30 * time.Second

// reasonNoBrowser says why browser tests cannot run on a machine without a
// browser, and what to do about it.
const reasonNoBrowser = "no Chromium found (set " + ChromeEnv + " or install chromium)"

// skipMessage is the message of a test skipped for want of a browser. It is
// meant to be seen.
func skipMessage(reason string) string {
	return "BROWSER TESTS SKIPPED: " + reason + "; accessibility is NOT being checked"
}

// defaultPath is where Debian installs Chromium. It is a variable so that a
// test binary can be built without it (go test -ldflags
// "-X github.com/healthtech-toolkit/toolkit/internal/browsertest.defaultPath=/none")
// to try the tests' behaviour on a machine with no browser.
var defaultPath = "/usr/bin/chromium"

// pathNames are the names tried on the PATH, in order, after defaultPath.
var pathNames = []string{"chromium", "chromium-browser", "google-chrome"}

// findBrowser returns the browser's path. A missing browser is errNoBrowser;
// a browser named in TOOLKIT_CHROME that is not there is another error.
func findBrowser() (string, error) {
	if p := os.Getenv(ChromeEnv); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s=%q: %w", ChromeEnv, p, err)
		}
		return found, nil
	}
	if _, err := os.Stat(defaultPath); err == nil {
		return defaultPath, nil
	}
	for _, name := range pathNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errNoBrowser
}

var errNoBrowser = errors.New(reasonNoBrowser)

// flags are the browser's command-line switches, apart from the profile
// folder and what chromedp adds to talk to it (--remote-debugging-pipe and
// the first page, about:blank).
var flags = []string{
	"headless",
	"no-sandbox",
	"disable-gpu",
	"no-first-run",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
	"disable-quic",
}

// shared is the browser process of the test binary.
var shared struct {
	once     sync.Once
	path     string
	version  string
	ctx      context.Context // the browser's first tab; tabs are made from it
	cancel   context.CancelFunc
	alloc    context.CancelFunc
	dir      string // the temporary profile
	err      error
	skipped  atomic.Int32 // tests skipped for want of a browser
	logged   atomic.Bool  // whether a test has logged which browser runs
	shutdown sync.Once
}

// start starts the shared browser.
func start() {
	shared.path, shared.err = findBrowser()
	if shared.err != nil {
		return
	}
	dir, err := os.MkdirTemp("", "toolkit-browsertest-")
	if err != nil {
		shared.err = fmt.Errorf("making a profile folder: %w", err)
		return
	}
	shared.dir = dir
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(shared.path), chromedp.UserDataDir(dir)}
	for _, f := range flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	shared.ctx, shared.cancel, shared.alloc = ctx, cancel, allocCancel

	// The first Run starts the browser, and the browser lives as long as
	// the context of that call: so no timeout on it. Wait for it here
	// instead, and kill it if it hangs.
	type result struct {
		version string
		err     error
	}
	started := make(chan result, 1)
	go func() {
		v, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (browser.GetVersionResult, error) {
			return chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
		})
		started <- result{v.Product, err}
	}()
	select {
	case r := <-started:
		shared.version, err = r.version, r.err
	case <-time.After(startTimeout):
		err = fmt.Errorf("no answer after %v", startTimeout)
	}
	if err != nil {
		shared.err = fmt.Errorf("starting %s: %w", shared.path, err)
		stop()
	}
}

// stop stops the shared browser, if it started, and removes its profile.
func stop() {
	shared.shutdown.Do(func() {
		if shared.cancel != nil {
			if shared.err == nil {
				// Close the browser gracefully, waiting at most a while.
				ctx, cancel := context.WithTimeout(shared.ctx, 10*time.Second)
				chromedp.Cancel(ctx)
				cancel()
			}
			shared.cancel()
			shared.alloc() // waits for the process to end
		}
		if shared.dir != "" {
			os.RemoveAll(shared.dir)
		}
	})
}

// Main runs the tests of a package that uses the browser, then stops the
// browser. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
// When tests were skipped for want of a browser it says so once more at the
// end, on stderr. (go test shows the output of a package that passes only
// with -v, or when run in the package's folder without arguments: CI must
// set TOOLKIT_REQUIRE_BROWSER=1 rather than rely on anyone reading it.)
func Main(m *testing.M) int {
	code := m.Run()
	stop()
	if n := shared.skipped.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "\n*** %s (tests skipped: %d)\n\n", skipMessage(reason(shared.err)), n)
	}
	return code
}

// reason says why the browser cannot be used.
func reason(err error) string {
	if errors.Is(err, errNoBrowser) {
		return reasonNoBrowser
	}
	return "the browser did not start: " + strings.TrimSpace(err.Error())
}

// required reports whether the tests must have a browser.
func required() bool { return os.Getenv(RequireEnv) == "1" }

// browserContext returns the shared browser's context, starting the browser
// if this is the first test to need it. When there is no browser the test
// skips, loudly, or fails under TOOLKIT_REQUIRE_BROWSER=1.
func browserContext(t testing.TB) context.Context {
	t.Helper()
	shared.once.Do(start)
	err := shared.err
	switch {
	case err == nil:
		if shared.logged.CompareAndSwap(false, true) {
			t.Logf("browser: %s (%s)", shared.path, shared.version)
		}
		return shared.ctx
	case os.Getenv(ChromeEnv) != "" && shared.path == "":
		// A browser was named and is not there: a mistake to fix, not a
		// reason to skip.
		t.Fatalf("BROWSER TESTS FAILED: %v", err)
	case required():
		t.Fatalf("BROWSER TESTS FAILED: %s, and %s=1 requires a browser", reason(err), RequireEnv)
	default:
		shared.skipped.Add(1)
		t.Skip(skipMessage(reason(err)))
	}
	return nil
}

// Option changes a tab made by [Tab].
type Option func(*tabOptions)

type tabOptions struct {
	noJS    bool
	timeout time.Duration
}

// NoJavaScript turns JavaScript off in the tab, as a visitor may have it.
// Scripts the test runs through the DevTools protocol still run.
func NoJavaScript() Option { return func(o *tabOptions) { o.noJS = true } }

// Timeout replaces [TabTimeout] for the tab.
func Timeout(d time.Duration) Option { return func(o *tabOptions) { o.timeout = d } }

// Tab opens a new tab in the shared browser and returns its context, for
// chromedp.Run and the helpers of this package. Each tab is a private window
// of its own (a new browser context), so tabs share no cookies or storage:
// signing in in one test's tab signs in no other. The tab closes when the
// test ends; everything done in it must finish within TabTimeout.
func Tab(t testing.TB, opts ...Option) context.Context {
	t.Helper()
	o := tabOptions{timeout: TabTimeout}
	for _, f := range opts {
		f(&o)
	}
	bctx := browserContext(t)
	tabCtx, closeTab := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	t.Cleanup(closeTab)
	// Open the tab without the timeout: a timeout on the first Run of a
	// context would close the tab when it ran out.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("opening a browser tab: %v", err)
	}
	if o.noJS {
		if _, err := chromedp.Call(tabCtx, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turning JavaScript off: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(tabCtx, o.timeout)
	t.Cleanup(cancel)
	return ctx
}

// TabNoJS opens a tab with JavaScript turned off: Tab(t, NoJavaScript()).
func TabNoJS(t testing.TB) context.Context {
	t.Helper()
	return Tab(t, NoJavaScript())
}
