package store

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// Count by day, week, month and outlet equals counting the articles one
// by one, with and without a query, filters and --seen (undated, and
// dates before 1970, included).
func TestCountMatchesArticles(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(400, 9)
	arts[5].Published = time.Time{}
	arts[6].Published = time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)
	arts[7].Published = time.Date(1969, 12, 30, 1, 0, 0, 0, time.FixedZone("X", -5*3600))
	arts[8].Published = time.Date(2024, 11, 3, 23, 30, 0, 0, time.FixedZone("MSK", 3*3600))
	for i, a := range arts {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
		if i == 200 {
			s.FlushIndex(0)
		}
	}
	q, _ := query.Parse("korea -moscow")
	since, until := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC)
	filters := []Filter{{}, {Query: q}, {Seen: true}, {Outlets: []string{"meduza"}, Since: since, Until: until}, {Query: q, Seen: true, Outlets: []string{"yonhap", "meduza"}}}
	for fi, f := range filters {
		for _, by := range []string{ByDay, ByWeek, ByMonth, ByOutlet} {
			t.Run(fmt.Sprintf("filter%d/%s", fi, by), func(t *testing.T) {
				want := map[string]int{}
				for _, a := range arts {
					tm := a.SortTime()
					if f.Seen {
						tm = a.FirstSeen
					}
					if !f.Since.IsZero() && tm.Before(f.Since) || !f.Until.IsZero() && !tm.Before(f.Until) {
						continue
					}
					if len(f.Outlets) > 0 && a.Outlet != f.Outlets[0] && (len(f.Outlets) < 2 || a.Outlet != f.Outlets[1]) {
						continue
					}
					if f.Query != nil && !refMatch(f.Query, a) {
						continue
					}
					switch {
					case by == ByOutlet:
						want[a.Outlet]++
					case !f.Seen && a.Published.IsZero():
						want[Undated]++
					default:
						want[timeBucket(tm.UTC(), by)]++
					}
				}
				rows, err := s.Count(f, by)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]int{}
				for i, r := range rows {
					got[r.Key] = r.Count
					if i > 0 && rows[i-1].Key >= r.Key {
						t.Errorf("rows out of order: %q then %q", rows[i-1].Key, r.Key)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
					t.Errorf("count %v\nwant  %v", got, want)
				}
			})
		}
	}
}

// eachDoc gives the docs value of every id asked for, with its index, by
// lookups (few ids) or by a walk (many), and skips ids with no article.
func TestEachDocMeetsEveryID(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var last uint64
	for _, a := range genArticles(200, 3) {
		id, _, err := s.Put(a, nil)
		if err != nil {
			t.Fatal(err)
		}
		last = id
	}
	every := func(step uint64) []uint64 {
		var ids []uint64
		for id := uint64(1); id <= last; id += step {
			ids = append(ids, id)
		}
		return ids
	}
	cases := map[string][]uint64{
		"all (walk)":              every(1),
		"one in 3 (walk)":         every(3),
		"one in 40 (lookups)":     every(40),
		"one":                     {last / 2},
		"first and last":          {1, last},
		"past the last (walk)":    append(every(2), last+1, last+5),
		"past the last (lookups)": {last / 3, last + 1},
		"none":                    nil,
	}
	for name, ids := range cases {
		t.Run(name, func(t *testing.T) {
			s.view(func(tx *bolt.Tx) error {
				docs := tx.Bucket(bDocs)
				want := map[int]string{}
				for i, id := range ids {
					if v := docs.Get(u64(id)); v != nil {
						want[i] = string(v)
					}
				}
				got := map[int]string{}
				eachDoc(docs, docs, ids, func(i int, v []byte) {
					if _, dup := got[i]; dup {
						t.Errorf("index %d met twice", i)
					}
					got[i] = string(v)
				})
				if !reflect.DeepEqual(got, want) {
					t.Errorf("met %d ids, want %d", len(got), len(want))
				}
				return nil
			})
		})
	}
}
