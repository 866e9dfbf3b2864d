package store

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// indexDump is every term's ids, whatever the chunks.
func indexDump(t *testing.T, s *Store) map[string][]uint64 {
	t.Helper()
	out := map[string][]uint64{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bIndex).ForEach(func(k, v []byte) error {
			term := string(k[:len(k)-9])
			out[term] = appendChunk(out[term], k, v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for term, ids := range out {
		slices.Sort(ids)
		out[term] = ids
	}
	return out
}

// asReindexed checks that no article is left dirty and that the index
// who built is the one Reindex builds from the articles.
func asReindexed(t *testing.T, s *Store, who string) {
	t.Helper()
	if n, err := s.DirtyCount(); err != nil || n != 0 {
		t.Fatalf("%s: %d articles left dirty (%v)", who, n, err)
	}
	got := indexDump(t, s)
	if _, err := s.Reindex(); err != nil {
		t.Fatal(err)
	}
	if d := diffDumps(got, indexDump(t, s)); d != "" {
		t.Errorf("the index %s built differs from Reindex's: %s", who, d)
	}
}

func diffDumps(got, want map[string][]uint64) string {
	for _, term := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(got[term], want[term]) {
			return fmt.Sprintf("%q: %v, want %v", term, got[term], want[term])
		}
	}
	for term := range got {
		if _, ok := want[term]; !ok {
			return fmt.Sprintf("%q: %v, want none", term, got[term])
		}
	}
	return ""
}

// A Loader's index equals the one Reindex builds from the stored
// articles, however often it flushes, also when articles are written
// again in a later batch with other words (before or after a flush) and
// twice in one batch.
func TestLoaderIndexEqualsReindex(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxPairs int
		group    int // PrepareMany groups of this many articles (0: none)
	}{
		{"a flush after every batch", 1, 0},
		{"a flush every few batches", 3000, 0},
		{"one flush at Close", loaderPairs, 0},
		{"prepared in groups across batches, a flush every few", 3000, 150},
		{"prepared in groups, one flush", loaderPairs, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			l, err := s.NewLoader()
			if err != nil {
				t.Fatal(err)
			}
			l.max = tc.maxPairs
			arts := genArticles(900, 11)
			again := genArticles(900, 12) // the same URLs, other words
			var batches [][]*Article
			for i := 0; i < len(arts); i += 100 {
				batch := slices.Clone(arts[i : i+100])
				if i >= 200 {
					// articles of two and of four batches back, written again
					batch = append(batch, again[i-200+3], again[i-200+50])
					if i >= 400 {
						batch = append(batch, again[i-400+7])
					}
				}
				if i == 300 {
					batch = append(batch, arts[0], again[0]) // twice in one batch: the last wins
				}
				batches = append(batches, batch)
			}
			if tc.group > 0 {
				all := slices.Concat(batches...)
				for i := 0; i < len(all); i += tc.group {
					g := all[i:min(i+tc.group, len(all))]
					if n, err := s.PrepareMany(g, nil); n != len(g) || err != nil {
						t.Fatalf("PrepareMany: %d of %d (%v)", n, len(g), err)
					}
				}
			}
			for _, batch := range batches {
				if _, err := l.PutMany(batch, nil); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			asReindexed(t, s, "the loader")
		})
	}
}

// An article another writer rewrites before the Loader flushes is
// indexed by what is stored, not by the words the Loader gathered.
func TestLoaderLeavesRewrittenArticles(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	mk := func(text string) *Article {
		a := genArticles(1, 3)[0]
		a.Title, a.Text = "loaded", text
		return a
	}
	if _, err := l.PutMany([]*Article{mk("alphaword")}, nil); err != nil {
		t.Fatal(err)
	}
	id, _, err := s.Put(mk("betaword"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DirtyCount(); err != nil || n != 0 {
		t.Fatalf("%d articles left dirty (%v)", n, err)
	}
	idx := indexDump(t, s)
	if got := idx["walphaword"]; len(got) != 0 {
		t.Errorf("the Loader's words were indexed for %v; the article holds other words now", got)
	}
	if got := idx["wbetaword"]; !slices.Equal(got, []uint64{id}) {
		t.Errorf("the stored words: %v, want [%d]", got, id)
	}
}

// A Loader that never flushes (the process died before Close) loses
// nothing: its articles are archived and marked dirty, a query finds
// them by their words, and FlushIndex indexes them as Reindex would.
func TestLoaderCrashLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	arts := genArticles(300, 21)
	for i := 0; i < len(arts); i += 100 {
		if _, err := l.PutMany(arts[i:i+100], nil); err != nil {
			t.Fatal(err)
		}
	}
	l.gather.Wait() // the last batch's words gathered, never written
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.DirtyCount(); err != nil || n != len(arts) {
		t.Fatalf("%d articles dirty after the crash (%v), want %d", n, err, len(arts))
	}
	term := strings.Fields(arts[0].Text)[0]
	want := 0
	for _, a := range arts {
		if slices.Contains(strings.Fields(strings.ToLower(a.Title+" "+a.Text)), strings.ToLower(term)) {
			want++
		}
	}
	q, _ := query.Parse(term)
	got, err := s.Query(Filter{Query: q})
	if err != nil || len(got) < want {
		t.Fatalf("query %q before the index is flushed: %d found (%v), want at least %d", term, len(got), err, want)
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	asReindexed(t, s, "FlushIndex after the crash")
}
