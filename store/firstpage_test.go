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
		// listing: a page that decodes its lists (a listing's), with
		// russia's list long: the bound asks it per id all the same.
		listing bool
	}{
		{"zeppelin -russia", true, false},
		{"zeppelin -russia", false, false},
		{`zeppelin "north korea" -(russia OR moscow)`, true, false},
		{"zeppelin -(russia -moscow)", true, false},
		{"zeppelin -russia", true, true},
	} {
		t.Run(fmt.Sprintf("%s lazy=%v listing=%v", tc.q, tc.lazy, tc.listing), func(t *testing.T) {
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
			s.page = pageTuning{lazyBytes: 128 << 10, lazyWalk: 20000, wholePhrase: 1000, lazyLimit: 1000, lazyAsks: 4000}
			if tc.lazy {
				s.page.lazyBytes = 200 // zeppelin's list is short, the others long
			}
			defer func() { s.page = defaultPageTuning }()
			err = s.view(func(tx *bolt.Tx) error {
				ev := s.newEvaluator(tx)
				m := newPageMatcher(ev, !tc.listing)
				bound, all := m.bound(q)
				if all {
					t.Fatal("bound is every article")
				}
				if tc.lazy && !tc.listing && !m.anyLazy {
					t.Fatal("no list was read lazily")
				}
				if tc.listing && ev.decoded(string(fieldByte(""))+"russia", false) {
					t.Fatal("the listing's bound decoded russia's long list")
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

// A page asks a lazily read list per id before it reads a candidate's
// docs entry: for "outlet:meduza zeppelin", where meduza never writes
// zeppelin, the bound is meduza's articles and none is read.
func TestLazyListsAskedBeforeDocs(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(400, 5)
	meduza := 0
	for _, a := range arts {
		if a.Outlet == "meduza" {
			meduza++
		} else {
			a.Text += " Zeppelin."
		}
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	if meduza < 50 || meduza > 128 {
		t.Fatalf("%d meduza articles: the test wants one chunk of them, and many", meduza)
	}
	// meduza's list (one chunk) is decoded; zeppelin's (three) is lazy.
	s.page = pageTuning{lazyBytes: 150, lazyWalk: 20000, wholePhrase: 1000, lazyLimit: 1000, lazyAsks: 4000}
	defer func() { s.page = defaultPageTuning }()
	for _, qs := range []string{"outlet:meduza zeppelin", `outlet:meduza "zeppelin korea"`, "outlet:meduza (zeppelin OR airship)"} {
		t.Run(qs, func(t *testing.T) {
			q, err := query.Parse(qs)
			if err != nil {
				t.Fatal(err)
			}
			err = s.view(func(tx *bolt.Tx) error {
				ev := s.newEvaluator(tx)
				out := firstPage(tx, ev, Filter{Query: q}, 0, ^uint64(0), 10, func(d docInfo) (uint64, bool) { return d.published, true })
				if len(out) != 0 {
					t.Errorf("%d results, want none", len(out))
				}
				if ev.docReads != 0 {
					t.Errorf("%d docs entries read, want none", ev.docReads)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
