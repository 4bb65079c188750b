package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name   string
		acked  []string
		stored map[string]int
		want   []string
	}{
		{"each once", []string{"a", "b"}, map[string]int{"a": 1, "b": 1}, nil},
		{"lost", []string{"a", "b"}, map[string]int{"a": 1}, []string{`"b": acknowledged, stored not at all`}},
		{"doubled", []string{"a", "b"}, map[string]int{"a": 2, "b": 1}, []string{`"a": acknowledged, stored 2 times`}},
		{"never acknowledged", []string{"a"}, map[string]int{"a": 1, "c": 1}, []string{`"c": stored once, never acknowledged`}},
		{"without a marker", nil, map[string]int{"": 3}, []string{`"": stored 3 times, never acknowledged`}},
	} {
		acked := map[string]bool{}
		for _, m := range tc.acked {
			acked[m] = true
		}
		if diff := cmp.Diff(tc.want, compare(acked, tc.stored)); diff != "" {
			t.Errorf("%s: compare(%v, %v) (-want +got):\n%s", tc.name, tc.acked, tc.stored, diff)
		}
	}
}
