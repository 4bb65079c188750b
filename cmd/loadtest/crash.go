package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The crash test kills the server with SIGKILL, again and again, while
// respondents send answers, and restarts it each time on the same
// database and address. A respondent whose answers were cut off by a kill
// sends them again with the same state, and so the same one-time
// submission key, until they are acknowledged, as a person would press
// Send again. At the end every response acknowledged must be stored
// exactly once, nothing else stored, and the database intact.

// markerQuestion is the free-text question, asked of everyone, whose answer
// carries a marker of each submission's own, so that what was stored can
// be matched with what was acknowledged.
const markerQuestion = "toolkit_ideas"

// setup is what a run works with: the toolkit built, a new database, a
// folder for the server's files, and how to describe them.
type setup struct {
	bin, dsn, dir       string
	engine, machineLoad string
}

// crashRun is what the respondents of a crash test share.
type crashRun struct {
	surveyURL string
	def       *survey.Definition
	stopping  atomic.Bool // the kills are over: finish what is in hand

	mu       sync.Mutex
	acked    map[string]bool // the markers of acknowledged submissions
	resent   int             // acknowledged after a kill cut them off
	failures []string        // answers other than thanks, refusal or a cut-off
}

func crash(ctx context.Context, o options, out io.Writer, su setup, def *survey.Definition) error {
	fmt.Fprintln(out, "Starting toolkit serve…")
	srv, err := startServer(ctx, su.bin, su.dsn, su.dir, "127.0.0.1:0")
	if err != nil {
		return err
	}
	u, err := url.Parse(srv.url)
	if err != nil {
		srv.kill()
		return err
	}
	cr := &crashRun{surveyURL: srv.url + "/s/" + demo.SurveySlug, def: def, acked: map[string]bool{}}
	respondents, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range o.concurrency {
		wg.Go(func() { cr.respond(respondents, i) })
	}
	defer func() {
		stop()
		srv.kill()
		wg.Wait()
	}()

	fmt.Fprintf(out, "Killing it with SIGKILL %d times while %d respondents send answers…\n", o.crash, o.concurrency)
	rng := mathrand.New(mathrand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var restarts []time.Duration
	for range o.crash {
		// Once every respondent can have sent again, at a moment of chance.
		if err := cr.waitForAcks(ctx, cr.acknowledged()+o.concurrency); err != nil {
			return err
		}
		time.Sleep(time.Duration(rng.IntN(500)) * time.Millisecond)
		srv.kill()
		start := time.Now()
		if srv, err = startServer(ctx, su.bin, su.dsn, su.dir, u.Host); err != nil {
			return fmt.Errorf("restarting after a kill: %w", err)
		}
		restarts = append(restarts, time.Since(start))
	}
	cr.stopping.Store(true)
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(2 * time.Minute):
		return errors.New("answers cut off by the last kill were still not acknowledged 2 minutes later")
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := srv.stop(); err != nil {
		return fmt.Errorf("stopping the server: %w", err)
	}

	responses, keys, checkErr := storetest.Check(ctx, su.dsn)
	stored, err := storedMarkers(ctx, su.dsn)
	if err != nil {
		return err
	}
	problems := compare(cr.acked, stored)

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	printMachine(tw, su.machineLoad, su.engine)
	fmt.Fprintf(tw, "server\ttoolkit serve %s\n", serverFlags)
	fmt.Fprintf(tw, "crash test\t%d kills with SIGKILL, %d respondents sending answers at a time\n", o.crash, o.concurrency)
	slices.Sort(restarts)
	fmt.Fprintf(tw, "restarts\tlistening again %s after a kill (median), %s at the most\n",
		ms(restarts[len(restarts)/2]), ms(restarts[len(restarts)-1]))
	fmt.Fprintf(tw, "acknowledged\t%d responses, %d of them sent again after a kill cut them off\n", len(cr.acked), cr.resent)
	fmt.Fprintf(tw, "stored\t%d responses, %d submission keys\n", responses, keys)
	fmt.Fprintf(tw, "check\t%s  every acknowledged response stored exactly once, and nothing else\n", verdict(len(problems) == 0))
	integrity := "the database reads whole"
	if store.IsPostgres(su.dsn) {
		integrity = "every row of responses and submission keys counted"
	} else if checkErr == nil {
		integrity = "PRAGMA integrity_check ok, no foreign key broken"
	}
	fmt.Fprintf(tw, "\t%s  %s\n", verdict(checkErr == nil), integrity)
	fmt.Fprintf(tw, "\t%s  one submission key for each response\n", verdict(checkErr == nil && keys == responses))
	fmt.Fprintf(tw, "\t%s  no answer but thanks, a refusal or a cut-off (%d others)\n", verdict(len(cr.failures) == 0), len(cr.failures))
	tw.Flush()
	for _, p := range append(problems, cr.failures...)[:min(10, len(problems)+len(cr.failures))] {
		fmt.Fprintln(out, "problem:", p)
	}
	if lines := srv.logHead(5); lines != "" {
		fmt.Fprintf(out, "The server logged:\n%s", lines)
	}
	switch {
	case checkErr != nil:
		return checkErr
	case len(problems) > 0 || keys != responses || len(cr.failures) > 0:
		return errors.New("the crash test failed")
	case len(cr.acked) == 0:
		return errors.New("no response was acknowledged")
	}
	return nil
}

// respond sends complete answers, one set after another, each with a
// marker of its own; answers cut off are sent again until acknowledged.
func (cr *crashRun) respond(ctx context.Context, id int) {
	c := newClient()
	defer c.CloseIdleConnections()
	rng := mathrand.New(mathrand.NewPCG(uint64(id), 2))
	pause := func() { time.Sleep(20 * time.Millisecond) }
	var (
		marker, body, state string
		cutOff              bool
	)
	for seq := 0; ctx.Err() == nil; {
		if marker == "" {
			if cr.stopping.Load() {
				return
			}
			a, err := randomAnswers(cr.def, rng)
			if err != nil {
				cr.fail(err)
				return
			}
			marker, state, cutOff = fmt.Sprintf("crash test %d-%d", id, seq), "", false
			seq++
			a[markerQuestion] = marker
			body = submission(cr.def, a)
		}
		if state == "" {
			page, err := send(c, http.MethodGet, cr.surveyURL, "")
			if err == nil && page.status == http.StatusOK {
				state = hiddenFields(page.body).Get("state")
			} else if err == nil && !errors.As(page.unexpected(http.StatusOK), new(refusal)) {
				cr.fail(page.unexpected(http.StatusOK))
			}
			if state == "" {
				pause() // the server is down, or busy
			}
			continue
		}
		sent, err := send(c, http.MethodPost, cr.surveyURL, "state="+url.QueryEscape(state)+"&"+body)
		if err != nil {
			// Cut off, by a kill: it may or may not have been stored.
			// The same state sends the same submission key again.
			cutOff = true
			pause()
			continue
		}
		switch err := sent.thanked(); {
		case err == nil:
			cr.acknowledge(marker, cutOff)
			marker = ""
		case errors.As(err, new(refusal)):
			pause()
		default:
			cr.fail(err)
			marker = ""
		}
	}
}

func (cr *crashRun) acknowledge(marker string, cutOff bool) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	cr.acked[marker] = true
	if cutOff {
		cr.resent++
	}
}

func (cr *crashRun) acknowledged() int {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return len(cr.acked)
}

func (cr *crashRun) fail(err error) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	cr.failures = append(cr.failures, err.Error())
}

// waitForAcks waits until n responses have been acknowledged, for a
// minute at the most.
func (cr *crashRun) waitForAcks(ctx context.Context, n int) error {
	for deadline := time.Now().Add(time.Minute); cr.acknowledged() < n; time.Sleep(5 * time.Millisecond) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after a minute, %d responses acknowledged, not yet %d: the server does not take answers", cr.acknowledged(), n)
		}
	}
	return nil
}

// storedMarkers counts the demo survey's stored responses by the marker
// they carry ("" for none).
func storedMarkers(ctx context.Context, dsn string) (map[string]int, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	sv, err := db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		return nil, err
	}
	stored := map[string]int{}
	err = db.EachResponse(ctx, sv.ID, store.ResponseFilter{}, 0, 0, func(r survey.Response) error {
		stored[r.Answers[markerQuestion]]++
		return nil
	})
	return stored, err
}

// compare lists what differs between the markers acknowledged and those
// stored: each acknowledged one must be stored once, and no other.
func compare(acked map[string]bool, stored map[string]int) []string {
	var problems []string
	for m := range acked {
		if n := stored[m]; n != 1 {
			problems = append(problems, fmt.Sprintf("%q: acknowledged, stored %s", m, times(n)))
		}
	}
	for m, n := range stored {
		if !acked[m] {
			problems = append(problems, fmt.Sprintf("%q: stored %s, never acknowledged", m, times(n)))
		}
	}
	slices.Sort(problems)
	return problems
}

func times(n int) string {
	switch n {
	case 0:
		return "not at all"
	case 1:
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}
