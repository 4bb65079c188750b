package auth

import (
	"cmp"
	"crypto/sha256"
	"slices"
	"sync"
	"time"
)

// Throttle limits failed attempts per key (an account's email address, a
// client's network address). It lives only in memory: nothing about who
// tried to sign in from where is ever written down.
//
// It holds at most a fixed number of keys, so that memory stays bounded.
// When that many are held it makes room by forgetting keys, but never one
// at its limit: first the expired keys, then those with the fewest
// failures, the oldest first, whose forgetting gives least away. Should
// every key held be at its limit, a new key must wait until the first of
// them expires: nobody new may try until then, which is better than
// letting those locked out try again. (A throttle may instead let new keys
// try uncounted then, where other throttles count the same attempts.)
// Filling a throttle with keys at their limit takes limit × max failures
// within one window.
type Throttle struct {
	max    int           // failures allowed in one window
	window time.Duration // how long failures are remembered
	limit  int           // keys held at most
	// passWhenFull lets a new key that finds no room try, uncounted,
	// rather than wait.
	passWhenFull bool

	mu   sync.Mutex
	keys map[string]*attempts
	// fullUntil, while it is after now, is when the first of the keys
	// held expires, each of them at its limit: until then there is no
	// room for a new key.
	fullUntil time.Time
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
// it may try now. A new key waits while there is no room for it.
func (t *Throttle) Wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if a, ok := t.keys[key]; ok {
		if end := a.since.Add(t.window); now.Before(end) {
			if a.failures >= t.max {
				return end.Sub(now)
			}
			return 0
		}
		delete(t.keys, key)
	}
	if wait := t.room(now); wait > 0 && !t.passWhenFull {
		return wait
	}
	return 0
}

// Fail records a failed attempt by key. A new key is not recorded while
// there is no room for it.
func (t *Throttle) Fail(key string, now time.Time) { t.hold(key, now) }

// hold records a failed attempt by key and returns the record it counts
// in, or nil when there is no room for a new key.
func (t *Throttle) hold(key string, now time.Time) *attempts {
	t.mu.Lock()
	defer t.mu.Unlock()
	a, ok := t.keys[key]
	if !ok && t.room(now) > 0 {
		return nil
	}
	if !ok || !now.Before(a.since.Add(t.window)) {
		a = &attempts{since: now}
		t.keys[key] = a
	}
	a.failures++
	return a
}

// takeBack removes a failure that was counted in the record a, unless the
// key's window has started again since.
func (t *Throttle) takeBack(key string, a *attempts) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if a == nil || t.keys[key] != a {
		return
	}
	if a.failures--; a.failures == 0 {
		delete(t.keys, key)
	}
	// The key is below its limit now, so it may make room.
	t.fullUntil = time.Time{}
}

// Succeed forgets key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// room returns zero when a new key may be held, making room if need be,
// or else how long until there is room. The caller holds t.mu.
func (t *Throttle) room(now time.Time) time.Duration {
	if len(t.keys) < t.limit {
		return 0
	}
	if !now.Before(t.fullUntil) {
		t.makeRoom(now)
	}
	if len(t.keys) < t.limit {
		return 0
	}
	return t.fullUntil.Sub(now)
}

// makeRoom forgets expired keys, then keys below their limit, the fewest
// failures and the oldest first, until a tenth of the keys that may be
// held are free, so that the next new keys need not look for room again;
// it never forgets a key at its limit. When every key is at its limit it
// sets fullUntil. The caller holds t.mu.
func (t *Throttle) makeRoom(now time.Time) {
	type open struct {
		key string
		*attempts
	}
	var below []open
	t.fullUntil = time.Time{}
	for k, a := range t.keys {
		switch end := a.since.Add(t.window); {
		case !now.Before(end):
			delete(t.keys, k)
		case a.failures < t.max:
			below = append(below, open{k, a})
		case t.fullUntil.IsZero() || end.Before(t.fullUntil):
			t.fullUntil = end
		}
	}
	excess := len(t.keys) - (t.limit - max(1, t.limit/10))
	if excess <= 0 {
		return
	}
	slices.SortFunc(below, func(x, y open) int {
		return cmp.Or(cmp.Compare(x.failures, y.failures), x.since.Compare(y.since))
	})
	for _, o := range below[:min(excess, len(below))] {
		delete(t.keys, o.key)
	}
	if len(t.keys) < t.limit {
		t.fullUntil = time.Time{}
	}
}

// TooManyAttempts is the error of an attempt a throttle refused: the next
// may be made after Wait.
type TooManyAttempts struct {
	Wait time.Duration
}

func (e *TooManyAttempts) Error() string { return "too many attempts: wait " + e.Wait.String() }

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
// (its network).
//
// Each limit holds at most 100,000 keys. Every failure costs a password
// check, some 30 ms of a core, so filling the account or the client limit
// with keys at their limit takes over 500 checks a second, all day or for
// 15 minutes, some sixteen cores doing nothing else. Should it happen, a
// new account or client waits until the first of them expires. The limits
// of an account from one client guard owners against strangers, not
// accounts against guessing, and the daily one is easier to fill (55
// checks a second for a day), so while one is full of keys at their limit
// a new client may try an account uncounted there: the attempt still
// counts at the client and at the account, and nobody is shut out.
type SignInThrottle struct {
	// mu makes Begin one step, so that attempts at the same time cannot
	// all find a limit not yet reached.
	mu sync.Mutex

	accountClient, accountClientDay, client, account *Throttle
}

// NewSignInThrottle returns a throttle with the limits given.
func NewSignInThrottle(l SignInLimits) *SignInThrottle {
	pairs := func(l Limit) *Throttle {
		th := NewThrottle(l.Failures, l.Window)
		th.passWhenFull = true
		return th
	}
	return &SignInThrottle{
		accountClient:    pairs(l.AccountClient),
		accountClientDay: pairs(l.AccountClientDay),
		client:           NewThrottle(l.Client.Failures, l.Client.Window),
		account:          NewThrottle(l.Account.Failures, l.Account.Window),
	}
}

// count is where an attempt counts: a throttle and its key there.
type count struct {
	throttle *Throttle
	key      string
	// forget says whether a success forgets the key's failures, or only
	// takes back its own.
	forget bool
}

// counts returns where an attempt at the account from the client counts.
// A success forgets the client's failures at the account, such as its
// owner's mistakes, but not the account's or the client's own: an owner
// signing in does not give those guessing it more tries.
func (t *SignInThrottle) counts(account, client string) [4]count {
	account = accountKey(account)
	pair := client + " " + account
	return [4]count{
		{t.accountClient, pair, true},
		{t.accountClientDay, pair, true},
		{t.client, client, false},
		{t.account, account, false},
	}
}

// accountKey is the key of an account: a digest of its address, so that
// every key is small however long an address a client sends.
func accountKey(account string) string {
	sum := sha256.Sum256([]byte(account))
	return string(sum[:])
}

// Attempt is an attempt to sign in, counted as failed until it succeeds.
type Attempt struct {
	t      *SignInThrottle
	counts [4]count
	held   [4]*attempts // the records it was counted in
}

// Begin counts an attempt to sign in to the account from the client as a
// failure, before its password is checked, so that no more attempts can be
// checked together than the limits allow; Succeed takes it back. It
// returns *TooManyAttempts, and counts nothing, when a limit is reached.
func (t *SignInThrottle) Begin(account, client string, now time.Time) (*Attempt, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := &Attempt{t: t, counts: t.counts(account, client)}
	var wait time.Duration
	for _, c := range a.counts {
		wait = max(wait, c.throttle.Wait(c.key, now))
	}
	if wait > 0 {
		return nil, &TooManyAttempts{Wait: wait}
	}
	// Wait made room for every key, or let it pass uncounted.
	for i, c := range a.counts {
		a.held[i] = c.throttle.hold(c.key, now)
	}
	return a, nil
}

// Succeed records that the attempt's password was right: the failure it
// was counted as is taken back, and the client's failures at the account
// are forgotten.
func (a *Attempt) Succeed() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	for i, c := range a.counts {
		if c.forget {
			c.throttle.Succeed(c.key)
		} else {
			c.throttle.takeBack(c.key, a.held[i])
		}
	}
}
