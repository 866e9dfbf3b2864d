package store

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// A page's bound leaves out what an excluded word's list holds, also
// when that list is long and read lazily (asked per id, not decoded):
// the bound of "zeppelin -russia" holds no article with "russia", so the
// page reads no docs entry and checks no text for them.
func TestBoundLeavesOutLazyExclusions(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(400, 3)
	for i, a := range arts {
		if i%9 == 0 {
			a.Text += " Zeppelin." // a short list, decoded
		}
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    string
		lazy bool
	}{
		{"zeppelin -russia", true},
		{"zeppelin -russia", false},
		{`zeppelin "north korea" -(russia OR moscow)`, true},
		{"zeppelin -(russia -moscow)", true},
	} {
		t.Run(fmt.Sprintf("%s lazy=%v", tc.q, tc.lazy), func(t *testing.T) {
			q, err := query.Parse(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var want []uint64
			for _, a := range arts {
				if refMatch(q, a) || refMatch(q.Kids[0], a) && !refMatch(q.Kids[len(q.Kids)-1].Kids[0], a) {
					want = append(want, a.ID)
				}
			}
			if len(want) == 0 {
				t.Fatal("the test's articles give no matches")
			}
			s.page = pageTuning{lazyBytes: 128 << 10, lazyWalk: 20000, wholePhrase: 1000, lazyLimit: 1000}
			if tc.lazy {
				s.page.lazyBytes = 200 // zeppelin's list is short, the others long
			}
			defer func() { s.page = defaultPageTuning }()
			err = s.view(func(tx *bolt.Tx) error {
				ev := &evaluator{tx: tx, z: s.z, idx: tx.Bucket(bIndex), docs: tx.Bucket(bDocs), arts: tx.Bucket(bArticles), page: s.page}
				ev.loadDirty()
				m := newPageMatcher(ev, true)
				bound, all := m.bound(q)
				if all {
					t.Fatal("bound is every article")
				}
				if tc.lazy && !m.anyLazy {
					t.Fatal("no list was read lazily")
				}
				// The bound holds every match (a phrase is checked
				// later), and nothing the exclusion holds.
				for _, id := range want {
					if !slices.Contains(bound, id) {
						t.Errorf("match %d is not in the bound", id)
					}
				}
				for _, id := range bound {
					if refMatch(q.Kids[len(q.Kids)-1].Kids[0], arts[id-1]) {
						t.Errorf("bound holds %d, which the exclusion matches", id)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
