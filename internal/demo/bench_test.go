package demo_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// benchSizes are the numbers of responses the benchmarks measure.
var benchSizes = []struct {
	name string
	n    int
}{
	{"10k", 10_000},
	{"100k", 100_000},
	{"1M", 1_000_000},
}

// BenchmarkIndex and BenchmarkReport measure the response index and the
// full disparity report on synthetic responses to the demo survey stored
// in SQLite, at each of benchSizes:
//
//   - BenchmarkIndex: building the index from the database, as the server
//     does at start (analysis.Load over store.EachResponse), with the
//     index's memory per response (bytes/response);
//   - BenchmarkReport: the default report from the index (every outcome
//     by every group of every dimension, with disclosure control), with
//     the first report, which also works out the index's cached sets, as
//     ns/first-report.
//
// Each size's database is made once, with AddResponses and seed 1, and
// kept in $TOOLKIT_BENCH_DIR (by default a temporary directory, removed
// when the run ends); delete the directory after changing the generator.
// 1,000,000 responses (about 1.1 GB, a few minutes to make) are measured
// only when TOOLKIT_BENCH_1M=1. The command docs/benchmarks.md reports
// figures from:
//
//	TOOLKIT_BENCH_DIR=/tmp/toolkit-bench TOOLKIT_BENCH_1M=1 \
//	  go test ./internal/demo/ -run '^$' -bench . -benchtime 3x -timeout 60m
func BenchmarkIndex(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			db, s := benchDatabase(b, size.n)
			var x *analysis.Index
			for b.Loop() {
				x = loadIndex(b, db, s)
			}
			if x.Len() != size.n {
				b.Fatalf("the index holds %d responses, want %d", x.Len(), size.n)
			}
			b.ReportMetric(float64(x.Bytes())/float64(size.n), "bytes/response")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(size.n), "ns/response")
		})
	}
}

// BenchmarkReport measures the default report; see BenchmarkIndex.
func BenchmarkReport(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			db, s := benchDatabase(b, size.n)
			x := loadIndex(b, db, s)
			start := time.Now()
			if _, err := x.Report(analysis.DefaultRequest()); err != nil {
				b.Fatal(err)
			}
			first := time.Since(start)
			for b.Loop() {
				if _, err := x.Report(analysis.DefaultRequest()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(first.Nanoseconds()), "ns/first-report")
		})
	}
}

func loadIndex(b *testing.B, db *store.DB, s survey.Survey) *analysis.Index {
	b.Helper()
	x, err := analysis.Load(s.Definition, func(fn func(survey.Response) error) error {
		return db.EachResponse(context.Background(), s.ID, store.ResponseFilter{}, 0, 0, fn)
	})
	if err != nil {
		b.Fatal(err)
	}
	return x
}

// benchDir is where the benchmarks' databases are kept.
var benchDir struct {
	once sync.Once
	path string
	temp bool // made for this run, and removed at its end
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir.temp {
		os.RemoveAll(benchDir.path)
	}
	os.Exit(code)
}

// benchDatabase opens the database of n synthetic responses, making it
// first if it is not kept from an earlier run.
func benchDatabase(b *testing.B, n int) (*store.DB, survey.Survey) {
	b.Helper()
	if n >= 1_000_000 && os.Getenv("TOOLKIT_BENCH_1M") != "1" {
		b.Skip("set TOOLKIT_BENCH_1M=1 to measure 1,000,000 responses (about 1.1 GB of SQLite, a few minutes to make)")
	}
	benchDir.once.Do(func() {
		if benchDir.path = os.Getenv("TOOLKIT_BENCH_DIR"); benchDir.path != "" {
			benchDir.err = os.MkdirAll(benchDir.path, 0o755)
			return
		}
		benchDir.path, benchDir.err = os.MkdirTemp("", "toolkit-bench")
		benchDir.temp = benchDir.err == nil
	})
	if benchDir.err != nil {
		b.Fatal(benchDir.err)
	}
	ctx := context.Background()
	path := filepath.Join(benchDir.path, fmt.Sprintf("demo-seed1-%d.db", n))
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		b.Logf("making %d synthetic responses in %s…", n, path)
		if err := makeBenchDatabase(ctx, path, n); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s, err := db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		b.Fatal(err)
	}
	return db, s
}

// makeBenchDatabase makes the database under another name and renames it
// when it is complete, so that an interrupted run leaves none half made.
func makeBenchDatabase(ctx context.Context, path string, n int) error {
	part := path + ".part"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(part + suffix)
	}
	db, err := store.Open(ctx, part)
	if err != nil {
		return err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	if err := demo.AddResponses(ctx, db, n, 1, nil); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	if _, err := os.Stat(part + "-wal"); err == nil {
		if err := os.Rename(part+"-wal", path+"-wal"); err != nil {
			return err
		}
	}
	return os.Rename(part, path)
}
