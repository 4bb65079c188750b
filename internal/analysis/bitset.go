package analysis

import "math/bits"

// bitset is a set of row numbers, one bit each.
type bitset []uint64

// set adds row i, growing the set as needed.
func (b *bitset) set(i int) {
	w := i >> 6
	for len(*b) <= w {
		*b = append(*b, 0)
	}
	(*b)[w] |= 1 << (uint(i) & 63)
}

// clear removes row i.
func (b bitset) clear(i int) {
	if w := i >> 6; w < len(b) {
		b[w] &^= 1 << (uint(i) & 63)
	}
}

// has reports whether row i is in the set.
func (b bitset) has(i int) bool {
	w := i >> 6
	return w < len(b) && b[w]&(1<<(uint(i)&63)) != 0
}

// count returns the number of rows in the set.
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// andCount returns the number of rows in all of the sets.
func andCount(sets ...bitset) int {
	if len(sets) == 0 {
		return 0
	}
	words := len(sets[0])
	for _, s := range sets[1:] {
		words = min(words, len(s))
	}
	n := 0
	switch len(sets) {
	case 2:
		a, b := sets[0][:words], sets[1][:words]
		for i := range a {
			n += bits.OnesCount64(a[i] & b[i])
		}
	case 3:
		a, b, c := sets[0][:words], sets[1][:words], sets[2][:words]
		for i := range a {
			n += bits.OnesCount64(a[i] & b[i] & c[i])
		}
	default:
		for i := 0; i < words; i++ {
			w := sets[0][i]
			for _, s := range sets[1:] {
				w &= s[i]
			}
			n += bits.OnesCount64(w)
		}
	}
	return n
}

// and returns a new set of the rows in both sets.
func and(a, b bitset) bitset {
	out := make(bitset, min(len(a), len(b)))
	for i := range out {
		out[i] = a[i] & b[i]
	}
	return out
}

// andNot returns a new set of the rows in a but not in b.
func andNot(a, b bitset) bitset {
	out := make(bitset, len(a))
	for i := range out {
		out[i] = a[i]
		if i < len(b) {
			out[i] &^= b[i]
		}
	}
	return out
}

// bytes is the memory the set holds.
func (b bitset) bytes() int { return 8 * cap(b) }
