package web

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// evidence keeps an analysis index of each survey's responses: built once,
// then kept current as responses arrive here, and caught up with those
// other instances store.
type evidence struct {
	db *store.DB

	mu      sync.Mutex
	indexes map[int64]*indexEntry // by survey id
}

type indexEntry struct {
	version int           // the survey version whose definition it uses
	ready   chan struct{} // closed once built
	index   *analysis.Index
	err     error
}

func newEvidence(db *store.DB) *evidence {
	return &evidence{db: db, indexes: map[int64]*indexEntry{}}
}

// index returns the survey's index, building it the first time (and when
// the survey has a new version). Callers asking while it is built wait.
func (e *evidence) index(ctx context.Context, sv survey.Survey) (*analysis.Index, error) {
	e.mu.Lock()
	entry, ok := e.indexes[sv.ID]
	if !ok || entry.version != sv.Version {
		entry = &indexEntry{version: sv.Version, ready: make(chan struct{})}
		e.indexes[sv.ID] = entry
		go func() {
			defer close(entry.ready)
			entry.index, entry.err = e.load(context.WithoutCancel(ctx), sv)
			if entry.err != nil {
				e.mu.Lock()
				if e.indexes[sv.ID] == entry {
					delete(e.indexes, sv.ID) // try again next time
				}
				e.mu.Unlock()
			}
		}()
	}
	e.mu.Unlock()
	select {
	case <-entry.ready:
		return entry.index, entry.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (e *evidence) load(ctx context.Context, sv survey.Survey) (*analysis.Index, error) {
	return analysis.Load(sv.Definition, func(fn func(survey.Response) error) error {
		return e.db.EachResponse(ctx, sv.ID, store.ResponseFilter{}, 0, 0, fn)
	})
}

// add puts a response just stored into its survey's index, if there is
// one for the version answered's survey.
func (e *evidence) add(surveyID int64, r survey.Response) {
	e.mu.Lock()
	entry := e.indexes[surveyID]
	e.mu.Unlock()
	if entry == nil {
		return
	}
	select {
	case <-entry.ready:
		if entry.err == nil {
			entry.index.Add(r)
		}
	default:
		// Still being built: the build reads it from the store, or the
		// next refresh does.
	}
}

// refresh brings every index up to date with the store: the days whose
// counts differ are read again; an older day that differs (an import)
// means building the index again.
func (e *evidence) refresh(ctx context.Context, now time.Time) error {
	e.mu.Lock()
	entries := maps.Clone(e.indexes)
	e.mu.Unlock()
	yesterday := survey.Day(now).AddDate(0, 0, -1)
	for id, entry := range entries {
		select {
		case <-entry.ready:
		default:
			continue
		}
		if entry.err != nil {
			continue
		}
		stored, err := e.db.DayCounts(ctx, id)
		if err != nil {
			return err
		}
		held := entry.index.DayCounts()
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
		if len(changed) == 0 {
			continue
		}
		if slices.ContainsFunc(changed, func(d time.Time) bool { return d.Before(yesterday) }) {
			e.mu.Lock()
			if e.indexes[id] == entry {
				delete(e.indexes, id) // built again on next use
			}
			e.mu.Unlock()
			continue
		}
		err = entry.index.Reload(changed, func(fn func(survey.Response) error) error {
			return e.db.EachResponse(ctx, id, store.ResponseFilter{From: yesterday}, 0, 0, func(r survey.Response) error {
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

// refreshEvery is how often an instance catches up with responses others
// stored.
const refreshEvery = 30 * time.Second

// Run does the server's work in the background until ctx ends: building
// every survey's index at start, then keeping them current; and deleting
// expired saved answers.
func (s *Server) Run(ctx context.Context) {
	var sweeping sync.WaitGroup
	defer sweeping.Wait()
	sweeping.Go(func() { s.sweepDrafts(ctx) })
	surveys, err := s.db.Surveys(ctx)
	if err != nil {
		s.log.Error("listing surveys to index", "err", err)
	}
	for _, sv := range surveys {
		if _, err := s.evidence.index(ctx, sv); err != nil && ctx.Err() == nil {
			s.log.Error("indexing responses", "survey", sv.Slug, "err", err)
		}
	}
	tick := time.NewTicker(refreshEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := s.evidence.refresh(ctx, s.now()); err != nil && ctx.Err() == nil {
				s.log.Error("refreshing the response indexes", "err", err)
			}
		}
	}
}
