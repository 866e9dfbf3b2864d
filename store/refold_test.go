package store

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// An archive of schema 3 holds the words of its articles as schema 3
// split them: a soft hyphen split a word, final sigma stayed, decomposed
// accents stayed. A writer migrates it to schema 4: the words those
// articles no longer hold leave the index, they are indexed again, and
// every answer equals the reference (which splits as schema 4 does),
// before the flush and after it, and check passes.
func TestRefoldMigrationFromSchema3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	arts := genArticles(300, 11)
	changed := map[int]string{ // article index: what it holds that schema 4 splits otherwise
		3:   "Klima\u00adwandel und Bundes\u00adregierung",
		40:  "ΠΌΛΕΜΟΣ στην Ουκρανία, ο πόλεμος συνεχίζεται",
		77:  "cafe\u0301 talks near the border",
		150: "klima wandel", // the words schema 3 found in 3: they stay this article's
		299: "Klima\u00adwandel again, still dirty at the migration",
	}
	for i, text := range changed {
		arts[i].Text += " " + text
	}
	arts[120].Authors = []string{"Hans-Jo\u00adachim Example"}
	arts[200].Text += " " + strings.Repeat("Ab", 1000) // a word of 2,000 bytes, now cut
	for i, a := range arts {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
		if i == 250 {
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Close()
	// What feedvault wrote at schema 3: every indexed article's words as
	// schema 3 split them.
	if old := asSchema3(t, path); len(old["wklima"]) == 0 || len(old["wπόλεμος"]) == 0 {
		t.Fatal("the schema-3 index lacks the words the test checks")
	}
	queries := []string{strings.Repeat("ab", 1000), strings.Repeat("ab", 512) + "*", "klimawandel", "klima", "wandel", `"klima wandel"`, "bundesregierung", "πόλεμος", "ΠΌΛΕΜΟΣ", `"ο πόλεμος"`,
		"café", "cafe", "author:hansjoachim", "author:jo", "klima*", "korea", "korea -klimawandel"}
	check := func(t *testing.T, s *Store) {
		t.Helper()
		for _, qs := range queries {
			if ids, want := idsAndReference(t, s, arts, qs); !slices.Equal(ids, want) {
				t.Errorf("%s: got %v, reference %v", qs, ids, want)
			}
		}
	}
	var log bytes.Buffer
	w, err := Open(path, Options{NoSync: true, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !strings.Contains(log.String(), fmt.Sprintf("from=3 to=%d", SchemaVersion)) || !strings.Contains(log.String(), "archive upgraded") {
		t.Errorf("the upgrade was not logged: %q", log.String())
	}
	var stale []string
	w.view(func(tx *bolt.Tx) error {
		for _, term := range []string{"wklima", "wwandel", "wπόλεμος", "wcafe\u0301", "ajo", "w" + strings.Repeat("ab", 1000)} {
			for _, id := range postings(tx.Bucket(bIndex), term, false) {
				if id == arts[3].ID || id == arts[40].ID || id == arts[77].ID || id == arts[120].ID || id == arts[200].ID {
					stale = append(stale, fmt.Sprintf("%s: %d", term, id))
				}
			}
		}
		return nil
	})
	if len(stale) > 0 {
		t.Errorf("words the articles no longer hold are still indexed: %v", stale)
	}
	// 3, 77, 120 and 200 hold new words; 40 only loses one ("πόλεμος"
	// is "πόλεμοσ", which it held already); 251–299 were never flushed.
	if n, err := w.DirtyCount(); err != nil || n != 4+49 {
		t.Errorf("%d articles to index after the migration (%v), want 53", n, err)
	}
	t.Run("before the flush", func(t *testing.T) { check(t, w) })
	if _, err := w.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	t.Run("after the flush", func(t *testing.T) { check(t, w) })
	if p, err := w.Check(); err != nil || len(p) > 0 {
		t.Fatalf("check: %v %v", p, err)
	}
}

// idsAndReference runs query qs on s, and returns the ids it finds and
// the reference's matches among arts, both ascending.
func idsAndReference(t *testing.T, s *Store, arts []*Article, qs string) (got, want []uint64) {
	t.Helper()
	q, err := query.Parse(qs)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if refMatch(q, a) {
			want = append(want, a.ID)
		}
	}
	found, err := s.Query(Filter{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range found {
		got = append(got, a.ID)
	}
	slices.Sort(got)
	return got, want
}

// asSchema3 makes the archive at path what schema 3 wrote: its index
// holds the words of every article not waiting to be indexed as schema 3
// split them. It returns those postings.
func asSchema3(t *testing.T, path string) map[string][]uint64 {
	t.Helper()
	postings := map[string][]uint64{}
	asSchema(t, path, 3, func(tx *bolt.Tx) error {
		z, err := newCodec()
		if err != nil {
			return err
		}
		defer z.close()
		if err := tx.DeleteBucket(bIndex); err != nil {
			return err
		}
		idx, err := tx.CreateBucket(bIndex)
		if err != nil {
			return err
		}
		dirty := tx.Bucket(bDirty)
		err = tx.Bucket(bArticles).ForEach(func(k, v []byte) error {
			if dirty.Get(k) != nil {
				return nil
			}
			a, err := z.decodeArticle(k, v)
			if err != nil {
				return err
			}
			for term := range schema3Words(a) {
				postings[term] = append(postings[term], a.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return writePostings(idx, postings)
	})
	return postings
}
