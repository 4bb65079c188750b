package auth

import (
	"sync"
	"time"
)

// Throttle limits failed sign-in attempts per key (an account's email
// address, a client's network address). It lives only in memory: nothing
// about who tried to sign in from where is ever written down.
type Throttle struct {
	max    int           // failures allowed in one window
	window time.Duration // how long failures are remembered
	limit  int           // keys held at most, so memory stays bounded

	mu   sync.Mutex
	keys map[string]*attempts
}

type attempts struct {
	failures int
	since    time.Time // the first failure of the current window
}

// NewThrottle returns a throttle that refuses a key after max failures
// within window, until window has passed since the first of them.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{max: max, window: window, limit: 100_000, keys: make(map[string]*attempts)}
}

// Wait returns how long key must wait before another attempt, or zero when
// it may try now.
func (t *Throttle) Wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	a, ok := t.keys[key]
	if !ok {
		return 0
	}
	if end := a.since.Add(t.window); !now.Before(end) {
		delete(t.keys, key)
		return 0
	} else if a.failures >= t.max {
		return end.Sub(now)
	}
	return 0
}

// Fail records a failed attempt by key.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a, ok := t.keys[key]
	if !ok || !now.Before(a.since.Add(t.window)) {
		if len(t.keys) >= t.limit {
			t.forgetExpired(now)
		}
		a = &attempts{since: now}
		t.keys[key] = a
	}
	a.failures++
}

// Succeed forgets key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// forgetExpired drops keys whose window has passed; if every key is still
// live, it drops them all rather than grow without bound. The caller holds
// t.mu.
func (t *Throttle) forgetExpired(now time.Time) {
	for k, a := range t.keys {
		if !now.Before(a.since.Add(t.window)) {
			delete(t.keys, k)
		}
	}
	if len(t.keys) >= t.limit {
		clear(t.keys)
	}
}
