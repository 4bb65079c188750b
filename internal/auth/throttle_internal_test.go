package auth

import (
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

// fail is failures of a key, at a time after t0.
type fail struct {
	key string
	at  time.Duration
	n   int
}

// TestThrottleBounded checks that a throttle never holds more keys than its
// limit, and which keys it forgets to make room: expired keys first, then
// those below their limit with the fewest failures, the oldest first, and
// never one at its limit.
func TestThrottleBounded(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		held  []fail   // failures recorded before
		fail  fail     // then this one
		want  []string // the keys held afterwards
	}{
		{"room to spare", 4, []fail{{"a", 0, 1}}, fail{"b", 0, 1}, []string{"a", "b"}},
		{"expired keys go first", 3, []fail{{"a", 0, 3}, {"b", 0, 1}, {"c", 30 * time.Second, 1}}, fail{"d", time.Minute, 1},
			[]string{"c", "d"}},
		{"then the fewest failures", 3, []fail{{"a", 0, 2}, {"b", time.Second, 1}, {"c", 2 * time.Second, 2}}, fail{"d", 3 * time.Second, 1},
			[]string{"a", "c", "d"}},
		{"then the oldest", 3, []fail{{"a", time.Second, 1}, {"b", 0, 1}, {"c", 2 * time.Second, 1}}, fail{"d", 3 * time.Second, 1},
			[]string{"a", "c", "d"}},
		{"a tenth made free", 20, append(series("a", 10, 1), series("b", 10, 2)...), fail{"c", time.Minute / 2, 1},
			append(names(series("a", 10, 1)[2:]), append(names(series("b", 10, 2)), "c")...)},
		{"never a key at its limit", 3, []fail{{"a", 0, 3}, {"b", time.Second, 1}, {"c", 2 * time.Second, 3}}, fail{"d", 3 * time.Second, 1},
			[]string{"a", "c", "d"}},
		{"room again once a key below its limit comes", 4, []fail{{"a", 0, 3}, {"b", 0, 3}, {"c", 0, 3}, {"d", 0, 1}, {"e", time.Second, 1}},
			fail{"f", 2 * time.Second, 1}, []string{"a", "b", "c", "f"}},
		{"no room when every key is at its limit", 3, []fail{{"a", 0, 3}, {"b", time.Second, 3}, {"c", 2 * time.Second, 3}},
			fail{"d", 3 * time.Second, 1}, []string{"a", "b", "c"}},
		{"a key held may still fail", 3, []fail{{"a", 0, 2}, {"b", time.Second, 3}, {"c", 2 * time.Second, 3}},
			fail{"a", 3 * time.Second, 1}, []string{"a", "b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := NewThrottle(3, time.Minute)
			th.limit = tt.limit
			for _, f := range append(tt.held, tt.fail) {
				for range f.n {
					th.Fail(f.key, t0.Add(f.at))
				}
			}
			if got, want := keys(th), fmt.Sprint(tt.want); got != want {
				t.Errorf("keys held = %s, want %s", got, want)
			}
		})
	}
}

// series is n failures of keys prefix0, prefix1, …, a second apart.
func series(prefix string, n, failures int) []fail {
	out := make([]fail, n)
	for i := range out {
		out[i] = fail{fmt.Sprint(prefix, i), time.Duration(i) * time.Second, failures}
	}
	return out
}

// names returns the keys that fail.
func names(fs []fail) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.key
	}
	return out
}

// TestThrottleFull: when every key held is at its limit, a new key waits
// until the first of them expires, and then finds room; the keys at their
// limit stay locked all along.
func TestThrottleFull(t *testing.T) {
	th := NewThrottle(2, time.Minute)
	th.limit = 2
	for _, k := range []string{"a", "b"} {
		th.Fail(k, t0)
		th.Fail(k, t0.Add(10*time.Second))
	}
	for _, at := range []time.Duration{20 * time.Second, 30 * time.Second} {
		now := t0.Add(at)
		if got, want := th.Wait("new", now), time.Minute-at; got != want {
			t.Errorf("at +%v, Wait(a new key) = %v, want %v, until the first key expires", at, got, want)
		}
		th.Fail("new", now)
		if got, want := th.Wait("a", now), time.Minute-at; got != want {
			t.Errorf("at +%v, Wait(a key at its limit) = %v, want %v", at, got, want)
		}
	}
	if got := keys(th); got != "[a b]" {
		t.Errorf("keys held = %s, want [a b]: a new key took the place of one at its limit", got)
	}
	if got := th.Wait("new", t0.Add(time.Minute)); got != 0 {
		t.Errorf("once the first key expired, Wait(a new key) = %v, want 0", got)
	}
}

// TestThrottleFullAfterTakeBack: a failure taken back can make room in a
// throttle full of keys at their limit.
func TestThrottleFullAfterTakeBack(t *testing.T) {
	th := NewThrottle(2, time.Minute)
	th.limit = 2
	th.Fail("a", t0)
	a := th.hold("a", t0)
	th.Fail("b", t0)
	th.Fail("b", t0)
	if got := th.Wait("new", t0); got != time.Minute {
		t.Fatalf("Wait(a new key) in a full throttle = %v, want %v", got, time.Minute)
	}
	th.takeBack("a", a)
	if got := th.Wait("new", t0); got != 0 {
		t.Errorf("Wait(a new key) after a failure was taken back = %v, want 0", got)
	}
}

// TestSignInThrottleFull: with the memory for an account from one client
// full of keys at their limit, a new client may still try the account,
// counted at the account; with the memory for accounts full of accounts
// at their limit, a new account must wait.
func TestSignInThrottleFull(t *testing.T) {
	th := NewSignInThrottle(SignInLimits{AccountClient: Limit{2, time.Hour}, AccountClientDay: Limit{2, time.Hour},
		Client: Limit{10, time.Hour}, Account: Limit{10, time.Hour}})
	th.accountClient.limit, th.accountClientDay.limit, th.account.limit = 2, 2, 2
	for _, client := range []string{"a", "b"} {
		th.Begin("x", client, t0)
		th.Begin("x", client, t0)
	}
	if _, err := th.Begin("x", "owner", t0); err != nil {
		t.Errorf("a new client, with every account-from-a-client key at its limit: %v, want it to try", err)
	}
	if got := th.account.keys[accountKey("x")].failures; got != 5 {
		t.Errorf("the account has %d failures, want 5, the new client's counted", got)
	}
	th = NewSignInThrottle(SignInLimits{AccountClient: Limit{2, time.Hour}, AccountClientDay: Limit{2, time.Hour},
		Client: Limit{10, time.Hour}, Account: Limit{10, time.Hour}})
	th.account.limit = 2
	for _, account := range []string{"y", "w"} {
		for i := range 10 {
			th.Begin(account, fmt.Sprint(account, i), t0)
		}
	}
	var tooMany *TooManyAttempts
	if _, err := th.Begin("z", "new", t0); !errors.As(err, &tooMany) || tooMany.Wait != time.Hour {
		t.Errorf("a new account, with every account key at its limit: %v, want a wait of an hour", err)
	}
}

// TestAccountLimitHeld checks the default sign-in limits against a flood:
// an account at its limit stays locked however many failures at made-up
// accounts, from however many clients, fill the throttle's memory.
func TestAccountLimitHeld(t *testing.T) {
	l := DefaultSignInLimits()
	th := NewSignInThrottle(l)
	const account = "admin@example.org"
	for i := range l.Account.Failures {
		if _, err := th.Begin(account, fmt.Sprint("guesser ", i/l.AccountClient.Failures), t0); err != nil {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	now := t0.Add(time.Hour)
	for i := range th.account.limit + th.account.limit/2 {
		th.Begin(fmt.Sprintf("made-up-%d@example.org", i), fmt.Sprint("flooder ", i/l.Client.Failures), now)
	}
	if n := len(th.account.keys); n > th.account.limit {
		t.Errorf("%d accounts held, more than the limit of %d", n, th.account.limit)
	}
	_, err := th.Begin(account, "a new client", now)
	if tooMany := (*TooManyAttempts)(nil); !errors.As(err, &tooMany) || tooMany.Wait != 23*time.Hour {
		t.Errorf("after %d failures at the account, then a flood of others, a new client: %v; want a wait of 23h",
			l.Account.Failures, err)
	}
}

// TestSignInKeysSmall: a long address sent to sign in with takes no more
// memory than a short one.
func TestSignInKeysSmall(t *testing.T) {
	th := NewSignInThrottle(DefaultSignInLimits())
	th.Begin(strings.Repeat("x", 1<<20)+"@example.org", "2001:db8:1:200::/56", t0)
	for _, tt := range []*Throttle{th.accountClient, th.accountClientDay, th.client, th.account} {
		for k := range tt.keys {
			if len(k) > 100 {
				t.Errorf("a key of %d bytes held", len(k))
			}
		}
	}
}

// BenchmarkThrottleFull measures recording failures of new keys in a
// throttle that holds as many keys as it may, of the longest kind (a
// client's IPv6 network and an account), and reports the memory a full
// throttle takes per key.
func BenchmarkThrottleFull(b *testing.B) {
	key := func(i int) string {
		return fmt.Sprintf("2001:db8:%x:%x00::/56 ", i>>8&0xffff, i&0xff) + accountKey(fmt.Sprint(i))
	}
	for _, bb := range []struct {
		name     string
		failures int // of each key held
	}{{"below_their_limit", 1}, {"at_their_limit", 5}} {
		b.Run(bb.name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			th := NewThrottle(5, time.Hour)
			for i := range th.limit {
				for range bb.failures {
					th.Fail(key(i), t0)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			i := th.limit
			for b.Loop() {
				th.Fail(key(i), t0)
				i++
			}
			if n := len(th.keys); n > th.limit {
				b.Fatalf("%d keys held, more than %d", n, th.limit)
			}
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(th.limit), "B/key")
		})
	}
}

// keys lists the keys a throttle holds, sorted.
func keys(th *Throttle) string {
	th.mu.Lock()
	defer th.mu.Unlock()
	return fmt.Sprint(slices.Sorted(maps.Keys(th.keys)))
}
