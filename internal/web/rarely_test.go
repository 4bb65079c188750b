package web

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRarely(t *testing.T) {
	o := rarely{every: time.Hour}
	var happened atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if o.now() {
				happened.Add(1)
			}
		})
	}
	wg.Wait()
	if n := happened.Load(); n != 1 {
		t.Errorf("50 at once, once an hour: happened %d times, want 1", n)
	}
	often := rarely{every: time.Nanosecond}
	often.now()
	time.Sleep(time.Millisecond)
	if !often.now() {
		t.Error("once the period has passed, it does not happen again")
	}
}
