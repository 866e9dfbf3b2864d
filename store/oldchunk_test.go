package store

import (
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Archives written before chunks held 128 ids have chunks of up to
// 2,048. Adding ids after such a chunk, or into it, or removing one,
// keeps every id; it used to panic (a negative room in the chunk).
func TestPostingsAfterAnOldBigChunk(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const term = "wkorea"
	var old []uint64
	for id := uint64(1); id <= 300; id++ {
		old = append(old, id*2)
	}
	want := slices.Clone(old)
	err = s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bIndex)
		if err := b.Put(chunkKey(term, old[0]), encodeChunk(old)); err != nil { // one chunk of 300, as schema 1 wrote
			return err
		}
		if err := addPostings(b, term, []uint64{601, 602, 603}); err != nil { // after it
			return err
		}
		want = append(want, 601, 602, 603)
		if err := addPostings(b, term, []uint64{3}); err != nil { // into it
			return err
		}
		want = append(want, 3)
		if err := removePosting(b, term, 100); err != nil {
			return err
		}
		want = slices.DeleteFunc(want, func(id uint64) bool { return id == 100 })
		slices.Sort(want)
		if got := postings(b, term, false); !slices.Equal(got, want) {
			t.Errorf("postings: %d ids, want %d (first diff near %v)", len(got), len(want), firstDiff(got, want))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func firstDiff(a, b []uint64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
