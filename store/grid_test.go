package store

import (
	"fmt"
	"reflect"
	"testing"
)

// A count of the whole archive by outlet walks the docs in short read
// transactions: between two of them none is open, and articles written
// meanwhile are counted once (new ids come after the walk's position).
func TestWalkDocsInShortTransactions(t *testing.T) {
	s := checkStore(t, 60)
	calls, seen := 0, 0
	err := s.walkDocs(10, func() {
		calls++
		if n := s.db.Stats().OpenTxN; n != 0 {
			t.Fatalf("between two batches, %d read transactions are open", n)
		}
		if calls == 2 {
			for i := range 5 {
				if _, _, err := s.Put(&Article{URL: fmt.Sprintf("https://x.org/new/%d", i), Outlet: "x", Text: "new", FirstSeen: day(3)}, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
	}, func([]byte) { seen++ })
	if err != nil {
		t.Fatal(err)
	}
	if calls < 5 || seen != 65 {
		t.Errorf("%d batches, %d docs entries seen; want at least 6 batches and 65", calls+1, seen)
	}
	// The batched count is Count's, outlet by outlet.
	got, err := s.CountByOutlet(Filter{}, ByDay)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Count(Filter{Outlets: []string{"x"}}, ByDay)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got["x"], want) || len(got) != 1 {
		t.Errorf("CountByOutlet %v, Count %v", got, want)
	}
}
