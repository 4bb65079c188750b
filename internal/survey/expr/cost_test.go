package expr

import (
	"runtime"
	"strings"
	"testing"
)

// costLength is the longest answer of each question the cost tests name:
// t is text, n a number, s a select_multiple of three one-letter choices.
func costLength(name string) int {
	switch name {
	case "n":
		return 40
	case "s":
		return 6
	}
	return 5000
}

func mustCost(t *testing.T, src string) int {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	return e.Cost(costLength, 5000)
}

func TestCost(t *testing.T) {
	tests := []struct {
		src  string
		want int
		why  string
	}{
		{"${t} = 'yes'", 33, "three parts, and text compared up to the end of the shorter"},
		{"${t} = 18", 30 + 4*5000, "three parts, and the answer read as a number"},
		{"${n} >= 18", 30 + 4*40, "three parts, and the answer read as a number"},
		{"-${t}", 20 + 4*5000, "two parts, and the answer read as a number"},
		{"true() or not(false())", 40, "four parts, nothing read"},
		{"selected(${s}, 'a')", 30 + 6 + 1, "three parts, and both texts read"},
		{"count-selected(.)", 20 + 5000, "two parts, and the answer read"},
		{"string-length(.) <= 200", 40 + 5000, "four parts, and the answer read"},
		{"string-length(12)", 20 + 2*2, "two parts, and the number written and read"},
		{"concat(${t}, ${t}, 'x')", 40 + 2*5000 + 1, "four parts, and every text copied"},
		{"string-length(concat(${t}, ${t}))", 40 + 2*10000, "four parts, the texts copied and the copy read"},
		{"if(${n} > 1, ${t}, 'x')", 10 + 190 + 10, "the condition and the costlier branch"},
		{"contains(${t}, 'ab') and starts-with(${t}, 'a')", 70 + 5002 + 5001, "seven parts, and both texts read, each time"},
	}
	for _, tt := range tests {
		if got := mustCost(t, tt.src); got != tt.want {
			t.Errorf("Cost(%s) = %d, want %d: %s", tt.src, got, tt.want, tt.why)
		}
	}
}

// TestCostRegex checks that a pattern costs the characters it can read
// times its instructions: the whole answer, unless it is anchored and
// matches no more than so many characters; and that a pattern made from
// an answer costs more than any form could be allowed.
func TestCostRegex(t *testing.T) {
	insts, reads := pattern("^[0-9]{4}$")
	if reads != 5 || insts < 5 {
		t.Errorf("pattern(^[0-9]{4}$) = %d instructions, %d characters read; want at least 5, and 5", insts, reads)
	}
	if got, want := mustCost(t, "regex(., '^[0-9]{4}$')"), 20+reads*insts; got != want {
		t.Errorf("Cost(regex(., '^[0-9]{4}$')) = %d, want %d", got, want)
	}
	for _, src := range []string{"[0-9]{4}", "^[0-9]+$", "^(a|aa)*$"} {
		insts, reads := pattern(src)
		if reads != maxCost {
			t.Errorf("pattern(%s) reads %d characters, want the whole text", src, reads)
		}
		if got, want := mustCost(t, "regex(., '"+src+"')"), 20+5000*insts; got != want {
			t.Errorf("Cost(regex(., '%s')) = %d, want %d", src, got, want)
		}
	}
	for _, src := range []string{"regex(., ${t})", "regex(concat(${t}, ${t}), concat(${t}, ${t}, ${t}))"} {
		if got := mustCost(t, src); got < 10_000_000_000 || got > maxCost {
			t.Errorf("Cost(%s) = %d, want at least 10,000,000,000 and at most maxCost", src, got)
		}
	}
}

// TestSelectedAllocates checks that selected() and count-selected() read a
// long answer without copying its choices, which Cost does not count: they
// allocate no more memory for 2,500 choices than for one.
func TestSelectedAllocates(t *testing.T) {
	short := env{answers: map[string]string{"s": "a"}}
	long := env{answers: map[string]string{"s": strings.Repeat("a ", 2500)}}
	for _, src := range []string{"selected(${s}, 'b')", "count-selected(${s}) > 3"} {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		few, many := allocated(func() { e.Eval(short) }), allocated(func() { e.Eval(long) })
		if many > few {
			t.Errorf("%s allocates %d bytes on an answer of 2,500 choices, and %d on one of one", src, many, few)
		}
	}
}

// allocated returns how many bytes f allocates, on average over 100 runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 100 {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / 100
}
