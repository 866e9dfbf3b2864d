package store

import (
	"slices"
	"testing"
)

// blocks keeps every value where add said, across block boundaries,
// exactly full blocks, and runs that do not fit the rest of a block.
func TestBlocks(t *testing.T) {
	for _, size := range []int{1, 3, 65, 1 << 16} {
		t.Run("", func(t *testing.T) {
			var b blocks[uint32]
			var ats []int32
			n := 3*(1<<16)/size + 2
			for i := range n {
				run := make([]uint32, size)
				for k := range run {
					run[k] = uint32(i*size + k)
				}
				ats = append(ats, b.add(run...))
			}
			for i, at := range ats {
				got := b.b[at>>16][at&0xffff : int(at&0xffff)+size]
				want := make([]uint32, size)
				for k := range want {
					want[k] = uint32(i*size + k)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("run %d of %d at %d: got %v…, want %v…", i, size, at, got[:1], want[:1])
				}
			}
		})
	}
}
