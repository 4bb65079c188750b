package analysis

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Source is where indexes read responses from: the store.
type Source interface {
	// EachResponseFrom calls fn with every response to the survey sent on
	// the day from or later (every response for a zero from).
	EachResponseFrom(ctx context.Context, surveyID int64, from time.Time, fn func(survey.Response) error) error
	// DayCounts says how many responses the survey has, by day sent.
	DayCounts(ctx context.Context, surveyID int64) (map[time.Time]int, error)
}

// Indexes keeps an index of each survey's responses for reports: built the
// first time it is asked for, then kept current with the responses this
// program stores (Add) and caught up with those other instances store
// (Refresh).
type Indexes struct {
	src Source

	mu      sync.Mutex
	indexes map[int64]*indexEntry // by survey id
}

type indexEntry struct {
	version int           // the survey version whose definition it uses
	ready   chan struct{} // closed once built
	index   *Index
	err     error
}

// NewIndexes returns an empty set of indexes reading from src.
func NewIndexes(src Source) *Indexes {
	return &Indexes{src: src, indexes: map[int64]*indexEntry{}}
}

// Index returns the survey's index, building it the first time (and when
// the survey has a new version). Callers asking while it is built wait; a
// build that fails is tried again by the next caller.
func (xs *Indexes) Index(ctx context.Context, sv survey.Survey) (*Index, error) {
	xs.mu.Lock()
	entry, ok := xs.indexes[sv.ID]
	if !ok || entry.version != sv.Version {
		entry = &indexEntry{version: sv.Version, ready: make(chan struct{})}
		xs.indexes[sv.ID] = entry
		go func() {
			defer close(entry.ready)
			entry.index, entry.err = Load(sv.Definition, func(fn func(survey.Response) error) error {
				return xs.src.EachResponseFrom(context.WithoutCancel(ctx), sv.ID, time.Time{}, fn)
			})
			if entry.err != nil {
				xs.forget(sv.ID, entry)
			}
		}()
	}
	xs.mu.Unlock()
	select {
	case <-entry.ready:
		return entry.index, entry.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// forget drops the survey's entry, if it is still the one given, so that
// the next caller builds the index again.
func (xs *Indexes) forget(surveyID int64, entry *indexEntry) {
	xs.mu.Lock()
	if xs.indexes[surveyID] == entry {
		delete(xs.indexes, surveyID)
	}
	xs.mu.Unlock()
}

// built returns the survey's index if it has been built, else nil.
func (e *indexEntry) built() *Index {
	select {
	case <-e.ready:
		if e.err == nil {
			return e.index
		}
	default:
		// Still being built: the build reads what arrives meanwhile from
		// the source, or the next refresh does.
	}
	return nil
}

// Add puts a response just stored into its survey's index, if there is
// one.
func (xs *Indexes) Add(surveyID int64, r survey.Response) error {
	xs.mu.Lock()
	entry := xs.indexes[surveyID]
	xs.mu.Unlock()
	if entry == nil {
		return nil
	}
	if x := entry.built(); x != nil {
		return x.Add(r)
	}
	return nil
}

// Refresh brings every index built up to date with the source, as of now:
// the days whose counts differ are read again; an older day than
// yesterday that differs (an import) means building the index again on
// its next use.
func (xs *Indexes) Refresh(ctx context.Context, now time.Time) error {
	xs.mu.Lock()
	entries := maps.Clone(xs.indexes)
	xs.mu.Unlock()
	yesterday := survey.Day(now).AddDate(0, 0, -1)
	for id, entry := range entries {
		x := entry.built()
		if x == nil {
			continue
		}
		stored, err := xs.src.DayCounts(ctx, id)
		if err != nil {
			return err
		}
		changed := changedDays(stored, x.DayCounts())
		if len(changed) == 0 {
			continue
		}
		if slices.ContainsFunc(changed, func(d time.Time) bool { return d.Before(yesterday) }) {
			xs.forget(id, entry)
			continue
		}
		err = x.Reload(changed, func(fn func(survey.Response) error) error {
			return xs.src.EachResponseFrom(ctx, id, yesterday, func(r survey.Response) error {
				if slices.ContainsFunc(changed, func(d time.Time) bool { return d.Equal(survey.Day(r.SubmittedOn)) }) {
					return fn(r)
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// changedDays lists the days whose counts differ between the two.
func changedDays(stored, held map[time.Time]int) []time.Time {
	var changed []time.Time
	for day := range stored {
		if stored[day] != held[day] {
			changed = append(changed, day)
		}
	}
	for day := range held {
		if _, ok := stored[day]; !ok {
			changed = append(changed, day)
		}
	}
	return changed
}
