package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
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

// storySigs makes n signatures: a third new, the rest copies of an
// earlier one with some values changed (similarity 0.3 to 1).
func storySigs(n int) [][]uint32 {
	r := rand.New(rand.NewPCG(7, 13))
	var out [][]uint32
	for i := range n {
		sig := make([]uint32, 64)
		if i%3 == 0 || i < 3 {
			for k := range sig {
				sig[k] = r.Uint32()
			}
		} else {
			copy(sig, out[r.IntN(len(out))])
			for range r.IntN(45) {
				sig[r.IntN(64)] = r.Uint32()
			}
		}
		out = append(out, sig)
	}
	return out
}

func chooseSimilar(sig []uint32) func([]StoryCandidate) (uint64, float64) {
	return func(cands []StoryCandidate) (uint64, float64) {
		var best uint64
		bestSim := 0.0
		for _, c := range cands {
			n := 0
			for k := range sig {
				if sig[k] == c.Sig[k] {
					n++
				}
			}
			if s := float64(n) / 64; s >= 0.35 && s > bestSim {
				best, bestSim = c.ID, s
			}
		}
		return best, bestSim
	}
}

// Articles filed in Put's transaction, through story_recent and its
// moves into the band bucket (every 7 articles here), are grouped as a
// backfill with its cache groups them, and as without moves.
func TestRecentBandsMove(t *testing.T) {
	sigs := storySigs(400)
	open := func(max int) *Store {
		st, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		st.recent.max = max
		return st
	}
	article := func(i int) *Article {
		return &Article{URL: fmt.Sprintf("https://o.example/%d", i), Outlet: "o", Text: "t"}
	}
	filer := func(i int) StoryFiler {
		return func(*Article) (StoryEntry, func([]StoryCandidate) (uint64, float64)) {
			return StoryEntry{Sig: sigs[i], Rows: 2}, chooseSimilar(sigs[i])
		}
	}
	groups := func(st *Store) []StoryInfo {
		var out []StoryInfo
		for i := range sigs {
			si, ok, err := st.Story(uint64(i + 1))
			if err != nil || !ok {
				t.Fatalf("article %d: filed %v, %v", i+1, ok, err)
			}
			out = append(out, si)
		}
		return out
	}
	put := func(max int) *Store {
		st := open(max)
		for i := range sigs {
			a := article(i)
			a.FileStory(filer(i))
			if _, _, err := st.Put(a, nil); err != nil {
				t.Fatal(err)
			}
		}
		return st
	}
	moved, kept := put(7), put(0)
	back := open(0)
	var arts []*Article
	for i := range sigs {
		arts = append(arts, article(i))
	}
	if _, err := back.PutMany(arts, nil); err != nil {
		t.Fatal(err)
	}
	cache := NewStoryCache(0)
	for from := 0; from < len(sigs); from += 100 {
		var es []StoryEntry
		for i := from; i < min(from+100, len(sigs)); i++ {
			es = append(es, StoryEntry{ID: uint64(i + 1), Sig: sigs[i], Rows: 2})
		}
		if _, err := back.PutStories(es, func(e StoryEntry) func([]StoryCandidate) (uint64, float64) { return chooseSimilar(e.Sig) }, cache); err != nil {
			t.Fatal(err)
		}
	}
	want := groups(back)
	joined := 0
	for _, si := range want {
		if si.Group != si.ID {
			joined++
		}
	}
	if joined < len(sigs)/3 {
		t.Fatalf("only %d of %d joined a group", joined, len(sigs))
	}
	for name, st := range map[string]*Store{"moved every 7": moved, "never moved": kept} {
		if got := groups(st); !slices.EqualFunc(got, want, func(a, b StoryInfo) bool { return a.Group == b.Group && a.Similarity == b.Similarity }) {
			for i := range got {
				if got[i].Group != want[i].Group {
					t.Errorf("%s: article %d in group %d, want %d", name, i+1, got[i].Group, want[i].Group)
					break
				}
			}
		}
	}
	// An article filed again leaves its old bands, wherever they were:
	// the band bucket (article 1, moved long ago) or story_recent (the
	// last one, not moved yet with max 0).
	for name, st := range map[string]*Store{"moved every 7": moved, "never moved": kept} {
		for _, i := range []int{0, len(sigs) - 1} {
			fresh := make([]uint32, 64)
			for k := range fresh {
				fresh[k] = uint32(k*7919 + i)
			}
			if _, err := st.PutStory(StoryEntry{ID: uint64(i + 1), Sig: fresh, Rows: 2}, chooseSimilar(fresh)); err != nil {
				t.Fatal(err)
			}
			twin := article(10000 + i)
			twin.FileStory(func(*Article) (StoryEntry, func([]StoryCandidate) (uint64, float64)) {
				return StoryEntry{Sig: sigs[i], Rows: 2}, func(cands []StoryCandidate) (uint64, float64) {
					for _, c := range cands {
						if c.ID == uint64(i+1) {
							t.Errorf("%s: article %d is still found by its old bands", name, i+1)
						}
					}
					return 0, 0
				}
			})
			if _, _, err := st.Put(twin, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
}
