package config

import (
	"bytes"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPrecedence(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want Config
	}{
		{"defaults", nil, nil, Default()},
		{"environment over default", map[string]string{"TOOLKIT_ADDR": ":9000", "TOOLKIT_DEMO": "false"}, nil,
			func() Config { c := Default(); c.Addr, c.Demo = ":9000", false; return c }()},
		{"flag over environment", map[string]string{"TOOLKIT_ADDR": ":9000"}, []string{"--addr", ":9001"},
			func() Config { c := Default(); c.Addr = ":9001"; return c }()},
		{"every setting", nil, []string{"--db", "postgres://db/x", "--addr", "0.0.0.0:80", "--base-url", "https://t.example.org",
			"--log-format", "json", "--log-level", "debug", "--trust-proxy", "--tls-cert", "c", "--tls-key", "k", "--demo=false",
			"--survey-min-seconds", "0", "--submit-limit", "7", "--drafts-max-mb", "64", "--max-connections", "50", "--max-requests", "5", "--queue-wait", "1.5s"},
			Config{DB: "postgres://db/x", Addr: "0.0.0.0:80", BaseURL: "https://t.example.org", LogFormat: "json", LogLevel: "debug",
				TrustProxy: true, TLSCert: "c", TLSKey: "k", SubmitLimit: 7, DraftsMaxMB: 64, MaxConnections: 50, MaxRequests: 5, QueueWait: 1500 * time.Millisecond}},
		{"durations from the environment", map[string]string{"TOOLKIT_QUEUE_WAIT": "0", "TOOLKIT_MAX_REQUESTS": "0"}, nil,
			func() Config { c := Default(); c.QueueWait, c.MaxRequests = 0, 0; return c }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			fs := FlagSet("serve", "", &c, "db", "addr", "base-url", "log-format", "log-level", "trust-proxy", "tls-cert", "tls-key", "demo",
				"survey-min-seconds", "submit-limit", "drafts-max-mb", "max-connections", "max-requests", "queue-wait")
			if err := Parse(fs, tc.args, func(k string) string { return tc.env[k] }); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, c); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnregisteredVariablesIgnored: a command reads only the variables of
// the settings it takes.
func TestUnregisteredVariablesIgnored(t *testing.T) {
	c := Default()
	fs := FlagSet("backup", "", &c, "db")
	if err := Parse(fs, nil, func(k string) string { return map[string]string{"TOOLKIT_ADDR": "nonsense"}[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Addr != Default().Addr {
		t.Errorf("backup read TOOLKIT_ADDR: Addr = %q", c.Addr)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string // "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"port only", func(c *Config) { c.Addr = ":8080" }, ""},
		{"no port", func(c *Config) { c.Addr = "localhost" }, `--addr "localhost": want HOST:PORT`},
		{"empty db", func(c *Config) { c.DB = "" }, "--db must not be empty"},
		{"bad format", func(c *Config) { c.LogFormat = "yaml" }, `--log-format "yaml": want text or json`},
		{"bad level", func(c *Config) { c.LogLevel = "loud" }, `--log-level "loud": want debug, info, warn or error`},
		{"cert alone", func(c *Config) { c.TLSCert = "c.pem" }, "--tls-cert and --tls-key go together"},
		{"base url without scheme", func(c *Config) { c.BaseURL = "example.org" }, `--base-url "example.org"`},
		{"base url ftp", func(c *Config) { c.BaseURL = "ftp://example.org" }, `--base-url "ftp://example.org"`},
		{"negative limit", func(c *Config) { c.SubmitLimit = -1 }, "--submit-limit -1: want 0 (no limit) or more"},
		{"no space for drafts", func(c *Config) { c.DraftsMaxMB = 0 }, "--drafts-max-mb 0: want 1 to 1048576"},
		{"more space for drafts than a terabyte", func(c *Config) { c.DraftsMaxMB = 1<<20 + 1 }, "--drafts-max-mb 1048577: want 1 to 1048576"},
		{"minimum time too long", func(c *Config) { c.SurveyMinSeconds = 7200 }, "--survey-min-seconds 7200: want 0 to 3600"},
		{"no limits", func(c *Config) { c.MaxConnections, c.MaxRequests, c.QueueWait = 0, 0, 0 }, ""},
		{"negative connections", func(c *Config) { c.MaxConnections = -1 }, "--max-connections -1: want 0 (no limit) or more"},
		{"negative requests", func(c *Config) { c.MaxRequests = -2 }, "--max-requests -2: want 0 (no limit) or more"},
		{"negative wait", func(c *Config) { c.QueueWait = -time.Second }, "--queue-wait -1s: want 0 to 1m"},
		{"wait too long", func(c *Config) { c.QueueWait = time.Hour }, "--queue-wait 1h0m0s: want 0 to 1m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.change(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestSiteURL(t *testing.T) {
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 41234}
	for _, tc := range []struct {
		c         Config
		listening net.Addr
		want      string
	}{
		{Config{Addr: "localhost:8080"}, nil, "http://localhost:8080"},
		{Config{Addr: ":8080"}, nil, "http://localhost:8080"},
		{Config{Addr: "0.0.0.0:8080", TLSCert: "c"}, nil, "https://localhost:8080"},
		{Config{Addr: "127.0.0.1:0"}, addr, "http://127.0.0.1:41234"},
		{Config{Addr: ":0", BaseURL: "https://toolkit.example.org"}, addr, "https://toolkit.example.org"},
	} {
		if got := tc.c.SiteURL(tc.listening); got != tc.want {
			t.Errorf("%+v.SiteURL(%v) = %q, want %q", tc.c, tc.listening, got, tc.want)
		}
	}
}

// TestUsageNamesVariables: -h shows each flag with its variable.
func TestUsageNamesVariables(t *testing.T) {
	c := Default()
	fs := FlagSet("serve", "Runs it.", &c, "db", "trust-proxy")
	var out bytes.Buffer
	fs.SetOutput(&out)
	fs.Usage()
	for _, want := range []string{"Usage: toolkit serve", "--db PATH|URL", "(environment TOOLKIT_DB; default toolkit-data/toolkit.db)", "--trust-proxy\n", "(environment TOOLKIT_TRUST_PROXY)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, out.String())
		}
	}
}

// TestREADMEDocumentsEverySetting keeps the README's configuration table
// complete.
func TestREADMEDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		for _, want := range []string{"`--" + s.name, "`" + EnvName(s.name) + "`"} {
			if !bytes.Contains(readme, []byte(want)) {
				t.Errorf("README.md does not document %s", want)
			}
		}
	}
}

// TestDefaultMaxConnections: the default leaves the database at least half
// the files the process may open.
func TestDefaultMaxConnections(t *testing.T) {
	limit := openFilesLimit()
	if limit == 0 {
		t.Skip("this system does not say how many files a process may open")
	}
	if got := Default().MaxConnections; got < 1 || got > limit/2 || got > 10_000 {
		t.Errorf("Default().MaxConnections = %d with an open-files limit of %d, want 1 to %d", got, limit, min(limit/2, 10_000))
	}
}
