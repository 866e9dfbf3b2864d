package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// A listing gives the same listing fields as the full articles, never
// reads the article value of an article with a listing record, and
// decodes the ones without (archives from before the record).
func TestListingReadsNoArticle(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(120, 5)
	arts[3].Published = time.Time{} // undated
	arts[4].Published = arts[4].Published.In(time.FixedZone("MSK", 3*3600))
	for _, a := range arts {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	q, _ := query.Parse("korea OR moscow")
	for _, f := range []Filter{{}, {Query: q}, {Query: q, Limit: 9}, {Seen: true, Limit: 30}} {
		full, err := s.Query(f)
		if err != nil {
			t.Fatal(err)
		}
		lf := f
		lf.Listing = true
		list, err := s.Query(lf)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(full) || len(full) == 0 {
			t.Fatalf("%+v: %d listed, %d full", f, len(list), len(full))
		}
		for i, a := range full {
			l := list[i]
			if l.ID != a.ID || l.URL != a.URL || l.Title != a.Title || l.Outlet != a.Outlet || !l.Published.Equal(a.Published) || !l.FirstSeen.Equal(a.FirstSeen) || l.Edited != a.Edited {
				t.Fatalf("%+v: row %d listed as %+v, article %+v", f, i, l, a)
			}
			if l.Text != "" {
				t.Fatalf("row %d: a listing holds the text", i)
			}
		}
	}
	// Break one article's stored value and drop another's listing record.
	broken, old := arts[10].ID, arts[11].ID
	if err := s.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bArticles).Put(u64(broken), []byte("not zstd")); err != nil {
			return err
		}
		return tx.Bucket(bListing).Delete(u64(old))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Query(Filter{}); err == nil {
		t.Fatal("a full listing read the broken article without error: the test does not break it")
	}
	list, err := s.Query(Filter{Listing: true})
	if err != nil {
		t.Fatalf("a listing decompressed an article: %v", err)
	}
	found := false
	for _, a := range list {
		if a.ID == old {
			found = a.URL == arts[11].URL && a.Title == arts[11].Title
		}
	}
	if !found || len(list) != len(arts) {
		t.Errorf("an article without a listing record is missing or wrong (%d listed)", len(list))
	}
}
