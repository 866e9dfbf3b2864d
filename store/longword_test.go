package store

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A page may hold a run of letters longer than any index key can be
// (bbolt's bound is 32 KB). Such a "word" is kept cut (query.MaxWordBytes),
// so that one hostile page cannot stop the index: before the cut, its
// key failed every FlushIndex, and every article after it stayed out of
// the index for good. Both ways in: Put then FlushIndex, and the Loader.
func TestRunOfLettersPastAKeyIsIndexed(t *testing.T) {
	long := strings.Repeat("Ab", 20000) // 40,000 bytes, one word
	for _, way := range []string{"put", "loader"} {
		t.Run(way, func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			arts := genArticles(20, 5)
			arts[3].Text += " " + long + " tail"
			arts[4].Title += " " + long
			switch way {
			case "put":
				for _, a := range arts {
					if _, _, err := s.Put(a, nil); err != nil {
						t.Fatal(err)
					}
				}
				if n, err := s.FlushIndex(0); err != nil || n != len(arts) {
					t.Fatalf("FlushIndex: %d of %d (%v)", n, len(arts), err)
				}
			case "loader":
				l, err := s.NewLoader()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := l.PutMany(arts, make([][]byte, len(arts))); err != nil {
					t.Fatal(err)
				}
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := s.DirtyCount(); err != nil || n != 0 {
				t.Fatalf("%d articles left out of the index (%v)", n, err)
			}
			for _, qs := range []string{long, `"` + long + ` tail"`, "title:" + long, strings.Repeat("ab", 100) + "*", "korea"} {
				if ids, want := idsAndReference(t, s, arts, qs); !slices.Equal(ids, want) || len(want) == 0 {
					t.Errorf("%.40s…: got %v, reference %v", qs, ids, want)
				}
			}
		})
	}
}
