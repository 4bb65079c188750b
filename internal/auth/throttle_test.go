package auth_test

import (
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
