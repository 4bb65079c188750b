package auth

import (
	"sync"
	"time"
)

// Throttle limits failed attempts per key (an account's email address, a
// client's network address). It lives only in memory: nothing about who
// tried to sign in from where is ever written down.
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

// Limit is how many failures a throttle allows in how long.
type Limit struct {
	Failures int
	Window   time.Duration
}

// SignInLimits are the limits on failed sign-ins. A stranger who knows an
// account's email address must not be able to lock its owner out, so an
// account is limited per client, and only many clients together reach its
// own limit; guessing is no easier than when each account allowed 5
// failures in 15 minutes, whatever the clients: 480 a day.
type SignInLimits struct {
	// AccountClient is an account from one client: a few mistakes, as its
	// owner makes them.
	AccountClient Limit
	// AccountClientDay is an account from one client over a day, well
	// below Account, so that one client alone never reaches that.
	AccountClientDay Limit
	// Client is one client, whatever accounts it tries.
	Client Limit
	// Account is an account from every client together: as many in a day
	// as the old per-account limit allowed.
	Account Limit
}

// DefaultSignInLimits are the limits the server uses: to lock an owner out
// takes ten clients or more.
func DefaultSignInLimits() SignInLimits {
	return SignInLimits{
		AccountClient:    Limit{5, 15 * time.Minute},
		AccountClientDay: Limit{48, 24 * time.Hour},
		Client:           Limit{30, 15 * time.Minute},
		Account:          Limit{480, 24 * time.Hour},
	}
}

// SignInThrottle applies SignInLimits to attempts to sign in to an account
// (its normalised email address, whether or not it exists) from a client
// (its network address).
type SignInThrottle struct {
	accountClient, accountClientDay, client, account *Throttle
}

// NewSignInThrottle returns a throttle with the limits given.
func NewSignInThrottle(l SignInLimits) *SignInThrottle {
	return &SignInThrottle{
		accountClient:    NewThrottle(l.AccountClient.Failures, l.AccountClient.Window),
		accountClientDay: NewThrottle(l.AccountClientDay.Failures, l.AccountClientDay.Window),
		client:           NewThrottle(l.Client.Failures, l.Client.Window),
		account:          NewThrottle(l.Account.Failures, l.Account.Window),
	}
}

// pair is the key of an account from a client.
func pair(account, client string) string { return client + " " + account }

// Wait returns how long the client must wait before trying the account
// again, or zero when it may try now.
func (t *SignInThrottle) Wait(account, client string, now time.Time) time.Duration {
	return max(t.accountClient.Wait(pair(account, client), now), t.accountClientDay.Wait(pair(account, client), now),
		t.client.Wait(client, now), t.account.Wait(account, now))
}

// Fail records a failed attempt at the account from the client.
func (t *SignInThrottle) Fail(account, client string, now time.Time) {
	t.accountClient.Fail(pair(account, client), now)
	t.accountClientDay.Fail(pair(account, client), now)
	t.client.Fail(client, now)
	t.account.Fail(account, now)
}

// Succeed forgets the client's failures at the account, such as its
// owner's mistakes. The account's own count is kept: an owner signing in
// does not give those guessing it more tries.
func (t *SignInThrottle) Succeed(account, client string) {
	t.accountClient.Succeed(pair(account, client))
	t.accountClientDay.Succeed(pair(account, client))
}
