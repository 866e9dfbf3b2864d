package store

import (
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/feedvault/feedvault/query"
)

// A long listing of a read-only store reads its records on every core
// (readAll) with the docs entries its hits carry: the same articles, in
// the same order, with the same fields as the writer's listing, which
// reads them one by one.
func TestLongListingReadOnlyStoreAsWriter(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range genArticles(1500, 8) {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
		if i == 1400 {
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	q, err := query.Parse("korea OR troops OR -missile")
	if err != nil {
		t.Fatal(err)
	}
	filters := []Filter{{Query: q, Listing: true}, {Listing: true}, {Query: q, Listing: true, Since: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)}}
	var want [][]*Article
	for _, f := range filters {
		got, err := s.Query(f)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for i, f := range filters {
		got, err := ro.Query(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want[i]) || len(got) < 1024 && i == 0 {
			t.Fatalf("filter %d: %d articles, want %d (at least 1024 for the first)", i, len(got), len(want[i]))
		}
		for j, a := range got {
			w := want[i][j]
			if a.ID != w.ID || a.URL != w.URL || a.Title != w.Title || a.Outlet != w.Outlet || !a.Published.Equal(w.Published) || !a.FirstSeen.Equal(w.FirstSeen) || a.Edited != w.Edited {
				t.Fatalf("filter %d, article %d: %+v, want %+v", i, j, a, w)
			}
		}
	}
}
