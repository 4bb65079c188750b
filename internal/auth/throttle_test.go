package auth_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

var t0 = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

const (
	maxFailures = 3
	window      = 15 * time.Minute
)

func TestThrottle(t *testing.T) {
	type step struct {
		at   time.Duration // after t0
		do   string        // "fail", "succeed" or "" to only ask
		key  string
		wait time.Duration // what Wait(key) returns after the step
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"unknown key", []step{{0, "", "a", 0}}},
		{"allows max failures", []step{
			{0, "fail", "a", 0},
			{time.Minute, "fail", "a", 0},
			{2 * time.Minute, "fail", "a", window - 2*time.Minute},
			{3 * time.Minute, "", "a", window - 3*time.Minute},
		}},
		{"wait ends when the window has passed since the first failure", []step{
			{0, "fail", "a", 0},
			{5 * time.Minute, "fail", "a", 0},
			{10 * time.Minute, "fail", "a", 5 * time.Minute},
			{window - time.Nanosecond, "", "a", time.Nanosecond},
			{window, "", "a", 0},
		}},
		{"a new window after the old one", []step{
			{0, "fail", "a", 0},
			{time.Minute, "fail", "a", 0},
			{window, "fail", "a", 0},
			{window + time.Minute, "fail", "a", 0},
			{window + 2*time.Minute, "fail", "a", window - 2*time.Minute},
		}},
		{"failures after the window, without asking, start again", []step{
			{0, "fail", "a", 0},
			{time.Minute, "fail", "a", 0},
			{2 * time.Minute, "fail", "a", window - 2*time.Minute},
			{window + time.Minute, "fail", "a", 0},
		}},
		{"succeed resets", []step{
			{0, "fail", "a", 0},
			{time.Minute, "fail", "a", 0},
			{2 * time.Minute, "fail", "a", window - 2*time.Minute},
			{3 * time.Minute, "succeed", "a", 0},
			{4 * time.Minute, "fail", "a", 0},
			{5 * time.Minute, "fail", "a", 0},
		}},
		{"keys are separate", []step{
			{0, "fail", "a", 0},
			{0, "fail", "a", 0},
			{0, "fail", "a", window},
			{0, "", "b", 0},
			{time.Minute, "fail", "b", 0},
			{time.Minute, "succeed", "b", 0},
			{time.Minute, "", "a", window - time.Minute},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := auth.NewThrottle(maxFailures, window)
			for i, st := range tt.steps {
				now := t0.Add(st.at)
				switch st.do {
				case "fail":
					th.Fail(st.key, now)
				case "succeed":
					th.Succeed(st.key)
				}
				if got := th.Wait(st.key, now); got != st.wait {
					t.Errorf("step %d (%s %q at +%v): Wait(%q) = %v, want %v", i, st.do, st.key, st.at, st.key, got, st.wait)
				}
			}
		})
	}
}

func TestThrottleConcurrent(t *testing.T) {
	const n = 20
	th := auth.NewThrottle(n, window)
	var wg sync.WaitGroup
	for range n - 1 {
		wg.Go(func() {
			th.Fail("a", t0)
			th.Wait("a", t0)
			th.Fail("other", t0)
			th.Succeed("other")
		})
	}
	wg.Wait()
	if got := th.Wait("a", t0); got != 0 {
		t.Fatalf("after %d concurrent failures, Wait() = %v, want 0", n-1, got)
	}
	th.Fail("a", t0)
	if got := th.Wait("a", t0); got != window {
		t.Errorf("after %d failures, Wait() = %v, want %v", n, got, window)
	}
}

// guess has each client try to sign in to the account once a minute, as
// often as the throttle lets it, from start for the duration given, and
// returns how many failures each made.
func guess(th *auth.SignInThrottle, account string, clients []string, start time.Time, d time.Duration) []int {
	failures := make([]int, len(clients))
	for at := time.Duration(0); at < d; at += time.Minute {
		for i, c := range clients {
			if _, err := th.Begin(account, c, start.Add(at)); err == nil {
				failures[i]++
			}
		}
	}
	return failures
}

// waits returns how long the client must wait before trying the account,
// or zero when it may try now (and then counts a failed attempt).
func waits(th *auth.SignInThrottle, account, client string, now time.Time) time.Duration {
	_, err := th.Begin(account, client, now)
	if tooMany := (*auth.TooManyAttempts)(nil); errors.As(err, &tooMany) {
		return tooMany.Wait
	}
	return 0
}

func clients(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "192.0.2." + strconv.Itoa(i+1)
	}
	return out
}

// TestSignInThrottle checks the default sign-in limits: a stranger
// guessing from one address never locks out the owner at another; one
// address guesses no more than the old per-account limit allowed (5 in 15
// minutes), and far fewer in a day; many addresses together reach the
// account's own limit, 480 a day, and no more.
func TestSignInThrottle(t *testing.T) {
	l := auth.DefaultSignInLimits()
	const owner, account = "198.51.100.7", "admin@example.org"

	t.Run("a stranger does not lock the owner out", func(t *testing.T) {
		th := auth.NewSignInThrottle(l)
		n := guess(th, account, clients(1), t0, 24*time.Hour)
		if wait := waits(th, account, owner, t0.Add(24*time.Hour-time.Minute)); wait != 0 {
			t.Errorf("after a stranger's %d failures in a day, the owner must wait %v, want 0", n[0], wait)
		}
	})

	t.Run("one address guesses no more than before", func(t *testing.T) {
		th := auth.NewSignInThrottle(l)
		if n := guess(th, account, clients(1), t0, 15*time.Minute); n[0] != 5 {
			t.Errorf("one address failed %d times in 15 minutes, want 5", n[0])
		}
		th = auth.NewSignInThrottle(l)
		if n := guess(th, account, clients(1), t0, 24*time.Hour); n[0] != l.AccountClientDay.Failures {
			t.Errorf("one address failed %d times in a day, want %d", n[0], l.AccountClientDay.Failures)
		}
		th = auth.NewSignInThrottle(l)
		tried := 0
		for i := range 100 {
			other := "user" + strconv.Itoa(i) + "@example.org"
			if _, err := th.Begin(other, owner, t0); err == nil {
				tried++
			}
		}
		if tried != l.Client.Failures {
			t.Errorf("one address failed on %d accounts at once, want %d", tried, l.Client.Failures)
		}
	})

	t.Run("many addresses together reach the account's limit", func(t *testing.T) {
		for _, tt := range []struct {
			clients int
			locked  bool
		}{{9, false}, {10, true}, {100, true}} {
			th := auth.NewSignInThrottle(l)
			total := 0
			for _, n := range guess(th, account, clients(tt.clients), t0, 24*time.Hour-time.Minute) {
				total += n
			}
			if total > l.Account.Failures {
				t.Errorf("%d addresses failed %d times in a day, more than the limit of %d", tt.clients, total, l.Account.Failures)
			}
			if locked := waits(th, account, owner, t0.Add(24*time.Hour-time.Minute)) > 0; locked != tt.locked {
				t.Errorf("after %d addresses failed %d times, the owner locked out: %v, want %v", tt.clients, total, locked, tt.locked)
			}
		}
	})

	t.Run("the owner's success forgets the owner's mistakes only", func(t *testing.T) {
		th := auth.NewSignInThrottle(auth.SignInLimits{AccountClient: auth.Limit{Failures: 2, Window: window},
			AccountClientDay: auth.Limit{Failures: 2, Window: 24 * time.Hour}, Client: auth.Limit{Failures: 10, Window: window},
			Account: auth.Limit{Failures: 3, Window: 24 * time.Hour}})
		mustBegin(t, th, account, owner, t0) // a mistake
		mustBegin(t, th, account, owner, t0).Succeed()
		mustBegin(t, th, account, owner, t0) // another mistake
		// The owner's first mistake is forgotten at the account from the
		// owner's address, and the success counts nowhere.
		if wait := waits(th, account, owner, t0); wait != 0 {
			t.Errorf("the owner's third attempt, with one failure since a success: wait %v, want 0", wait)
		}
		if wait := waits(th, account, "192.0.2.1", t0); wait != 24*time.Hour {
			t.Errorf("three failures at an account, one forgotten by its owner: wait %v, want the account's window", wait)
		}
	})

	t.Run("signing in again and again uses up no limit", func(t *testing.T) {
		th := auth.NewSignInThrottle(l)
		for i := range 2 * l.Account.Failures {
			if a, err := th.Begin(account, owner, t0); err != nil {
				t.Fatalf("sign-in %d, after as many successes: %v", i+1, err)
			} else {
				a.Succeed()
			}
		}
	})
}

func mustBegin(t *testing.T, th *auth.SignInThrottle, account, client string, now time.Time) *auth.Attempt {
	t.Helper()
	a, err := th.Begin(account, client, now)
	if err != nil {
		t.Fatalf("Begin(%s, %s) = %v", account, client, err)
	}
	return a
}

// TestSignInThrottleAtOnce: attempts begun at the same time are counted
// before any is checked, so no more than a limit allows are let through
// together, whichever limit it is; those that succeed give their count
// back.
func TestSignInThrottleAtOnce(t *testing.T) {
	l := auth.DefaultSignInLimits()
	tests := []struct {
		name     string
		limit    int
		accounts func(i int) string
		clients  func(i int) string
	}{
		{"one account from one client", l.AccountClient.Failures,
			func(int) string { return "admin@example.org" }, func(int) string { return "192.0.2.1" }},
		{"many accounts from one client", l.Client.Failures,
			func(i int) string { return "user" + strconv.Itoa(i) + "@example.org" }, func(int) string { return "192.0.2.1" }},
		{"one account from many clients", l.Account.Failures,
			func(int) string { return "admin@example.org" }, func(i int) string { return "client " + strconv.Itoa(i) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := auth.NewSignInThrottle(l)
			const tries = 1000
			var wg sync.WaitGroup
			var mu sync.Mutex
			begun := 0
			for i := range tries {
				wg.Go(func() {
					if _, err := th.Begin(tt.accounts(i), tt.clients(i), t0); err == nil {
						mu.Lock()
						begun++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if begun != tt.limit {
				t.Errorf("%d attempts at once: %d begun, want the limit, %d", tries, begun, tt.limit)
			}
		})
	}

	t.Run("successes at once give their counts back", func(t *testing.T) {
		th := auth.NewSignInThrottle(l)
		var wg sync.WaitGroup
		for range 200 {
			wg.Go(func() {
				if a, err := th.Begin("admin@example.org", "client", t0); err == nil {
					a.Succeed()
				}
			})
		}
		wg.Wait()
		if got := guess(th, "admin@example.org", []string{"client"}, t0, 15*time.Minute); got[0] != l.AccountClient.Failures {
			t.Errorf("after successes at once, the client could fail %d times in 15 minutes, want %d", got[0], l.AccountClient.Failures)
		}
	})
}
