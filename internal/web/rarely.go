package web

import (
	"sync/atomic"
	"time"
)

// rarely lets something happen at most once a period: a log line for an
// event that may come by the thousand, where a line for each would add to
// the trouble it reports.
type rarely struct {
	every time.Duration
	last  atomic.Int64 // when it last happened, in Unix nanoseconds
}

// now reports whether it may happen now, and if so counts it as having
// happened.
func (o *rarely) now() bool {
	now, last := time.Now().UnixNano(), o.last.Load()
	return now-last >= int64(o.every) && o.last.CompareAndSwap(last, now)
}
