package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The set operations give what a map of the ids gives, for lists of
// like sizes (merged step by step) and of very unlike ones (merged by
// galloping through the long one), either way round.
func TestSetOpsAsMaps(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	set := func(n, span int) []uint64 {
		m := map[uint64]bool{}
		for len(m) < n {
			m[uint64(r.IntN(span))] = true
		}
		out := make([]uint64, 0, n)
		for id := range m {
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct{ na, nb, span int }{
		{0, 0, 10}, {0, 5, 10}, {5, 0, 10}, {1, 1, 2}, {50, 60, 200},
		{3, 5000, 10000}, {5000, 3, 10000}, {40, 9000, 9500}, {9000, 40, 9500},
		{100, 100000, 100001}, // b is nearly everything
	} {
		for round := 0; round < 20; round++ {
			a, b := set(c.na, c.span), set(c.nb, c.span)
			inB := map[uint64]bool{}
			for _, id := range b {
				inB[id] = true
			}
			var wantAnd, wantMinus []uint64
			for _, id := range a {
				if inB[id] {
					wantAnd = append(wantAnd, id)
				} else {
					wantMinus = append(wantMinus, id)
				}
			}
			name := fmt.Sprintf("%d and %d of %d", c.na, c.nb, c.span)
			if got := intersect(a, b); !slices.Equal(got, wantAnd) {
				t.Fatalf("%s: intersect: %d ids, want %d", name, len(got), len(wantAnd))
			}
			if got := minus(a, b); !slices.Equal(got, wantMinus) {
				t.Fatalf("%s: minus: %d ids, want %d", name, len(got), len(wantMinus))
			}
		}
	}
}

// seek finds the first id at or after x from any start, as a linear
// scan does.
func TestSeekAsScan(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for round := 0; round < 2000; round++ {
		b := make([]uint64, r.IntN(300))
		for i := range b {
			b[i] = uint64(r.IntN(1000))
		}
		slices.Sort(b)
		b = slices.Compact(b)
		j := 0
		if len(b) > 0 {
			j = r.IntN(len(b) + 1)
		}
		x := uint64(r.IntN(1100))
		want := j
		for want < len(b) && b[want] < x {
			want++
		}
		if got := seek(b, j, x); got != want {
			t.Fatalf("seek(%v, %d, %d) = %d, want %d", b, j, x, got, want)
		}
	}
}
