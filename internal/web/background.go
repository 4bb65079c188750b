package web

import (
	"context"
	"sync"
	"time"
)

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
		if _, err := s.indexes.Index(ctx, sv); err != nil && ctx.Err() == nil {
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
			if err := s.indexes.Refresh(ctx, s.now()); err != nil && ctx.Err() == nil {
				s.log.Error("refreshing the response indexes", "err", err)
			}
		}
	}
}
