package store

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func checkStore(t *testing.T, n int) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i := range n {
		if _, _, err := s.Put(&Article{URL: fmt.Sprintf("https://x.org/%d", i), Outlet: "x", Text: "words", FirstSeen: day(1 + i%20)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// check walks the articles in short read transactions: between two of
// them none is open, so a commit that grows the file (bbolt's remap
// waits for every read transaction) goes through during the walk; and
// what is written meanwhile (new articles, an article whose date moves
// its time key) is no damage.
func TestCheckWalkLetsTheFileGrow(t *testing.T) {
	s := checkStore(t, 60)
	noise := make([]byte, 4<<20) // random: it does not compress, and the file must grow
	rand.Read(noise)
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	problems, err := s.checkArticles(10, func() {
		calls++
		if n := s.db.Stats().OpenTxN; n != 0 {
			t.Fatalf("between two batches of the walk, %d read transactions are open", n)
		}
		switch calls {
		case 1: // a commit that must grow the file
			if _, _, err := s.Put(&Article{URL: "https://x.org/big", Outlet: "x", Text: "big", FirstSeen: day(2)}, noise); err != nil {
				t.Fatal(err)
			}
		case 2: // an article not walked yet moves in time
			a, err := s.Get(50)
			if err != nil {
				t.Fatal(err)
			}
			a.Published = day(25)
			if err := s.Replace(a); err != nil {
				t.Fatal(err)
			}
		case 3: // new articles arrive
			for i := range 30 {
				if _, _, err := s.Put(&Article{URL: fmt.Sprintf("https://x.org/new/%d", i), Outlet: "x", Text: "new", FirstSeen: day(3)}, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("a sound archive written to during check: %v", problems)
	}
	if calls < 5 {
		t.Errorf("the walk of 60+ articles in batches of 10 released its read transaction %d times", calls)
	}
	after, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() <= fi.Size() {
		t.Errorf("the file did not grow during the walk (%d bytes before, %d after)", fi.Size(), after.Size())
	}
}

// Damage is still found by the batched walk, in the first batch, the
// last and one between, and an orphan docs entry after the last article.
func TestCheckWalkFindsDamage(t *testing.T) {
	tests := []struct {
		name   string
		damage func(tx *bolt.Tx) error
		want   string
	}{
		{"time key of the first", func(tx *bolt.Tx) error { return deleteTimeKey(tx, 1) }, "article 1: no time key"},
		{"time key between", func(tx *bolt.Tx) error { return deleteTimeKey(tx, 25) }, "article 25: no time key"},
		{"docs entry of the last", func(tx *bolt.Tx) error { return tx.Bucket(bDocs).Delete(u64(40)) }, "article 40: no docs entry"},
		{"docs entry with no article", func(tx *bolt.Tx) error { return tx.Bucket(bDocs).Put(u64(99), tx.Bucket(bDocs).Get(u64(3))) }, "docs entry 99: no article"},
		{"docs entry inside a batch with no article", func(tx *bolt.Tx) error { return tx.Bucket(bArticles).Delete(u64(15)) }, "docs entry 15: no article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := checkStore(t, 40)
			if err := s.db.Update(tt.damage); err != nil {
				t.Fatal(err)
			}
			problems, err := s.checkArticles(10, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Errorf("problems %q, want %q", problems, tt.want)
			}
		})
	}
}

func deleteTimeKey(tx *bolt.Tx, id uint64) error {
	dv := tx.Bucket(bDocs).Get(u64(id))
	if dv == nil {
		return fmt.Errorf("no docs entry %d", id)
	}
	c := tx.Bucket(bByTime).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if string(k[8:]) == string(u64(id)) {
			return tx.Bucket(bByTime).Delete(k)
		}
	}
	return fmt.Errorf("no time key for %d", id)
}

// An article archived before the pipeline undated dates outside the span
// the archive orders by is filed under a wrapped-around time: check
// names it and says what to do.
func TestCheckFindsDatesOutsideTheRange(t *testing.T) {
	tests := []struct {
		name string
		a    Article
		want []string
	}{
		{"published in 3000", Article{Published: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), FirstSeen: day(1)},
			[]string{"published 3000-01-01T00:00:00Z is outside the dates the archive orders by (1677-09-21 to 2262-04-11), so it is filed under 1830-11-", "feedvault reextract --outlet x"}},
		{"published in 1500", Article{Published: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), FirstSeen: day(1)},
			[]string{"published 1500-01-01T00:00:00Z is outside", "filed under 2084-"}},
		{"first seen in 1500", Article{FirstSeen: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)},
			[]string{"first seen 1500-01-01T00:00:00Z is outside", "no command corrects a first-seen time"}},
		{"in range", Article{Published: time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC), FirstSeen: day(1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := checkStore(t, 3)
			a := tt.a
			a.URL, a.Outlet, a.Text = "https://x.org/dated", "x", "words"
			if _, _, err := s.Put(&a, nil); err != nil {
				t.Fatal(err)
			}
			problems, err := s.Check()
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(problems, "\n")
			if tt.want == nil && got != "" {
				t.Errorf("problems %q, want none", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems %q, want %q", got, w)
				}
			}
		})
	}
}
