package charts

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden compares the sample charts with the SVG files in testdata/,
// which can be opened to look at them. Rewrite them with
// go test ./internal/charts -run TestGolden -update, and look at what
// changed.
func TestGolden(t *testing.T) {
	for _, sc := range sampleCharts() {
		t.Run(sc.name, func(t *testing.T) {
			path := filepath.Join("testdata", sc.name+".svg")
			got := string(sc.svg) + "\n"
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", sc.name, path, diff)
			}
		})
	}
}
