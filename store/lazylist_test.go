package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A long list asked lazily answers as the decoded list does, whatever
// the order of the questions: ascending (each chunk read once, stepping
// to the next), descending, at random, with long strides (seeks), and
// for ids before the first chunk and past the last.
func TestLazyListAsDecoded(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(8, 1))
	arts := genArticles(1500, 21)
	for i, a := range arts {
		// zeppelin in runs and gaps, so that chunks span short and
		// long ranges of ids; never in the first 10 or the last 10.
		if i >= 10 && i < len(arts)-10 && (i/50%3 != 0 || r.IntN(7) == 0) {
			a.Text += " zeppelin"
		}
	}
	if _, err := s.PutMany(arts, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bIndex)
		term := string(fieldByte("")) + "zeppelin"
		want := postings(idx, term, false)
		if len(want) < 4*chunkMax {
			t.Fatalf("zeppelin's list holds %d ids: too few chunks for the test", len(want))
		}
		_, words := sizeTerm(idx, term, false, 0)
		if len(words) != 1 {
			t.Fatalf("%d words", len(words))
		}
		maxID := arts[len(arts)-1].ID + 5
		var asc []uint64
		for id := uint64(0); id <= maxID; id++ {
			asc = append(asc, id)
		}
		desc := slices.Clone(asc)
		slices.Reverse(desc)
		random := slices.Clone(asc)
		r.Shuffle(len(random), func(i, j int) { random[i], random[j] = random[j], random[i] })
		var strides []uint64
		for id := uint64(0); id <= maxID; id += 1 + uint64(r.IntN(400)) {
			strides = append(strides, id)
		}
		for _, c := range []struct {
			name string
			ids  []uint64
		}{{"ascending", asc}, {"descending", desc}, {"at random", random}, {"long strides", strides}, {"the list itself", want}} {
			t.Run(c.name, func(t *testing.T) {
				l := lazyList(idx, words)
				for _, id := range c.ids {
					if got := l.has(id); got != has(want, id) {
						t.Fatal(fmt.Sprintf("id %d: lazy list says %v", id, got))
					}
				}
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
