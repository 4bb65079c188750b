package auth

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
)

// TestThrottleBounded checks that a throttle never holds more keys than its
// limit, forgetting expired keys first.
func TestThrottleBounded(t *testing.T) {
	t0 := time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)
	th := NewThrottle(1, time.Minute)
	th.limit = 3

	t.Run("expired keys go first", func(t *testing.T) {
		th.Fail("a", t0)
		th.Fail("b", t0)
		th.Fail("c", t0.Add(30*time.Second))
		th.Fail("d", t0.Add(time.Minute)) // a and b have expired; c has not
		if got, want := keys(th), "[c d]"; got != want {
			t.Errorf("keys held = %s, want %s", got, want)
		}
		if got := th.Wait("c", t0.Add(time.Minute)); got != 30*time.Second {
			t.Errorf("Wait(c) = %v, want 30s: a live key was forgotten", got)
		}
	})

	t.Run("never above the limit", func(t *testing.T) {
		for i := range 50 {
			th.Fail(fmt.Sprint("key", i), t0.Add(2*time.Minute))
			if n := len(th.keys); n > th.limit {
				t.Fatalf("after %d failures of new keys, %d keys held, want at most %d", i+1, n, th.limit)
			}
		}
		if got := th.Wait("key49", t0.Add(2*time.Minute)); got != time.Minute {
			t.Errorf("Wait(newest key) = %v, want %v", got, time.Minute)
		}
	})

	t.Run("Wait forgets expired keys", func(t *testing.T) {
		th.Wait("key49", t0.Add(3*time.Minute))
		if _, ok := th.keys["key49"]; ok {
			t.Errorf("Wait() after the window kept the key")
		}
	})

	t.Run("default limit", func(t *testing.T) {
		if got := NewThrottle(5, time.Minute).limit; got != 100_000 {
			t.Errorf("NewThrottle().limit = %d, want 100000", got)
		}
	})
}

// keys lists the keys a throttle holds, sorted.
func keys(th *Throttle) string {
	th.mu.Lock()
	defer th.mu.Unlock()
	return fmt.Sprint(slices.Sorted(maps.Keys(th.keys)))
}
