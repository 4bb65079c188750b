package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary builds the toolkit command once for the tests.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "toolkit-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "toolkit")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", errors.New(string(out))
	}
	return bin, nil
})

func toolkit(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatalf("building toolkit: %v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	return cmd
}

// TestUnusableDatabase: a database that cannot be opened at start gives one
// clear line and exit status 1, never a panic.
func TestUnusableDatabase(t *testing.T) {
	dir := t.TempDir()
	notADB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notADB, []byte("these are not the tables you are looking for\n"), 0o600)
	for _, tc := range []struct {
		name, db, want string
	}{
		{"unreachable server", "postgres://toolkit:secretpw@127.0.0.1:1/toolkit?connect_timeout=3",
			"toolkit: cannot open database postgres://toolkit:xxxxx@127.0.0.1:1/toolkit?connect_timeout=3: "},
		{"folder that cannot be made", filepath.Join(notADB, "toolkit.db"),
			"toolkit: cannot open database " + filepath.Join(notADB, "toolkit.db") + ": cannot create its folder: "},
		{"not a database", notADB, "toolkit: cannot open database " + notADB + ": the file is not a SQLite database"},
		{"a folder", dir, "toolkit: cannot open database " + dir + ": it is a folder, not a file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := toolkit(t, "serve", "--db", tc.db, "--addr", "127.0.0.1:0")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("exit: %v, want status 1\nstderr: %s", err, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], tc.want) {
				t.Errorf("stderr:\n%s\nwant one line starting %q", stderr.String(), tc.want)
			}
			for _, bad := range []string{"panic", "goroutine", "secretpw"} {
				if strings.Contains(stderr.String()+stdout.String(), bad) {
					t.Errorf("output contains %q:\n%s%s", bad, stdout.String(), stderr.String())
				}
			}
		})
	}
}

func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{nil, 2},
		{[]string{"serve", "--no-such-flag"}, 2},
		{[]string{"user"}, 2},
		{[]string{"help"}, 0},
		{[]string{"version"}, 0},
		{[]string{"serve", "-h"}, 0},
		{[]string{"frobnicate"}, 1},
	} {
		cmd := toolkit(t, tc.args...)
		err := cmd.Run()
		got := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			got = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("toolkit %q: exit status %d, want %d", tc.args, got, tc.want)
		}
	}
}

// TestStopsOnSignal: SIGTERM stops the server cleanly, with status 0.
func TestStopsOnSignal(t *testing.T) {
	cmd := toolkit(t, "serve", "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan bool)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "Listening on ") {
				listening <- true
			}
		}
	}()
	select {
	case <-listening:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve did not start listening\n%s", stderr.String())
	}
	// The default database goes in ./toolkit-data, created by serve.
	if _, err := os.Stat(filepath.Join(cmd.Dir, "toolkit-data", "toolkit.db")); err != nil {
		t.Errorf("no database in ./toolkit-data: %v", err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want exit status 0\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("the log does not say it stopped:\n%s", stderr.String())
	}
}
