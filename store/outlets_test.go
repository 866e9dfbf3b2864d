package store

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// An archive of schema 2 (no outlet postings) answers outlet: and
// --outlet right when read without a writer (from docs), and a writer
// migrates it to schema 3: the outlets' postings are built from docs,
// the answers stay the same, pages included, and check passes. Articles
// still dirty at the migration get theirs when they are indexed.
func TestOutletsMigrationFromSchema2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	arts := genArticles(400, 9)
	arts[5].Outlet = "Meduza" // another case of a name: outlet: matches it, --outlet meduza does not
	for i, a := range arts {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
		if i == 300 {
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Close()
	// What feedvault wrote at schema 2: no 'o' keys.
	asSchema(t, path, 2, func(tx *bolt.Tx) error {
		c := tx.Bucket(bIndex).Cursor()
		n := 0
		for k, _ := c.Seek([]byte{fieldOutlet}); k != nil && k[0] == fieldOutlet; k, _ = c.Seek([]byte{fieldOutlet}) {
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return fmt.Errorf("the archive has no outlet postings to remove")
		}
		return nil
	})
	filters := func() []Filter {
		var fs []Filter
		for _, qs := range []string{"outlet:meduza", "outlet:meduza korea", "korea -outlet:yonhap", "outlet:yonhap OR troops", ""} {
			q, err := query.Parse(qs)
			if err != nil {
				t.Fatal(err)
			}
			fs = append(fs, Filter{Query: q}, Filter{Query: q, Outlets: []string{"meduza", "kyivindependent"}})
		}
		return fs
	}()
	want := func(f Filter) []uint64 {
		var out []*Article
		for _, a := range arts {
			if len(f.Outlets) > 0 && a.Outlet != "meduza" && a.Outlet != "kyivindependent" {
				continue
			}
			if f.Query == nil || refMatch(f.Query, a) {
				out = append(out, a)
			}
		}
		sort.Slice(out, func(i, j int) bool {
			if !out[i].Published.Equal(out[j].Published) {
				return out[i].Published.After(out[j].Published)
			}
			return out[i].ID > out[j].ID
		})
		ids := []uint64{}
		for _, a := range out {
			ids = append(ids, a.ID)
		}
		return ids
	}
	check := func(t *testing.T, s *Store) {
		for _, f := range filters {
			w := want(f)
			if len(w) == 0 {
				t.Fatalf("%v %v: the test's articles give no matches", f.Query, f.Outlets)
			}
			for _, limit := range []int{0, 3, 50} {
				f.Limit = limit
				got, err := s.Query(f)
				if err != nil {
					t.Fatal(err)
				}
				ids := []uint64{}
				for _, a := range got {
					ids = append(ids, a.ID)
				}
				n := len(w)
				if limit > 0 {
					n = min(n, limit)
				}
				if fmt.Sprint(ids) != fmt.Sprint(w[:n]) {
					t.Errorf("%v --outlet %v limit %d: got %v\nreference %v", f.Query, f.Outlets, limit, ids, w[:n])
				}
			}
		}
	}
	outletKeys := func(s *Store) (n int) {
		s.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bIndex).Cursor()
			for k, _ := c.Seek([]byte{fieldOutlet}); k != nil && bytes.HasPrefix(k, []byte{fieldOutlet}); k, _ = c.Next() {
				n++
			}
			return nil
		})
		return n
	}
	t.Run("read-only, schema 2", func(t *testing.T) {
		r, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if n := outletKeys(r); n != 0 {
			t.Fatalf("%d outlet keys before the migration", n)
		}
		check(t, r)
	})
	t.Run("writer migrates", func(t *testing.T) {
		w, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if n := outletKeys(w); n == 0 {
			t.Fatal("no outlet postings after the migration")
		}
		check(t, w)
		for _, tu := range testTunings {
			w.page = tu.page
			t.Run(tu.name, func(t *testing.T) { check(t, w) })
		}
		w.page = defaultPageTuning
		if _, err := w.FlushIndex(0); err != nil {
			t.Fatal(err)
		}
		check(t, w)
		if p, err := w.Check(); err != nil || len(p) > 0 {
			t.Fatalf("check: %v %v", p, err)
		}
	})
}
