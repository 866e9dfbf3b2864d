package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// countWant counts arts by day as Count must (published, undated apart).
func countWant(arts []*Article, q *query.Node, seen bool) map[string]int {
	want := map[string]int{}
	for _, a := range arts {
		if q != nil && !refMatch(q, a) {
			continue
		}
		switch {
		case seen:
			want[timeBucket(a.FirstSeen.UTC(), ByDay)]++
		case a.Published.IsZero():
			want[Undated]++
		default:
			want[timeBucket(a.Published.UTC(), ByDay)]++
		}
	}
	return want
}

func countGot(t *testing.T, s *Store, f Filter) map[string]int {
	t.Helper()
	rows, err := s.Count(f, ByDay)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		got[r.Key] = r.Count
	}
	return got
}

// asSchema makes the archive at path what feedvault wrote at schema v:
// undo takes out what later schemas added, and the schema is set to v.
func asSchema(t *testing.T, path string, v uint64, undo func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := undo(tx); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put([]byte("schema"), u64(v))
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// An archive of schema 1 (no days array) still counts right when read
// without a writer, and a writer migrates it to schema 2: the days array
// is built from docs, the counts stay the same, and check passes.
func TestDaysMigrationFromSchema1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	arts := genArticles(300, 4)
	arts[3].Published = time.Time{}
	arts[4].Published = time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)
	for i, a := range arts {
		a.FirstSeen = time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 5 * time.Hour)
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	asSchema(t, path, 1, func(tx *bolt.Tx) error { return tx.DeleteBucket(bDays) })
	q, _ := query.Parse("korea")
	cases := []struct {
		name string
		f    Filter
		want map[string]int
	}{
		{"all", Filter{}, countWant(arts, nil, false)},
		{"all seen", Filter{Seen: true}, countWant(arts, nil, true)},
		{"word", Filter{Query: q}, countWant(arts, q, false)},
	}
	check := func(t *testing.T, s *Store) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := countGot(t, s, c.f); fmt.Sprint(got) != fmt.Sprint(c.want) || len(c.want) < 2 {
					t.Errorf("count %v\nwant  %v", got, c.want)
				}
			})
		}
	}
	t.Run("read-only, schema 1", func(t *testing.T) {
		r, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		check(t, r)
	})
	t.Run("writer migrates", func(t *testing.T) {
		w, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var v []byte
		var blocks int
		w.view(func(tx *bolt.Tx) error {
			v = append(v, tx.Bucket(bMeta).Get([]byte("schema"))...)
			blocks = tx.Bucket(bDays).Stats().KeyN
			return nil
		})
		if string(v) != string(u64(SchemaVersion)) || blocks == 0 {
			t.Fatalf("after the migration: schema %x, %d days blocks", v, blocks)
		}
		check(t, w)
		if p, err := w.Check(); err != nil || len(p) > 0 {
			t.Fatalf("check: %v %v", p, err)
		}
	})
}
