// Command loadtest measures how many complete survey responses the toolkit
// takes per second. It builds the toolkit, starts `toolkit serve` on a new,
// empty database, and has concurrent respondents send complete answers to
// the default survey through the real HTTP form flow for a fixed time. In
// the same run it loads a trivial net/http handler the same way, for
// comparison, and at the end it checks that every response acknowledged
// was stored. Answers refused with 503 (the server at capacity) are counted
// apart from errors.
//
// With -crash N it kills the server with SIGKILL N times under load instead,
// restarting it each time, and checks that every acknowledged response was
// stored exactly once and that the database is intact (see crash.go).
//
// Run it from anywhere in the repository:
//
//	go run ./cmd/loadtest [-duration 10s] [-concurrency 32] [-db postgres://…] [-walk] [-crash N]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The targets on SQLite, for the two-request flow.
const (
	targetRate = 3000                   // complete responses per second
	targetP99  = 100 * time.Millisecond // latency of a complete response
)

// serverFlags turn off the two protections against automated answers,
// which a load test is: the least time between the start page and
// sending, and the number of responses one address may send.
const serverFlags = "--survey-min-seconds 0 --submit-limit 0"

type options struct {
	duration    time.Duration
	warmup      time.Duration
	concurrency int
	db          string
	walk        bool
	crash       int
}

func main() {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long to measure")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "how long to send answers before measuring")
	flag.IntVar(&o.concurrency, "concurrency", 32, "respondents sending answers at the same time")
	flag.StringVar(&o.db, "db", "", "a postgres:// server URL to run against a new database made on it (default: a new SQLite file)")
	flag.BoolVar(&o.walk, "walk", false, "walk every page of the survey, as a person does, instead of sending the last page only")
	flag.IntVar(&o.crash, "crash", 0, "kill the server with SIGKILL this many times under load, restarting it, and check that no acknowledged response is lost or doubled")
	flag.Parse()
	if o.concurrency < 1 || o.duration <= 0 || o.warmup < 0 || o.crash < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, o, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) error {
	busy := loadAverage()
	def, err := demo.Survey()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "toolkit-load")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	fmt.Fprintln(out, "Building the toolkit…")
	bin, err := build(ctx, dir)
	if err != nil {
		return err
	}
	dsn, engine := filepath.Join(dir, "toolkit.db"), "SQLite (a new file)"
	if o.db != "" {
		if !store.IsPostgres(o.db) {
			return fmt.Errorf("-db %s: want a postgres:// server URL, or nothing for a new SQLite file", o.db)
		}
		pg, err := storetest.NewDatabase(ctx, o.db, "toolkit_load_")
		if err != nil {
			return err
		}
		defer func() {
			if err := pg.Drop(); err != nil {
				fmt.Fprintln(os.Stderr, "loadtest:", err)
			}
		}()
		dsn, engine = pg.DSN, "PostgreSQL "+pg.Version+" (a new database, "+store.Redact(pg.DSN)+")"
	}
	if o.crash > 0 {
		return crash(ctx, o, out, setup{bin: bin, dsn: dsn, dir: dir, engine: engine, machineLoad: busy}, def)
	}
	bodies, err := submissions(def, 1000)
	if err != nil {
		return err
	}

	fmt.Fprintln(out, "Starting toolkit serve…")
	srv, err := startServer(ctx, bin, dsn, dir, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer srv.kill()
	surveyURL := srv.url + "/s/" + demo.SurveySlug
	respond := func(c *http.Client, rng *mathrand.Rand) (int, error) {
		return submit(c, surveyURL, bodies[rng.IntN(len(bodies))])
	}
	flow := "start page, then the check page's submit (2 requests)"
	if o.walk {
		respond = func(c *http.Client, rng *mathrand.Rand) (int, error) { return walk(c, surveyURL, def, rng) }
		flow = "start page, every page with Continue, then submit (page by page)"
	}
	fmt.Fprintf(out, "Sending answers: %v warm-up, then %v measured, %d at a time…\n", o.warmup, o.duration, o.concurrency)
	warm := load(ctx, o.concurrency, o.warmup, respond)
	toolkit := load(ctx, o.concurrency, o.duration, respond)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	peak := srv.peakMemory()
	if err := srv.stop(); err != nil {
		return fmt.Errorf("stopping the server: %w", err)
	}
	serverCPU := srv.cmd.ProcessState.UserTime() + srv.cmd.ProcessState.SystemTime()
	stored, err := countResponses(ctx, dsn)
	if err != nil {
		return err
	}

	fmt.Fprintln(out, "Loading a trivial net/http handler the same way…")
	trivial, err := loadTrivial(ctx, o, bodies[0])
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	rep := report{options: o, machineLoad: busy, engine: engine, flow: flow, warm: warm, toolkit: toolkit,
		trivial: trivial, stored: stored, serverCPU: serverCPU, serverPeak: peak}
	rep.print(out)
	for _, r := range []result{warm, toolkit, trivial} {
		for _, e := range r.samples {
			fmt.Fprintln(out, "error:", e)
		}
	}
	if lines := srv.logHead(5); lines != "" {
		fmt.Fprintf(out, "The server logged:\n%s", lines)
	}
	switch {
	case stored != rep.acknowledged():
		return fmt.Errorf("stored %d responses, but acknowledged %d", stored, rep.acknowledged())
	case rep.acknowledged() == 0:
		return errors.New("no response was acknowledged")
	}
	return nil
}

// loadAverage says how busy the machine was before the run, where the
// system tells: other work on it skews every number.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return ", load average " + f[0] + " before the run"
	}
	return ""
}

// report is what a run measured.
type report struct {
	options
	machineLoad, engine, flow string
	warm, toolkit, trivial    result
	stored                    int           // responses in the database at the end
	serverCPU                 time.Duration // the time the server used the CPU, over its whole run
	serverPeak                string        // the most memory the server held, if the system says
}

func (r report) acknowledged() int { return r.warm.done + r.toolkit.done }

func (r report) print(out io.Writer) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	printMachine(tw, r.machineLoad, r.engine)
	fmt.Fprintf(tw, "server\ttoolkit serve %s (minimum time and per-client limit off)\n", serverFlags)
	fmt.Fprintf(tw, "flow\t%s\n", r.flow)
	fmt.Fprintf(tw, "duration\t%v measured after %v warm-up\n", r.duration, r.warmup)
	fmt.Fprintf(tw, "concurrency\t%d respondents, each with its own keep-alive connection\n", r.concurrency)
	fmt.Fprintf(tw, "toolkit\t%.0f responses/s\t%.0f requests/s\tp50 %s\tp99 %s\trefused %d\terrors %d\n",
		r.toolkit.rate(), r.toolkit.requestRate(), ms(r.toolkit.percentile(0.50)), ms(r.toolkit.percentile(0.99)), r.toolkit.refused, r.toolkit.errors)
	fmt.Fprintf(tw, "trivial handler\t%.0f iterations/s\t%.0f requests/s\tp50 %s\tp99 %s\trefused %d\terrors %d\n",
		r.trivial.rate(), r.trivial.requestRate(), ms(r.trivial.percentile(0.50)), ms(r.trivial.percentile(0.99)), r.trivial.refused, r.trivial.errors)
	fmt.Fprintf(tw, "\t(p50 and p99 of the responses served; refused: answered 503 with Retry-After, the server at capacity)\n")
	fmt.Fprintf(tw, "server CPU\t%.0f µs per response (%v over its whole run, start-up and warm-up included)\n",
		float64(r.serverCPU.Microseconds())/float64(max(r.acknowledged(), 1)), r.serverCPU.Round(time.Millisecond))
	if r.serverPeak != "" {
		fmt.Fprintf(tw, "server memory\t%s at the most (peak resident set size)\n", r.serverPeak)
	}
	fmt.Fprintf(tw, "ratio\t%.3f (toolkit responses/s ÷ trivial iterations/s)\n", r.toolkit.rate()/r.trivial.rate())
	same := "the same"
	if r.stored != r.acknowledged() {
		same = "DIFFERENT"
	}
	fmt.Fprintf(tw, "stored\t%d, acknowledged %d (%d of them during warm-up): %s\n", r.stored, r.acknowledged(), r.warm.done, same)
	switch {
	case r.db != "":
		fmt.Fprintf(tw, "target\treported only: the targets are for SQLite\n")
	case r.walk:
		fmt.Fprintf(tw, "target\treported only: the targets are for the two-request flow (without -walk)\n")
	default:
		fmt.Fprintf(tw, "target\t%s  ≥ %d responses/s\n", verdict(r.toolkit.rate() >= targetRate), targetRate)
		fmt.Fprintf(tw, "\t%s  p99 < %v\n", verdict(r.toolkit.percentile(0.99) < targetP99), targetP99)
	}
	tw.Flush()
}

// printMachine writes the lines that say where a run ran.
func printMachine(tw io.Writer, machineLoad, engine string) {
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "machine\t%s/%s, %d CPUs, %s%s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), machineLoad)
	fmt.Fprintf(tw, "database\t%s\n", engine)
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func ms(d time.Duration) string { return strconv.FormatFloat(d.Seconds()*1000, 'f', 1, 64) + " ms" }

// submissions returns the bodies of check pages' forms sent with Submit,
// less the state, each with a different random set of valid answers. They
// are made beforehand so that making them does not take the machine's time
// from the server while it is measured.
func submissions(def *survey.Definition, n int) ([]string, error) {
	rng := mathrand.New(mathrand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		a, err := randomAnswers(def, rng)
		if err != nil {
			return nil, err
		}
		out[i] = submission(def, a)
	}
	return out, nil
}

// submission is the body of the check page's form sent with Submit, less
// the state, for the answers.
func submission(def *survey.Definition, a survey.Answers) string {
	form := url.Values{"page": {strconv.Itoa(len(def.Pages()))}, "website": {""}, "action": {"submit"}}
	for name, v := range a {
		form.Set("a."+name, v)
	}
	return form.Encode()
}

// submit sends one complete response as a browser does at the end of the
// survey: it opens the start page, for a new submission key, then sends
// the check page's form with every answer.
func submit(c *http.Client, surveyURL, body string) (int, error) {
	page, err := send(c, http.MethodGet, surveyURL, "")
	if err != nil {
		return 1, err
	}
	if page.status != http.StatusOK {
		return 1, page.unexpected(http.StatusOK)
	}
	state := hiddenFields(page.body).Get("state")
	if state == "" {
		return 1, errors.New("the start page has no state field")
	}
	sent, err := send(c, http.MethodPost, surveyURL, "state="+url.QueryEscape(state)+"&"+body)
	if err != nil {
		return 2, err
	}
	return 2, sent.thanked()
}

// walk answers the survey page by page, as a person does: it starts, fills
// in each page it is shown with Continue, and sends from the check page.
// Like a browser, it sends back each page's hidden fields.
func walk(c *http.Client, surveyURL string, def *survey.Definition, rng *mathrand.Rand) (int, error) {
	a, err := randomAnswers(def, rng)
	if err != nil {
		return 0, err
	}
	page, err := send(c, http.MethodGet, surveyURL, "")
	if err != nil {
		return 1, err
	}
	if page.status != http.StatusOK {
		return 1, page.unexpected(http.StatusOK)
	}
	form := hiddenFields(page.body)
	form.Set("action", "start")
	for requests := 2; requests < 100; requests++ {
		page, err = send(c, http.MethodPost, surveyURL, form.Encode())
		if err != nil {
			return requests, err
		}
		if form.Get("action") == "submit" {
			return requests, page.thanked()
		}
		if page.status != http.StatusOK {
			return requests, page.unexpected(http.StatusOK)
		}
		form = hiddenFields(page.body)
		form.Set("website", "")
		if strings.Contains(page.body, `name="action" value="submit"`) {
			form.Set("action", "submit")
			continue
		}
		inputs := inputNames(page.body)
		for _, q := range def.Questions() {
			if inputs[firstField(def, q)] {
				for name, v := range fields(q, a) {
					form[name] = v
				}
			}
		}
		form.Set("action", "next")
	}
	return 100, errors.New("no check page after 100 pages")
}

// reply is the server's answer to one request.
type reply struct {
	method, url string
	status      int
	location    string
	retryAfter  string
	body        string
}

// send makes one request, with a form when body is not empty, and reads
// the whole answer so that the connection is kept.
func send(c *http.Client, method, target, body string) (reply, error) {
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := c.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{method, target, resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("Retry-After"), string(b)}, err
}

// thanked checks that the answers were taken: a redirect to the thanks page.
func (r reply) thanked() error {
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "/thanks") {
		return r.unexpected(http.StatusSeeOther)
	}
	return nil
}

// refusal is an answer of 503 with Retry-After: the server at capacity,
// having changed nothing, asks to be tried again after a while.
type refusal struct{ wait time.Duration }

func (r refusal) Error() string { return fmt.Sprintf("refused: 503, try again after %v", r.wait) }

func (r reply) unexpected(want int) error {
	if r.status == http.StatusServiceUnavailable && r.retryAfter != "" {
		seconds, _ := strconv.Atoi(r.retryAfter)
		return refusal{time.Duration(seconds) * time.Second}
	}
	text := r.body
	if _, after, ok := strings.Cut(text, "<main"); ok {
		text = after
	}
	var b strings.Builder
	for part := range strings.SplitSeq(text, "<") { // drop the tags
		_, words, _ := strings.Cut(part, ">")
		b.WriteString(words + " ")
	}
	text = strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
	return fmt.Errorf("%s %s: status %d, want %d: %.300s", r.method, r.url, r.status, want, text)
}

// hiddenFields reads a page's hidden inputs, to send back.
func hiddenFields(page string) url.Values {
	form := url.Values{}
	for _, tag := range strings.Split(page, `<input type="hidden" `)[1:] {
		tag, _, _ = strings.Cut(tag, ">")
		form.Add(attr(tag, "name"), attr(tag, "value"))
	}
	return form
}

// inputNames lists the names of the inputs of a page's survey form.
func inputNames(page string) map[string]bool {
	if _, after, ok := strings.Cut(page, `<form method="post" action="/s/`); ok {
		page, _, _ = strings.Cut(after, "</form>")
	}
	names := map[string]bool{}
	for _, tag := range strings.Split(page, "<")[1:] {
		tag, _, _ = strings.Cut(tag, ">")
		if name := attr(tag, "name"); name != "" {
			names[name] = true
		}
	}
	return names
}

func attr(tag, name string) string {
	_, rest, ok := strings.Cut(" "+tag, " "+name+`="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return html.UnescapeString(v)
}

// result is what a run of load measured.
type result struct {
	done     int             // iterations that succeeded
	refused  int             // iterations the server refused, at capacity
	errors   int             // iterations that failed
	requests int             // requests sent
	samples  []string        // the first few errors
	latency  []time.Duration // of each iteration that succeeded, in order
	elapsed  time.Duration
}

func (r result) rate() float64        { return float64(r.done) / r.elapsed.Seconds() }
func (r result) requestRate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// percentile returns the latency below which the fraction p of the
// iterations finished (nearest rank).
func (r result) percentile(p float64) time.Duration {
	if len(r.latency) == 0 {
		return 0
	}
	i := int(float64(len(r.latency))*p+0.999999) - 1
	return r.latency[max(0, min(i, len(r.latency)-1))]
}

// load runs iterate over and over on n workers, each with an HTTP client of
// its own, for about d (each worker finishes the iteration it is in).
// iterate returns the number of requests it sent.
func load(ctx context.Context, n int, d time.Duration, iterate func(*http.Client, *mathrand.Rand) (int, error)) result {
	var (
		mu  sync.Mutex
		res result
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for i := range n {
		wg.Go(func() {
			c := newClient()
			defer c.CloseIdleConnections()
			rng := mathrand.New(mathrand.NewPCG(uint64(i), uint64(start.UnixNano())))
			var mine result
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t := time.Now()
				requests, err := iterate(c, rng)
				mine.requests += requests
				if r := (refusal{}); errors.As(err, &r) {
					// A respondent waits as long as the server asks
					// before trying again.
					mine.refused++
					time.Sleep(min(r.wait, time.Until(deadline)))
					continue
				}
				if err != nil {
					mine.errors++
					if len(mine.samples) < 3 {
						mine.samples = append(mine.samples, err.Error())
					}
					continue
				}
				mine.done++
				mine.latency = append(mine.latency, time.Since(t))
			}
			mu.Lock()
			defer mu.Unlock()
			res.done += mine.done
			res.refused += mine.refused
			res.errors += mine.errors
			res.requests += mine.requests
			res.latency = append(res.latency, mine.latency...)
			if len(res.samples) < 3 {
				res.samples = append(res.samples, mine.samples[:min(len(mine.samples), 3-len(res.samples))]...)
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latency)
	return res
}

// newClient returns a respondent's HTTP client: one keep-alive connection
// of its own, redirects returned rather than followed.
func newClient() *http.Client {
	return &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       time.Minute,
	}
}

// loadTrivial loads a trivial handler, in this process, the way the
// toolkit is loaded: a GET, then a POST with a form of the same size.
func loadTrivial(ctx context.Context, o options, body string) (result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "Thank you.\n")
	})}
	go srv.Serve(ln)
	defer srv.Close()
	target := "http://" + ln.Addr().String() + "/"
	body = "state=" + strings.Repeat("x", 120) + "&" + body
	iterate := func(c *http.Client, _ *mathrand.Rand) (int, error) {
		for i, method := range []string{http.MethodGet, http.MethodPost} {
			r, err := send(c, method, target, body)
			if err != nil {
				return i + 1, err
			} else if r.status != http.StatusOK {
				return i + 1, r.unexpected(http.StatusOK)
			}
		}
		return 2, nil
	}
	load(ctx, o.concurrency, o.warmup, iterate)
	return load(ctx, o.concurrency, o.duration, iterate), nil
}

// build builds the toolkit command from the repository the working
// directory is in.
func build(ctx context.Context, dir string) (string, error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	if p := strings.TrimSpace(string(gomod)); p == "" || p == os.DevNull {
		return "", errors.New("run it from inside the toolkit's repository")
	}
	bin := filepath.Join(dir, "toolkit")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/toolkit")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the toolkit: %w\n%s", err, out)
	}
	return bin, nil
}

// server is a running `toolkit serve`.
type server struct {
	cmd     *exec.Cmd
	url     string
	log     string        // the file its log goes to
	drained chan struct{} // closed when its output has all been read
	stopped bool
}

// startServer starts `toolkit serve` on the database and the address, and
// waits until it listens. Its log is added to server.log in dir.
func startServer(ctx context.Context, bin, dsn, dir, addr string) (*server, error) {
	s := &server{log: filepath.Join(dir, "server.log"), drained: make(chan struct{})}
	logFile, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	args := append([]string{"serve", "--db", dsn, "--addr", addr, "--log-level", "warn"}, strings.Fields(serverFlags)...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Dir = dir
	s.cmd.Stderr = logFile
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	listening := make(chan string, 1)
	go func() {
		defer close(s.drained)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Listening on "); ok {
				listening <- u
			}
		}
	}()
	select {
	case s.url = <-listening:
		return s, nil
	case <-s.drained:
		err = errors.New("it stopped")
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(2 * time.Minute):
		err = errors.New("it did not listen within 2 minutes")
	}
	s.kill()
	return nil, fmt.Errorf("starting toolkit serve: %w\n%s", err, s.logHead(20))
}

// stop stops the server as an operator does, with SIGINT, so that it
// finishes what it is doing; it is killed if it has not stopped within a
// minute.
func (s *server) stop() error {
	s.stopped = true
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	select {
	case <-s.drained:
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		<-s.drained
	}
	return s.cmd.Wait()
}

// kill stops the server at once, if stop has not.
func (s *server) kill() {
	if !s.stopped {
		s.stopped = true
		s.cmd.Process.Kill()
		<-s.drained
		s.cmd.Wait()
	}
}

// peakMemory is the most memory the server has held, as the system tells
// (Linux's VmHWM), or "".
func (s *server) peakMemory() string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			if kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB")); err == nil {
				return fmt.Sprintf("%.0f MB", float64(kb)/1024)
			}
		}
	}
	return ""
}

// logHead returns the first lines the server logged.
func (s *server) logHead(n int) string {
	b, _ := os.ReadFile(s.log)
	lines := strings.SplitAfter(string(b), "\n")
	return strings.Join(lines[:min(n, len(lines))], "")
}

// countResponses counts the default survey's stored responses.
func countResponses(ctx context.Context, dsn string) (int, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	sv, err := db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		return 0, err
	}
	return db.CountResponses(ctx, sv.ID, store.ResponseFilter{})
}
