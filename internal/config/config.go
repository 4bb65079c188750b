// Package config holds the program's settings: defaults in code, then
// TOOLKIT_* environment variables, then command-line flags, each overriding
// the one before.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// Config is every setting of every subcommand.
type Config struct {
	DB         string // SQLite file path or postgres:// URL
	Addr       string // where serve listens
	BaseURL    string // the address people use to reach the site, for links the program prints
	LogFormat  string // text or json
	LogLevel   string // debug, info, warn or error
	TrustProxy bool   // believe X-Forwarded-For and X-Forwarded-Proto
	TLSCert    string // serve HTTPS with this certificate…
	TLSKey     string // …and this key
	Demo       bool   // load the demonstration content into an empty database

	SurveyMinSeconds int // the least time from a survey's start page to sending it
	SubmitLimit      int // responses one client may send, or answers save, in ten minutes; 0 for no limit
	DraftsMaxMB      int // the space saved answers may take, in megabytes (2^20 bytes)

	// Capacity: beyond it the server answers 503 at once.
	MaxConnections int           // connections open at once; 0 for no limit
	MaxRequests    int           // requests served at once; 0 for no limit
	QueueWait      time.Duration // how long a request may wait for one of those to finish
}

// Default returns the settings used when nothing else is said.
func Default() Config {
	return Config{
		DB:        store.DefaultPath,
		Addr:      "localhost:8080",
		LogFormat: "text",
		LogLevel:  "info",
		Demo:      true,

		SurveyMinSeconds: 10,
		SubmitLimit:      100,
		DraftsMaxMB:      256,

		MaxConnections: defaultMaxConnections(),
		MaxRequests:    128,
		QueueWait:      250 * time.Millisecond,
	}
}

// defaultMaxConnections is half the files the process may open, so that
// connections cannot take the files the database needs, and at most
// 10,000.
func defaultMaxConnections() int {
	if n := openFilesLimit(); n > 0 {
		return min(n/2, 10_000)
	}
	return 10_000
}

// setting describes one setting: its flag, its environment variable and how
// it binds to a Config.
type setting struct {
	name  string // the flag name; the variable is TOOLKIT_ + its upper-case form
	arg   string // what the value looks like, for the usage text
	usage string
	bind  func(fs *flag.FlagSet, c *Config)
}

func text(name, arg, usage string, field func(*Config) *string) setting {
	return setting{name, arg, usage, func(fs *flag.FlagSet, c *Config) {
		p := field(c)
		fs.StringVar(p, name, *p, usage)
	}}
}

func onOff(name, usage string, field func(*Config) *bool) setting {
	return setting{name, "", usage, func(fs *flag.FlagSet, c *Config) {
		p := field(c)
		fs.BoolVar(p, name, *p, usage)
	}}
}

func whole(name, arg, usage string, field func(*Config) *int) setting {
	return setting{name, arg, usage, func(fs *flag.FlagSet, c *Config) {
		p := field(c)
		fs.IntVar(p, name, *p, usage)
	}}
}

func span(name, arg, usage string, field func(*Config) *time.Duration) setting {
	return setting{name, arg, usage, func(fs *flag.FlagSet, c *Config) {
		p := field(c)
		fs.DurationVar(p, name, *p, usage)
	}}
}

var settings = []setting{
	text("db", "PATH|URL", "SQLite database file, or a postgres:// URL",
		func(c *Config) *string { return &c.DB }),
	text("addr", "HOST:PORT", "address to listen on",
		func(c *Config) *string { return &c.Addr }),
	text("base-url", "URL", "address people use to reach the site, for the links the program prints (default http:// + addr)",
		func(c *Config) *string { return &c.BaseURL }),
	text("log-format", "text|json", "format of the log on standard error",
		func(c *Config) *string { return &c.LogFormat }),
	text("log-level", "LEVEL", "least important log messages shown: debug, info, warn or error",
		func(c *Config) *string { return &c.LogLevel }),
	onOff("trust-proxy", "the server runs behind a reverse proxy: use its X-Forwarded-For for throttling and X-Forwarded-Proto to know when requests came over HTTPS",
		func(c *Config) *bool { return &c.TrustProxy }),
	text("tls-cert", "FILE", "serve HTTPS with this certificate (PEM); needs --tls-key",
		func(c *Config) *string { return &c.TLSCert }),
	text("tls-key", "FILE", "private key (PEM) for --tls-cert",
		func(c *Config) *string { return &c.TLSKey }),
	onOff("demo", "load the demonstration content into a new, empty database",
		func(c *Config) *bool { return &c.Demo }),
	whole("survey-min-seconds", "N", "answers sent sooner than this after a survey's start page are checked once more (against automated answers)",
		func(c *Config) *int { return &c.SurveyMinSeconds }),
	whole("submit-limit", "N", "responses one client (network address) may send, and times it may save answers to come back to, in ten minutes together; 0 for no limit",
		func(c *Config) *int { return &c.SubmitLimit }),
	whole("drafts-max-mb", "MB", "the space answers saved to come back to may take in the database, in megabytes; saving is refused beyond it",
		func(c *Config) *int { return &c.DraftsMaxMB }),
	whole("max-connections", "N", "connections open at once; more are answered 503 and closed (default: half the open-files limit, at most 10,000); 0 for no limit",
		func(c *Config) *int { return &c.MaxConnections }),
	whole("max-requests", "N", "requests served at once; more wait up to --queue-wait, then are answered 503; 0 for no limit",
		func(c *Config) *int { return &c.MaxRequests }),
	span("queue-wait", "DURATION", "how long a request may wait for one being served to finish, such as 250ms",
		func(c *Config) *time.Duration { return &c.QueueWait }),
}

// EnvName returns the environment variable of the setting with flag name.
func EnvName(name string) string {
	return "TOOLKIT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// FlagSet returns a flag set for the subcommand that registers the named
// settings bound to c, with a usage text that names each one's environment
// variable. Other flags of the subcommand can be added to it before Parse.
func FlagSet(command, synopsis string, c *Config, names ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	var used []setting
	for _, name := range names {
		i := indexOf(name)
		if i < 0 {
			panic("config: no setting named " + name)
		}
		s := settings[i]
		s.bind(fs, c)
		used = append(used, s)
	}
	fs.Usage = func() { usage(fs, command, synopsis, used) }
	return fs
}

func indexOf(name string) int {
	for i, s := range settings {
		if s.name == name {
			return i
		}
	}
	return -1
}

func usage(fs *flag.FlagSet, command, synopsis string, used []setting) {
	w := fs.Output()
	fmt.Fprintf(w, "Usage: toolkit %s\n\n%s\n", command, synopsis)
	heading := "\nFlags:\n"
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprint(w, heading)
		heading = ""
		arg := ""
		env := ""
		for _, s := range used {
			if s.name == f.Name {
				arg, env = s.arg, EnvName(s.name)
			}
		}
		if arg == "" {
			if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool {
				arg = "VALUE"
			}
		}
		fmt.Fprintf(w, "  --%s", f.Name)
		if arg != "" {
			fmt.Fprintf(w, " %s", arg)
		}
		fmt.Fprintf(w, "\n      %s\n", f.Usage)
		var notes []string
		if env != "" {
			notes = append(notes, "environment "+env)
		}
		if f.DefValue != "" && f.DefValue != "false" {
			notes = append(notes, "default "+f.DefValue)
		}
		if len(notes) > 0 {
			fmt.Fprintf(w, "      (%s)\n", strings.Join(notes, "; "))
		}
	})
}

// Parse sets each registered setting from its environment variable, then
// parses the command-line arguments, which win.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if indexOf(f.Name) < 0 {
			return
		}
		name := EnvName(f.Name)
		if v := getenv(name); v != "" && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("environment variable %s=%q: %v", name, v, e)
			}
		}
	})
	if err != nil {
		return err
	}
	return fs.Parse(args)
}

// maxDraftsMB is the most space saved answers may be given: a terabyte.
const maxDraftsMB = 1 << 20

// Validate checks the settings and fills in what follows from others.
func (c *Config) Validate() error {
	var errs []error
	if c.DB == "" {
		errs = append(errs, errors.New("--db must not be empty"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: want HOST:PORT, such as localhost:8080 or :8080", c.Addr))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.SurveyMinSeconds < 0 || c.SurveyMinSeconds > 3600 {
		errs = append(errs, fmt.Errorf("--survey-min-seconds %d: want 0 to 3600", c.SurveyMinSeconds))
	}
	if c.SubmitLimit < 0 {
		errs = append(errs, fmt.Errorf("--submit-limit %d: want 0 (no limit) or more", c.SubmitLimit))
	}
	if c.DraftsMaxMB < 1 || c.DraftsMaxMB > maxDraftsMB {
		errs = append(errs, fmt.Errorf("--drafts-max-mb %d: want 1 to %d", c.DraftsMaxMB, maxDraftsMB))
	}
	if c.MaxConnections < 0 {
		errs = append(errs, fmt.Errorf("--max-connections %d: want 0 (no limit) or more", c.MaxConnections))
	}
	if c.MaxRequests < 0 {
		errs = append(errs, fmt.Errorf("--max-requests %d: want 0 (no limit) or more", c.MaxRequests))
	}
	if c.QueueWait < 0 || c.QueueWait > time.Minute {
		errs = append(errs, fmt.Errorf("--queue-wait %v: want 0 to 1m", c.QueueWait))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together: give both or neither"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--base-url %q: want an address such as https://toolkit.example.org", c.BaseURL))
		}
		c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	}
	return errors.Join(errs...)
}

// SiteURL is the address for links the program prints: --base-url if set,
// else the listening address as a local URL.
func (c Config) SiteURL(listening net.Addr) string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if listening != nil {
		_, port, _ = net.SplitHostPort(listening.String())
	}
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
