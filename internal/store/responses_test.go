package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"modernc.org/sqlite"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// eachWithDSN is storetest.Each for tests that open their database a
// second time: fn also gets where the database is.
func eachWithDSN(t *testing.T, fn func(t *testing.T, db *store.DB, dsn string)) {
	t.Helper()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			fn(t, storetest.OpenDSN(t, dsn), dsn)
		})
	}
}

// answered is a response of the test survey's first version, live, by the
// London channel, with answers that tell it apart.
func answered(i int) survey.Response {
	return survey.Response{Version: 1, Phase: survey.Live, Channel: "london", Language: "en", SubmittedOn: start,
		Answers: survey.Answers{"consent": "yes", "role": "data", "old_q": fmt.Sprintf("answer %d", i)}}
}

// keyHash stands for the hash of the i-th one-time submission key.
func keyHash(i int) string { return auth.HashToken(fmt.Sprintf("key %d", i)) }

// submitting calls SubmitResponse in a goroutine; its error arrives on the
// channel returned.
func submitting(db *store.DB, surveyID int64, r survey.Response, key string) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := db.SubmitResponse(context.Background(), surveyID, r, key)
		done <- err
	}()
	return done
}

func mustSubmit(t *testing.T, db *store.DB, surveyID int64, r survey.Response, key string) survey.Response {
	t.Helper()
	r, err := db.SubmitResponse(t.Context(), surveyID, r, key)
	if err != nil {
		t.Fatalf("SubmitResponse(%d, %q) = %v", surveyID, r.Answers, err)
	}
	return r
}

// mustResponses returns the responses EachResponse gives.
func mustResponses(t *testing.T, db *store.DB, surveyID int64, f store.ResponseFilter, offset, limit int) []survey.Response {
	t.Helper()
	var out []survey.Response
	err := db.EachResponse(t.Context(), surveyID, f, offset, limit, func(r survey.Response) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("EachResponse(%d, %+v, %d, %d) = %v", surveyID, f, offset, limit, err)
	}
	return out
}

func responseIDs(rs []survey.Response) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// waitUntil waits until cond holds. It polls: what it waits for happens in
// goroutines of the store that say nothing when they get there.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// queued returns how many submissions wait for the response writer. It
// reads the length of the store's queue by reflection: the store has no
// reason to show it, and the tests need it to know that a burst is queued
// before they let the writer go.
func queued(t *testing.T, db *store.DB) int {
	t.Helper()
	q := reflect.ValueOf(db).Elem().FieldByName("submissions")
	if q.Kind() != reflect.Chan {
		t.Fatal("store.DB has no submissions channel any more: update queued")
	}
	if q.IsNil() {
		return 0
	}
	return q.Len()
}

// A writerHold stops the response writer in its next transaction until it
// is released, so that a test can queue submissions behind it; and it
// counts the transactions that store responses. On SQLite the writer's
// connection has a commit hook that waits; on PostgreSQL a second
// connection locks the responses table.
type writerHold struct {
	db *store.DB

	// SQLite
	probe      *commitProbe
	open, held chan struct{} // of the hold under way

	// PostgreSQL
	lockDB *sql.DB
	lockTx *sql.Tx
}

// commitProbes are the probes of SQLite databases, by the escaped path in
// their DSN. The connection hook below puts a probe's commit hook on each
// writing connection to a file that has one.
var commitProbes sync.Map

func init() {
	sqlite.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, dsn string) error {
		if strings.Contains(dsn, "query_only(1)") {
			return nil
		}
		path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
		p, ok := commitProbes.Load(path)
		if !ok {
			return nil
		}
		hooks, ok := c.(sqlite.HookRegisterer)
		if !ok {
			return errors.New("the SQLite connection takes no hooks")
		}
		hooks.RegisterCommitHook(p.(*commitProbe).onCommit)
		return nil
	})
}

// commitProbe counts a SQLite connection's commits, and can make one wait.
type commitProbe struct {
	commits atomic.Int64
	mu      sync.Mutex
	open    chan struct{} // if set, the next commit waits until it is closed
	held    chan struct{} // closed when that commit waits
}

func (p *commitProbe) onCommit() int32 {
	p.mu.Lock()
	open, held := p.open, p.held
	p.open, p.held = nil, nil
	p.mu.Unlock()
	if open != nil {
		close(held)
		<-open
	}
	p.commits.Add(1)
	return 0 // go on with the commit
}

// eachHeld is eachWithDSN with a writerHold for the database.
func eachHeld(t *testing.T, fn func(t *testing.T, db *store.DB, dsn string, w *writerHold)) {
	t.Helper()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			w := &writerHold{}
			if e == store.SQLite {
				w.probe = &commitProbe{}
				key := (&url.URL{Path: dsn}).EscapedPath()
				commitProbes.Store(key, w.probe)
				t.Cleanup(func() { commitProbes.Delete(key) })
			}
			w.db = storetest.OpenDSN(t, dsn)
			if e == store.Postgres {
				w.notePostgresTransactions(t, dsn)
			}
			fn(t, w.db, dsn, w)
		})
	}
}

// notePostgresTransactions makes every response inserted note the id of
// its transaction, and opens the connection that locks the writer out.
func (w *writerHold) notePostgresTransactions(t *testing.T, dsn string) {
	t.Helper()
	for _, q := range []string{
		`CREATE TABLE test_transactions (txid BIGINT NOT NULL)`,
		`CREATE FUNCTION test_note_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN INSERT INTO test_transactions VALUES (txid_current()); RETURN NULL; END $$`,
		`CREATE TRIGGER test_note_transaction AFTER INSERT ON responses
			FOR EACH ROW EXECUTE FUNCTION test_note_transaction()`,
	} {
		if err := w.db.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var err error
	if w.lockDB, err = sql.Open("pgx", dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.lockDB.Close() })
}

// hold makes the writer's next transaction wait until release.
func (w *writerHold) hold(t *testing.T) {
	t.Helper()
	if w.probe != nil {
		w.open, w.held = make(chan struct{}), make(chan struct{})
		w.probe.mu.Lock()
		w.probe.open, w.probe.held = w.open, w.held
		w.probe.mu.Unlock()
		open := w.open
		t.Cleanup(func() { closeOnce(open) })
		return
	}
	tx, err := w.lockDB.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.lockTx = tx
	t.Cleanup(func() { tx.Rollback() })
	if _, err := tx.Exec(`LOCK TABLE responses IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
}

// waitHeld waits until the writer waits in its transaction.
func (w *writerHold) waitHeld(t *testing.T) {
	t.Helper()
	if w.probe != nil {
		select {
		case <-w.held:
		case <-time.After(10 * time.Second):
			t.Fatal("gave up waiting for the writer to commit")
		}
		return
	}
	waitUntil(t, "the writer waits for the lock on the responses table", func() bool {
		// An insert waiting, not autovacuum.
		return count(t, w.db, `SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND mode = 'RowExclusiveLock'
			AND relation = 'responses'::regclass
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`) > 0
	})
}

// release lets the writer go on.
func (w *writerHold) release(t *testing.T) {
	t.Helper()
	if w.probe != nil {
		closeOnce(w.open)
		return
	}
	if err := w.lockTx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

// transactions counts the transactions that have stored responses (on
// SQLite: every commit of the writing connection, which in these tests
// only the response writer uses once the survey is imported).
func (w *writerHold) transactions(t *testing.T) int64 {
	t.Helper()
	if w.probe != nil {
		return w.probe.commits.Load()
	}
	return count(t, w.db, `SELECT COUNT(DISTINCT txid) FROM test_transactions`)
}

func TestSubmitResponse(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	tests := []struct {
		name string
		r    survey.Response
		want survey.Response // without the id, which is made up when not given
	}{
		{
			name: "live, by a channel",
			r:    answered(1),
			want: survey.Response{Version: 1, Phase: survey.Live, Channel: "london", Language: "en",
				SubmittedOn: time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC), Answers: answered(1).Answers},
		},
		{
			name: "pilot, no channel, last second of the day",
			r: survey.Response{Version: 2, Phase: survey.Pilot, Channel: survey.UnknownChannel, Language: "es",
				SubmittedOn: time.Date(2026, time.March, 2, 23, 59, 59, 999_999_999, time.UTC),
				Answers:     survey.Answers{"consent": "yes", "barriers": "money time network"}},
			want: survey.Response{Version: 2, Phase: survey.Pilot, Channel: survey.UnknownChannel, Language: "es",
				SubmittedOn: time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC),
				Answers:     survey.Answers{"consent": "yes", "barriers": "money time network"}},
		},
		{
			name: "another time zone: the day in UTC",
			r: survey.Response{Version: 1, Phase: survey.Live, Channel: "nairobi", Language: "ar",
				SubmittedOn: time.Date(2026, time.March, 3, 2, 0, 0, 0, zone), Answers: survey.Answers{}},
			want: survey.Response{Version: 1, Phase: survey.Live, Channel: "nairobi", Language: "ar",
				SubmittedOn: time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC), Answers: survey.Answers{}},
		},
		{
			name: "every kind of text",
			r: survey.Response{Version: 1, Phase: survey.Live, Channel: "london", Language: "pt-BR", SubmittedOn: start,
				Answers: survey.Answers{"old_q": "Ñandú – “quoted”, 'single', \\ back\nnew line\ttab 🙂 العربية", "empty": ""}},
			want: survey.Response{Version: 1, Phase: survey.Live, Channel: "london", Language: "pt-BR", SubmittedOn: survey.Day(start),
				Answers: survey.Answers{"old_q": "Ñandú – “quoted”, 'single', \\ back\nnew line\ttab 🙂 العربية", "empty": ""}},
		},
		{
			name: "an id given is kept",
			r: survey.Response{ID: "given0id0abcdefg", Version: 1, Phase: survey.Live, Channel: "london", Language: "en",
				SubmittedOn: start, Answers: survey.Answers{"consent": "no"}},
			want: survey.Response{ID: "given0id0abcdefg", Version: 1, Phase: survey.Live, Channel: "london", Language: "en",
				SubmittedOn: survey.Day(start), Answers: survey.Answers{"consent": "no"}},
		},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		want := map[string]survey.Response{}
		for i, tt := range tests {
			got := mustSubmit(t, db, s.ID, tt.r, keyHash(i))
			if tt.r.ID == "" && !regexp.MustCompile(`^[a-z2-7]{16}$`).MatchString(got.ID) {
				t.Errorf("SubmitResponse(%s) made up the id %q, want 16 characters of lower-case base32", tt.name, got.ID)
			}
			if tt.r.ID != "" && got.ID != tt.r.ID {
				t.Errorf("SubmitResponse(%s) = id %q, want the id given, %q", tt.name, got.ID, tt.r.ID)
			}
			w := tt.want
			w.ID = got.ID
			want[got.ID] = w
		}
		got := mustResponses(t, db, s.ID, store.ResponseFilter{}, 0, 0)
		byID := map[string]survey.Response{}
		for _, r := range got {
			byID[r.ID] = r
		}
		if diff := cmp.Diff(want, byID); diff != "" {
			t.Errorf("EachResponse after SubmitResponse mismatch (-want +got):\n%s", diff)
		}
		if !slices.IsSorted(responseIDs(got)) {
			t.Errorf("EachResponse gave ids %q, want them in order", responseIDs(got))
		}
	})
}

// TestAnswersWithNUL stores answers holding the NUL character, which a
// respondent can send though nobody types it. PostgreSQL cannot read it out
// of JSON: one such answer made every open-text question's answers fail to
// list there. The answers are kept with U+FFFD in its place, alike on both
// engines.
func TestAnswersWithNUL(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustInsightSurvey(t, db, "careers")
		sent := storyResponse("sent", 0, "No\x00 mentor\x00")
		sent.Answers["old_q"] = "\x00"
		sent = mustSubmit(t, db, s.ID, sent, keyHash(1))
		imported := storyResponse("imported", 1, "Paid \x00less.")
		mustImportResponses(t, db, s, imported)

		want := map[string]survey.Answers{
			"sent":     {"consent": "yes", "story": "No\uFFFD mentor\uFFFD", "old_q": "\uFFFD"},
			"imported": {"consent": "yes", "story": "Paid \uFFFDless."},
		}
		got := map[string]survey.Answers{}
		for _, r := range mustResponses(t, db, s.ID, store.ResponseFilter{}, 0, 0) {
			got[r.ID] = r.Answers
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("EachResponse of answers sent with NUL characters mismatch (-want +got):\n%s", diff)
		}
		answers, total, err := db.TextAnswers(ctx, s.ID, "story", store.ResponseFilter{}, 0, 0)
		wantAnswers := []insights.TextAnswer{
			{ResponseID: "sent", Text: "No\uFFFD mentor\uFFFD", SubmittedOn: day(0)},
			{ResponseID: "imported", Text: "Paid \uFFFDless.", SubmittedOn: day(1)},
		}
		if diff := cmp.Diff(wantAnswers, answers); diff != "" || total != 2 || err != nil {
			t.Errorf("TextAnswers(story) = total %d, %v; mismatch (-want +got):\n%s", total, err, diff)
		}
	})
}

func TestSubmitResponseDuplicate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		other := mustImport(t, db, mustDefinition(t, "other", "Other", version1...))
		first := mustSubmit(t, db, s.ID, answered(1), keyHash(1))

		tests := []struct {
			name     string
			surveyID int64
			r        survey.Response
		}{
			{"same answers again", s.ID, answered(1)},
			{"other answers", s.ID, answered(2)},
			{"same id", s.ID, first},
			{"another survey", other.ID, answered(3)},
		}
		for _, tt := range tests {
			if _, err := db.SubmitResponse(ctx, tt.surveyID, tt.r, keyHash(1)); !errors.Is(err, store.ErrDuplicate) {
				t.Errorf("SubmitResponse(%s) with a key used before = %v, want %v", tt.name, err, store.ErrDuplicate)
			}
		}
		got := mustResponses(t, db, s.ID, store.ResponseFilter{}, 0, 0)
		if len(got) != 1 || got[0].ID != first.ID || got[0].Answers["old_q"] != "answer 1" {
			t.Errorf("after repeated submits with one key the survey has %+v, want only the first response", got)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM responses`); n != 1 {
			t.Errorf("%d responses stored, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM submission_keys`); n != 1 {
			t.Errorf("%d submission keys stored, want 1", n)
		}
		// Another key is another response.
		mustSubmit(t, db, s.ID, answered(1), keyHash(2))
		if n := count(t, db, `SELECT COUNT(*) FROM responses`); n != 2 {
			t.Errorf("%d responses stored after a submit with a new key, want 2", n)
		}
	})
}

// TestSubmitResponseConcurrent submits from many goroutines at once, as a
// busy server would, some of them twice with one key.
func TestSubmitResponseConcurrent(t *testing.T) {
	t.Parallel()
	const n, repeated = 200, 20 // the last 20 reuse the first 20 keys
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, errs[i] = db.SubmitResponse(context.Background(), s.ID, answered(i), keyHash(i%(n-repeated)))
			})
		}
		wg.Wait()
		for i := range n - repeated {
			j := i + n - repeated
			switch {
			case i < repeated && !(errs[i] == nil && errors.Is(errs[j], store.ErrDuplicate) ||
				errs[j] == nil && errors.Is(errs[i], store.ErrDuplicate)):
				t.Errorf("two submits with key %d = %v and %v, want one stored and one %v", i, errs[i], errs[j], store.ErrDuplicate)
			case i >= repeated && errs[i] != nil:
				t.Errorf("submit %d = %v", i, errs[i])
			}
		}
		if got := count(t, db, `SELECT COUNT(*) FROM responses`); got != n-repeated {
			t.Errorf("%d responses stored, want %d", got, n-repeated)
		}
		if got, err := db.CountResponses(t.Context(), s.ID, store.ResponseFilter{}); got != n-repeated || err != nil {
			t.Errorf("CountResponses() = %d, %v; want %d", got, err, n-repeated)
		}
	})
}

// TestSubmitResponseBatches holds the writer while bursts queue behind it,
// to see how it writes them.
func TestSubmitResponseBatches(t *testing.T) {
	t.Parallel()
	eachHeld(t, func(t *testing.T, db *store.DB, _ string, w *writerHold) {
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		mustSubmit(t, db, s.ID, answered(0), keyHash(0)) // starts the writer
		next := 1
		// burst holds the writer in a transaction with one submission,
		// queues the others behind it in order, lets the writer go, and
		// returns the errors of the queued ones.
		burst := func(t *testing.T, rs []survey.Response, surveyIDs []int64) []error {
			t.Helper()
			w.hold(t)
			first := submitting(db, s.ID, answered(next), keyHash(next))
			next++
			w.waitHeld(t)
			var done []<-chan error
			for i, r := range rs {
				done = append(done, submitting(db, surveyIDs[i], r, keyHash(next)))
				next++
				// One at a time, so that they queue in order.
				waitUntil(t, fmt.Sprintf("%d submissions are queued", i+1), func() bool { return queued(t, db) == i+1 })
			}
			w.release(t)
			if err := <-first; err != nil {
				t.Errorf("the submission the writer was held with = %v", err)
			}
			errs := make([]error, len(rs))
			for i, d := range done {
				errs[i] = <-d
			}
			return errs
		}
		goods := func(n int) ([]survey.Response, []int64) {
			var rs []survey.Response
			var sids []int64
			for i := range n {
				rs, sids = append(rs, answered(i)), append(sids, s.ID)
			}
			return rs, sids
		}

		t.Run("a queued burst is one transaction", func(t *testing.T) {
			before, stored := w.transactions(t), count(t, db, `SELECT COUNT(*) FROM responses`)
			rs, sids := goods(199)
			for i, err := range burst(t, rs, sids) {
				if err != nil {
					t.Errorf("queued submission %d = %v", i, err)
				}
			}
			// One for the submission the writer was held with, one for
			// the 199 queued behind it.
			if got := w.transactions(t) - before; got != 2 {
				t.Errorf("the writer used %d transactions for a held submission and 199 queued ones, want 2", got)
			}
			if got := count(t, db, `SELECT COUNT(*) FROM responses`) - stored; got != 200 {
				t.Errorf("%d responses stored, want 200", got)
			}
		})

		t.Run("a bad submission fails alone", func(t *testing.T) {
			before, stored := w.transactions(t), count(t, db, `SELECT COUNT(*) FROM responses`)
			rs, sids := goods(198)
			// The last in the queue is for a survey that does not exist:
			// the burst's transaction fails when it gets there.
			rs, sids = append(rs, answered(999)), append(sids, 999_999)
			errs := burst(t, rs, sids)
			for i, err := range errs[:198] {
				if err != nil {
					t.Errorf("queued submission %d, queued with a bad one = %v, want it stored", i, err)
				}
			}
			if err := errs[198]; err == nil || errors.Is(err, store.ErrDuplicate) {
				t.Errorf("submission for survey 999999 = %v, want an error", err)
			}
			if got := count(t, db, `SELECT COUNT(*) FROM responses`) - stored; got != 199 {
				t.Errorf("%d responses stored, want 199", got)
			}
			if got := count(t, db, `SELECT COUNT(*) FROM responses WHERE survey_id = 999999`); got != 0 {
				t.Errorf("%d responses stored for survey 999999, want 0", got)
			}
			// After the burst's transaction failed, each was written alone.
			if got := w.transactions(t) - before; got != 1+198 {
				t.Errorf("the writer used %d transactions, want %d: the held one, then one for each good one", got, 1+198)
			}
		})
	})
}

// TestSubmitResponseClose closes the database while submissions are
// queued and more are coming.
func TestSubmitResponseClose(t *testing.T) {
	t.Parallel()
	eachHeld(t, func(t *testing.T, db *store.DB, dsn string, w *writerHold) {
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		mustSubmit(t, db, s.ID, answered(0), keyHash(0))
		w.hold(t)
		pending := []<-chan error{submitting(db, s.ID, answered(1), keyHash(1))}
		w.waitHeld(t)
		const queuedBefore = 20
		for i := range queuedBefore {
			pending = append(pending, submitting(db, s.ID, answered(2+i), keyHash(2+i)))
		}
		waitUntil(t, "20 submissions are queued", func() bool { return queued(t, db) == queuedBefore })

		closed := make(chan error, 1)
		go func() { closed <- db.Close() }()
		// Submissions that come while Close runs are queued, and must be
		// written, until one is refused.
		var refused error
		for i := 100; refused == nil; i++ {
			done := submitting(db, s.ID, answered(i), keyHash(i))
			inQueue := len(pending) - 1 // all but the held one
			returned := false
			waitUntil(t, "a submission made during Close is queued or refused", func() bool {
				select {
				case refused = <-done:
					returned = true
					return true
				default:
					return queued(t, db) == inQueue+1
				}
			})
			switch {
			case returned && refused == nil:
				t.Fatal("a submission made during Close was written while the writer was held")
			case !returned:
				pending = append(pending, done)
			}
		}
		if errors.Is(refused, store.ErrDuplicate) {
			t.Errorf("SubmitResponse during Close = %v, want another error", refused)
		}
		select {
		case err := <-closed:
			t.Fatalf("Close() = %v before the queued submissions were written", err)
		default:
		}

		w.release(t)
		if err := <-closed; err != nil {
			t.Errorf("Close() = %v", err)
		}
		for i, done := range pending {
			if err := <-done; err != nil {
				t.Errorf("submission %d, queued before Close = %v", i, err)
			}
		}
		if _, err := db.SubmitResponse(context.Background(), s.ID, answered(1000), keyHash(1000)); err == nil {
			t.Error("SubmitResponse after Close = nil, want an error")
		}

		again := storetest.OpenDSN(t, dsn)
		want := int64(1 + len(pending)) // the first, and every one queued
		if got := count(t, again, `SELECT COUNT(*) FROM responses`); got != want {
			t.Errorf("after Close the database has %d responses, want %d", got, want)
		}
	})
}

// TestResponsesHoldOnlyP1 looks at what the database keeps of submitted
// responses (invariant P1): the survey, version, phase, channel, language,
// the day and the answers; and an id that says nothing about order.
func TestResponsesHoldOnlyP1(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		var inOrder []string
		for i := range 100 {
			c.Set(time.Duration(i) * 7 * time.Minute)
			r := answered(i)
			r.SubmittedOn = db.Now() // a time of day, which must not be kept
			inOrder = append(inOrder, mustSubmit(t, db, s.ID, r, keyHash(i)).ID)
		}

		tables, err := db.Columns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{
			"responses":       {"id", "survey_id", "version", "phase", "channel", "language", "submitted_on", "answers"},
			"submission_keys": {"key_hash", "expires_on"},
		}
		for table, cols := range want {
			if diff := cmp.Diff(cols, tables[table]); diff != "" {
				t.Errorf("columns of %s mismatch (-want +got):\n%s", table, diff)
			}
		}

		dump, err := db.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		allowed := map[string]*regexp.Regexp{
			"responses.id":               regexp.MustCompile(`^[a-z2-7]{16}$`),
			"responses.survey_id":        regexp.MustCompile(fmt.Sprintf(`^%d$`, s.ID)),
			"responses.version":          regexp.MustCompile(`^1$`),
			"responses.phase":            regexp.MustCompile(`^live$`),
			"responses.channel":          regexp.MustCompile(`^london$`),
			"responses.language":         regexp.MustCompile(`^en$`),
			"responses.submitted_on":     regexp.MustCompile(`^2026-03-02$`),
			"responses.answers":          regexp.MustCompile(`^\{"consent":"yes","old_q":"answer \d+","role":"data"\}$`),
			"submission_keys.key_hash":   regexp.MustCompile(`^[0-9a-f]{64}$`),
			"submission_keys.expires_on": regexp.MustCompile(`^2026-04-02$`), // 31 days on
		}
		seen := map[string]int{}
		for _, line := range dump {
			column, value, _ := strings.Cut(line, "=")
			table, _, _ := strings.Cut(column, ".")
			if table != "responses" && table != "submission_keys" {
				// Nothing else, such as the audit log, names a response.
				for _, id := range inOrder {
					if strings.Contains(value, id) {
						t.Errorf("the database holds %s, which names response %s", line, id)
					}
				}
				continue
			}
			seen[column]++
			if re := allowed[column]; re == nil || !re.MatchString(value) {
				t.Errorf("the database holds %s, want only what P1 allows", line)
			}
		}
		for column := range allowed {
			if seen[column] != 100 {
				t.Errorf("the database holds %d values of %s, want 100", seen[column], column)
			}
		}

		if slices.IsSorted(inOrder) {
			t.Errorf("the ids of 100 responses submitted one after the other are in order, want them random: %q", inOrder)
		}
		for i := 1; i < len(inOrder); i++ {
			a, b := inOrder[i-1], inOrder[i]
			if n := commonPrefix(a, b); n >= 5 {
				t.Errorf("responses %d and %d, submitted one after the other, have ids %s and %s, which share %d characters",
					i-1, i, a, b, n)
			}
		}
	})
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// filterData are the responses of the survey the filter tests read:
// version, phase and channel. The i-th is submitted i/3 days after start.
var filterData = []struct {
	version int
	phase   survey.Phase
	channel string
}{
	{1, survey.Pilot, "london"},
	{1, survey.Live, "london"},
	{1, survey.Live, "london"},
	{1, survey.Live, "nairobi"},
	{2, survey.Live, "nairobi"},
	{2, survey.Live, survey.UnknownChannel},
	{2, survey.Pilot, survey.UnknownChannel},
	{2, survey.Live, "london"},
}

// mustFilterSurvey makes a survey with two versions and the responses of
// filterData, with ids r0 to r7, and another survey with responses of its
// own that no filter on the first may find. The responses are stored in
// an order of their own, so that only an ORDER BY puts them in id order:
// a table scan returns them as stored.
func mustFilterSurvey(t *testing.T, db *store.DB) survey.Survey {
	t.Helper()
	ctx := t.Context()
	mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
	s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version2...))
	var rs []survey.Response
	for _, i := range []int{5, 2, 7, 0, 3, 6, 1, 4} {
		d := filterData[i]
		rs = append(rs, survey.Response{ID: fmt.Sprintf("r%d", i), Version: d.version, Phase: d.phase, Channel: d.channel,
			Language: "en", SubmittedOn: survey.Day(start).AddDate(0, 0, i/3), Answers: survey.Answers{"consent": "yes"}})
	}
	if err := db.ImportResponses(ctx, admin, s, rs); err != nil {
		t.Fatalf("ImportResponses(careers) = %v", err)
	}
	other := mustImport(t, db, mustDefinition(t, "other", "Other", version1...))
	if err := db.ImportResponses(ctx, admin, other, []survey.Response{
		{ID: "o0", Version: 1, Phase: survey.Live, Channel: "london", Language: "en", SubmittedOn: start},
		{ID: "o1", Version: 2, Phase: survey.Pilot, Channel: "nairobi", Language: "en", SubmittedOn: start},
	}); err != nil {
		t.Fatalf("ImportResponses(other) = %v", err)
	}
	return s
}

func TestResponseFilters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    store.ResponseFilter
		want []string
	}{
		{"all", store.ResponseFilter{}, []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}},
		{"live", store.ResponseFilter{Phase: survey.Live}, []string{"r1", "r2", "r3", "r4", "r5", "r7"}},
		{"pilot", store.ResponseFilter{Phase: survey.Pilot}, []string{"r0", "r6"}},
		{"closed", store.ResponseFilter{Phase: survey.Closed}, nil},
		{"channel", store.ResponseFilter{Channel: "london"}, []string{"r0", "r1", "r2", "r7"}},
		{"no channel", store.ResponseFilter{Channel: survey.UnknownChannel}, []string{"r5", "r6"}},
		{"channel not used", store.ResponseFilter{Channel: "paris"}, nil},
		{"version 1", store.ResponseFilter{Version: 1}, []string{"r0", "r1", "r2", "r3"}},
		{"version 2", store.ResponseFilter{Version: 2}, []string{"r4", "r5", "r6", "r7"}},
		{"version 3", store.ResponseFilter{Version: 3}, nil},
		{"live by london", store.ResponseFilter{Phase: survey.Live, Channel: "london"}, []string{"r1", "r2", "r7"}},
		{"everything", store.ResponseFilter{Phase: survey.Live, Channel: "london", Version: 1}, []string{"r1", "r2"}},
		{"from the first day", store.ResponseFilter{From: survey.Day(start)}, []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}},
		{"from the second day", store.ResponseFilter{From: survey.Day(start).AddDate(0, 0, 1)}, []string{"r3", "r4", "r5", "r6", "r7"}},
		{"from the third day, live", store.ResponseFilter{Phase: survey.Live, From: survey.Day(start).AddDate(0, 0, 2)}, []string{"r7"}},
		{"from after the last", store.ResponseFilter{From: survey.Day(start).AddDate(0, 0, 3)}, nil},
		{"ids not starting r", store.ResponseFilter{NotIDPrefix: "r"}, nil},
		{"ids not starting r1", store.ResponseFilter{NotIDPrefix: "r1"}, []string{"r0", "r2", "r3", "r4", "r5", "r6", "r7"}},
		// A prefix is matched as written: in its case, and with no
		// character standing for others.
		{"ids not starting R", store.ResponseFilter{NotIDPrefix: "R"}, []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}},
		{"ids not starting r_", store.ResponseFilter{NotIDPrefix: "r_"}, []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}},
		{"ids not starting %", store.ResponseFilter{NotIDPrefix: "%"}, []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustFilterSurvey(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n, err := db.CountResponses(ctx, s.ID, tt.f)
				if err != nil || n != len(tt.want) {
					t.Errorf("CountResponses(%+v) = %d, %v; want %d", tt.f, n, err, len(tt.want))
				}
				if diff := cmp.Diff(tt.want, responseIDs(mustResponses(t, db, s.ID, tt.f, 0, 0))); diff != "" {
					t.Errorf("EachResponse(%+v) ids mismatch (-want +got):\n%s", tt.f, diff)
				}
				// Pages of 3 make up the whole.
				var paged []string
				for offset := 0; offset < len(tt.want)+3; offset += 3 {
					page := responseIDs(mustResponses(t, db, s.ID, tt.f, offset, 3))
					if want := min(3, max(0, len(tt.want)-offset)); len(page) != want {
						t.Errorf("EachResponse(%+v, offset %d, limit 3) gave %d responses, want %d", tt.f, offset, len(page), want)
					}
					paged = append(paged, page...)
				}
				if diff := cmp.Diff(tt.want, paged); diff != "" {
					t.Errorf("EachResponse(%+v) in pages of 3 mismatch (-want +got):\n%s", tt.f, diff)
				}
			})
		}

		t.Run("stop early", func(t *testing.T) {
			stop := errors.New("enough")
			seen := 0
			err := db.EachResponse(ctx, s.ID, store.ResponseFilter{}, 0, 0, func(survey.Response) error {
				if seen++; seen == 2 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || seen != 2 {
				t.Errorf("EachResponse with a function that fails on the second = %v after %d calls, want %v after 2", err, seen, stop)
			}
		})

		t.Run("by day", func(t *testing.T) {
			got, err := db.DayCounts(ctx, s.ID)
			if err != nil {
				t.Fatalf("DayCounts(%d) = %v", s.ID, err)
			}
			day := survey.Day(start)
			want := map[time.Time]int{day: 3, day.AddDate(0, 0, 1): 3, day.AddDate(0, 0, 2): 2}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("DayCounts(%d) mismatch (-want +got):\n%s", s.ID, diff)
			}
			if got, err := db.DayCounts(ctx, 999); err != nil || len(got) != 0 {
				t.Errorf("DayCounts(999) = %v, %v; want none", got, err)
			}
		})

		t.Run("by channel", func(t *testing.T) {
			analyze(t, db)
			got, err := db.CountByChannel(ctx, s.ID)
			if err != nil {
				t.Fatalf("CountByChannel(%d) = %v", s.ID, err)
			}
			want := []store.ChannelCount{
				{Channel: "london", Phase: survey.Live, Count: 3},
				{Channel: "london", Phase: survey.Pilot, Count: 1},
				{Channel: "nairobi", Phase: survey.Live, Count: 2},
				{Channel: survey.UnknownChannel, Phase: survey.Live, Count: 1},
				{Channel: survey.UnknownChannel, Phase: survey.Pilot, Count: 1},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CountByChannel(%d) mismatch (-want +got):\n%s", s.ID, diff)
			}
			if got, err := db.CountByChannel(ctx, 999); err != nil || len(got) != 0 {
				t.Errorf("CountByChannel(999) = %v, %v; want none", got, err)
			}
		})
	})
}

// TestEachResponseOffsetWithoutLimit checks what EachResponse's comment
// promises: the first offset responses are skipped, with or without a
// limit.
func TestEachResponseOffsetWithoutLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := mustFilterSurvey(t, db)
		got := responseIDs(mustResponses(t, db, s.ID, store.ResponseFilter{}, 5, 0))
		if diff := cmp.Diff([]string{"r5", "r6", "r7"}, got); diff != "" {
			t.Errorf("EachResponse(offset 5, no limit) mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestImportResponses(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		day := survey.Day(start)
		rs := []survey.Response{
			{ID: "first", Version: 1, Phase: survey.Live, Channel: "london", Language: "en", SubmittedOn: day,
				Answers: survey.Answers{"consent": "yes", "old_q": "from a CSV"}},
			{ID: "second", Version: 1, Phase: survey.Pilot, Channel: survey.UnknownChannel, Language: "es", SubmittedOn: day.AddDate(0, 0, -3),
				Answers: survey.Answers{"consent": "no"}},
			{Version: 1, Phase: survey.Live, Channel: "london", Language: "en", SubmittedOn: day, Answers: survey.Answers{}},
		}
		if err := db.ImportResponses(ctx, admin, s, rs); err != nil {
			t.Fatalf("ImportResponses(3 responses) = %v", err)
		}
		got := mustResponses(t, db, s.ID, store.ResponseFilter{}, 0, 0)
		if len(got) != 3 {
			t.Fatalf("after ImportResponses(3 responses) the survey has %d, want 3", len(got))
		}
		byID := map[string]survey.Response{}
		for _, r := range got {
			byID[r.ID] = r
		}
		for _, want := range rs[:2] {
			if diff := cmp.Diff(want, byID[want.ID]); diff != "" {
				t.Errorf("imported response %s mismatch (-want +got):\n%s", want.ID, diff)
			}
			delete(byID, want.ID)
		}
		for id := range byID {
			if !regexp.MustCompile(`^[a-z2-7]{16}$`).MatchString(id) {
				t.Errorf("ImportResponses made up the id %q, want 16 characters of lower-case base32", id)
			}
		}
		wantAudit(t, db, "ImportResponses(3 responses)", "responses imported", "careers", "3 rows")

		entries := len(mustAuditLog(t, db, 0, 100))
		fresh := survey.Response{ID: "fresh", Version: 1, Phase: survey.Live, Channel: "london", Language: "en", SubmittedOn: day}
		failing := []struct {
			name    string
			rs      []survey.Response
			wantMsg string // in the error
		}{
			{"an id already stored", []survey.Response{fresh, rs[1]}, "a response with the id second is already stored"},
			{"one id twice", []survey.Response{fresh, fresh}, "a response with the id fresh is already stored"},
			{"a phase a response cannot have", []survey.Response{fresh, {ID: "closed", Version: 1, Phase: survey.Closed,
				Channel: "london", Language: "en", SubmittedOn: day}}, "import responses into careers"},
		}
		for _, tt := range failing {
			t.Run(tt.name, func(t *testing.T) {
				err := db.ImportResponses(ctx, admin, s, tt.rs)
				if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("ImportResponses(%s) = %v, want an error saying %q", tt.name, err, tt.wantMsg)
				}
				if n, _ := db.CountResponses(ctx, s.ID, store.ResponseFilter{}); n != 3 {
					t.Errorf("after ImportResponses(%s) failed the survey has %d responses, want the 3 it had", tt.name, n)
				}
				if n := len(mustAuditLog(t, db, 0, 100)); n != entries {
					t.Errorf("ImportResponses(%s) failed and added %d audit entries, want none", tt.name, n-entries)
				}
			})
		}
	})
}

// tableRecorder is a survey.TableWriter that keeps what it is given, and
// fails when told to.
type tableRecorder struct {
	header [][]string // each header written, to catch a second one
	rows   [][]string
	closed bool

	failHeader bool
	failRow    int   // the row, from 1, to fail on; 0 for none
	failWith   error // the error to fail with; errWrite if nil
	failClose  bool
	onRow      func(n int) // called before writing row n, from 1
}

var errWrite = errors.New("the disk is full")

func (w *tableRecorder) fail() error {
	if w.failWith != nil {
		return w.failWith
	}
	return errWrite
}

func (w *tableRecorder) Header(cols []string) error {
	if w.failHeader {
		return w.fail()
	}
	w.header = append(w.header, cols)
	return nil
}

func (w *tableRecorder) Row(cells []string) error {
	n := len(w.rows) + 1
	if w.onRow != nil {
		w.onRow(n)
	}
	if n == w.failRow {
		return w.fail()
	}
	w.rows = append(w.rows, cells)
	return nil
}

func (w *tableRecorder) Close() error {
	if w.failClose {
		return w.fail()
	}
	w.closed = true
	return nil
}

// exportData makes a survey whose first version has been answered twice
// and whose second (current) version twice, and returns it with the cells
// each response's row should hold, by id.
func exportData(t *testing.T, db *store.DB) (survey.Survey, map[string]map[string]string) {
	t.Helper()
	ctx := t.Context()
	day := survey.Day(start)
	v1 := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
	if err := db.ImportResponses(ctx, admin, v1, []survey.Response{
		{ID: "a-v1-live", Version: 1, Phase: survey.Live, Channel: "london", Language: "en", SubmittedOn: day,
			Answers: survey.Answers{"consent": "yes", "role": "data", "barriers": "money time", "old_q": "only in v1, with, commas"}},
		{ID: "b-v1-pilot", Version: 1, Phase: survey.Pilot, Channel: survey.UnknownChannel, Language: "es", SubmittedOn: day.AddDate(0, 0, -10),
			Answers: survey.Answers{"consent": "yes", "old_q": "a \"quoted\"\nsecond line"}},
	}); err != nil {
		t.Fatal(err)
	}
	s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version2...))
	if err := db.ImportResponses(ctx, admin, s, []survey.Response{
		{ID: "c-v2-live", Version: 2, Phase: survey.Live, Channel: "nairobi", Language: "en", SubmittedOn: day.AddDate(0, 0, 1),
			Answers: survey.Answers{"consent": "yes", "role": "clinical", "barriers": "network", "new_q": "7"}},
		{ID: "d-v2-live", Version: 2, Phase: survey.Live, Channel: "london", Language: "ar", SubmittedOn: day.AddDate(0, 0, 2),
			Answers: survey.Answers{"consent": "no"}},
	}); err != nil {
		t.Fatal(err)
	}
	cells := map[string]map[string]string{
		"a-v1-live": {"consent": "yes", "role": "data", "barriers": "money time", "old_q": "only in v1, with, commas",
			"barriers/money": "1", "barriers/time": "1", "barriers/network": "0",
			"_id": "a-v1-live", "_version": "1", "_phase": "live", "_channel": "london", "_language": "en", "_submitted_on": "2026-03-02"},
		"b-v1-pilot": {"consent": "yes", "old_q": "a \"quoted\"\nsecond line",
			"barriers/money": "0", "barriers/time": "0", "barriers/network": "0",
			"_id": "b-v1-pilot", "_version": "1", "_phase": "pilot", "_channel": "unknown", "_language": "es", "_submitted_on": "2026-02-20"},
		"c-v2-live": {"consent": "yes", "role": "clinical", "barriers": "network", "new_q": "7",
			"barriers/money": "0", "barriers/time": "0", "barriers/network": "1",
			"_id": "c-v2-live", "_version": "2", "_phase": "live", "_channel": "nairobi", "_language": "en", "_submitted_on": "2026-03-03"},
		"d-v2-live": {"consent": "no",
			"barriers/money": "0", "barriers/time": "0", "barriers/network": "0",
			"_id": "d-v2-live", "_version": "2", "_phase": "live", "_channel": "london", "_language": "ar", "_submitted_on": "2026-03-04"},
	}
	return s, cells
}

// wantRows returns the rows the responses with the ids should make, with
// the columns given.
func wantRows(cells map[string]map[string]string, header []string, ids ...string) [][]string {
	var rows [][]string
	for _, id := range ids {
		row := make([]string, len(header))
		for i, col := range header {
			row[i] = cells[id][col]
		}
		rows = append(rows, row)
	}
	return rows
}

var metadataColumns = []string{"_id", "_version", "_phase", "_channel", "_language", "_submitted_on"}

func TestExportResponses(t *testing.T) {
	t.Parallel()
	v2Columns := []string{"consent", "role", "barriers", "new_q"}
	both := append(append(slices.Clone(v2Columns), "old_q"), metadataColumns...)
	tests := []struct {
		name    string
		f       store.ResponseFilter
		format  string
		opts    survey.TableOptions
		header  []string
		ids     []string
		detail  string
		wantErr bool
	}{
		{
			name: "all", format: "csv", header: both,
			ids:    []string{"a-v1-live", "b-v1-pilot", "c-v2-live", "d-v2-live"},
			detail: "4 rows, csv",
		},
		{
			name: "live", f: store.ResponseFilter{Phase: survey.Live}, format: "csv", header: both,
			ids:    []string{"a-v1-live", "c-v2-live", "d-v2-live"},
			detail: "3 rows, csv, phase live",
		},
		{
			name: "current version only", f: store.ResponseFilter{Version: 2}, format: "xlsx",
			header: append(slices.Clone(v2Columns), metadataColumns...), // no response needs old_q
			ids:    []string{"c-v2-live", "d-v2-live"},
			detail: "2 rows, xlsx, version 2",
		},
		{
			name: "every filter", f: store.ResponseFilter{Phase: survey.Live, Channel: "london", Version: 1}, format: "json",
			header: both, ids: []string{"a-v1-live"},
			detail: "1 rows, json, phase live, channel london, version 1",
		},
		{
			name: "nothing matches", f: store.ResponseFilter{Channel: "paris"}, format: "csv",
			header: append(slices.Clone(v2Columns), metadataColumns...), detail: "0 rows, csv, channel paris",
		},
		{
			name: "a column for each choice", format: "csv", opts: survey.TableOptions{ChoiceColumns: true},
			header: append([]string{"consent", "role", "barriers", "barriers/money", "barriers/time", "barriers/network",
				"new_q", "old_q"}, metadataColumns...),
			ids:    []string{"a-v1-live", "b-v1-pilot", "c-v2-live", "d-v2-live"},
			detail: "4 rows, csv",
		},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, cells := exportData(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := &tableRecorder{}
				n, err := db.ExportResponses(ctx, admin, s, tt.f, tt.format, w, tt.opts, nil)
				if err != nil || n != len(tt.ids) {
					t.Fatalf("ExportResponses(%+v) = %d, %v; want %d", tt.f, n, err, len(tt.ids))
				}
				if diff := cmp.Diff([][]string{tt.header}, w.header); diff != "" {
					t.Errorf("ExportResponses(%+v) header mismatch (-want +got):\n%s", tt.f, diff)
				}
				if diff := cmp.Diff(wantRows(cells, tt.header, tt.ids...), w.rows); diff != "" {
					t.Errorf("ExportResponses(%+v) rows mismatch (-want +got):\n%s", tt.f, diff)
				}
				if !w.closed {
					t.Errorf("ExportResponses(%+v) did not close the table writer", tt.f)
				}
				wantAudit(t, db, fmt.Sprintf("ExportResponses(%+v)", tt.f), "responses exported", "careers", tt.detail)
			})
		}

		t.Run("csv", func(t *testing.T) {
			var buf bytes.Buffer
			tw, err := survey.NewTableWriter(&buf, "csv")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExportResponses(ctx, admin, s, store.ResponseFilter{}, "csv", tw, survey.TableOptions{}, nil); err != nil {
				t.Fatalf("ExportResponses(csv) = %v", err)
			}
			got, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatalf("reading the exported CSV: %v\n%s", err, buf.String())
			}
			want := append([][]string{both}, wantRows(cells, both, "a-v1-live", "b-v1-pilot", "c-v2-live", "d-v2-live")...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("exported CSV mismatch (-want +got):\n%s", diff)
			}
		})
	})
}

// TestExportColumnsNewestFirst exports responses to three versions of a
// survey, each older one with a question of its own: after the current
// version's questions come those only older versions ask, the newest
// version's first.
func TestExportColumnsNewestFirst(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		for i, questions := range [][]string{{qConsent, qOld}, {qConsent, qNew}, {qConsent}} {
			s := mustImport(t, db, mustDefinition(t, "careers", "Careers", questions...))
			mustImportResponses(t, db, s, survey.Response{ID: fmt.Sprintf("v%d", i+1), Version: i + 1, Phase: survey.Live,
				Channel: "london", Language: "en", SubmittedOn: start, Answers: survey.Answers{"consent": "yes"}})
		}
		w := &tableRecorder{}
		if _, err := db.ExportResponses(ctx, admin, mustSurvey(t, db, "careers"), store.ResponseFilter{}, "csv", w,
			survey.TableOptions{}, nil); err != nil {
			t.Fatalf("ExportResponses(3 versions) = %v", err)
		}
		want := [][]string{append([]string{"consent", "new_q", "old_q"}, metadataColumns...)}
		if diff := cmp.Diff(want, w.header); diff != "" {
			t.Errorf("ExportResponses(3 versions) header mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestExportResponsesFails checks that an export that fails part way is
// audited all the same (invariant P4), as incomplete.
func TestExportResponsesFails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := exportData(t, db)
		tests := []struct {
			name     string
			w        func(cancel context.CancelFunc) *tableRecorder
			wantErr  error
			wantRows int
			detail   string
		}{
			{
				"header", func(context.CancelFunc) *tableRecorder { return &tableRecorder{failHeader: true} },
				errWrite, 0, "0 rows, csv, phase live, incomplete",
			},
			{
				"third row", func(context.CancelFunc) *tableRecorder { return &tableRecorder{failRow: 3} },
				errWrite, 2, "2 rows, csv, phase live, incomplete",
			},
			{
				"close", func(context.CancelFunc) *tableRecorder { return &tableRecorder{failClose: true} },
				errWrite, 3, "3 rows, csv, phase live, incomplete",
			},
			{
				// As when the person downloading goes away: the request's
				// context ends, and writing to it fails.
				"second row, the request gone",
				func(cancel context.CancelFunc) *tableRecorder {
					return &tableRecorder{failRow: 2, failWith: context.Canceled, onRow: func(n int) {
						if n == 2 {
							cancel()
						}
					}}
				},
				context.Canceled, 1, "1 rows, csv, phase live, incomplete",
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				call := "ExportResponses(writer failing on the " + tt.name + ")"
				n, err := db.ExportResponses(ctx, admin, s, store.ResponseFilter{Phase: survey.Live}, "csv", tt.w(cancel),
					survey.TableOptions{}, nil)
				if !errors.Is(err, tt.wantErr) || n != tt.wantRows {
					t.Errorf("%s = %d, %v; want %d, %v", call, n, err, tt.wantRows, tt.wantErr)
				}
				wantAudit(t, db, call, "responses exported", "careers", tt.detail)
			})
		}
	})
}

func TestExportResponsesProgress(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		rs := make([]survey.Response, 2500)
		for i := range rs {
			rs[i] = answered(i)
		}
		if err := db.ImportResponses(ctx, admin, s, rs); err != nil {
			t.Fatal(err)
		}
		var calls []int
		w := &tableRecorder{}
		n, err := db.ExportResponses(ctx, admin, s, store.ResponseFilter{}, "csv", w, survey.TableOptions{},
			func(rows int) { calls = append(calls, rows) })
		if err != nil || n != 2500 || len(w.rows) != 2500 {
			t.Errorf("ExportResponses(2500 responses) = %d, %v with %d rows written; want 2500", n, err, len(w.rows))
		}
		if diff := cmp.Diff([]int{1000, 2000}, calls); diff != "" {
			t.Errorf("progress calls of ExportResponses(2500 responses) mismatch (-want +got):\n%s", diff)
		}
		wantAudit(t, db, "ExportResponses(2500 responses)", "responses exported", "careers", "2500 rows, csv")
	})
}
