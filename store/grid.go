package store

import (
	"sort"

	bolt "go.etcd.io/bbolt"
)

// CountByOutlet is Count by day, week or month for each outlet at once,
// in one pass over the matches: the rows of outlet O are what Count
// gives with the filter's outlets set to O alone, the Undated row
// included. Charts of attention
// per outlet use it.
func (s *Store) CountByOutlet(f Filter, by string) (map[string][]CountRow, error) {
	counts := map[string]map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		f.Limit = 0
		docs := tx.Bucket(bDocs)
		add := func(d docInfo, t uint64) {
			m := counts[d.outlet]
			if m == nil {
				m = map[string]int{}
				counts[d.outlet] = m
			}
			if !f.Seen && d.undated() {
				m[Undated]++ // as Count: no published time, not on the day it was seen
				return
			}
			m[timeBucket(bitsTime(t), by)]++
		}
		if f.Query == nil && f.After == nil {
			// No words: one walk over the docs in id order, with the
			// filters matchIDs applies (the tests hold the two equal).
			outlets := map[string]bool{}
			for _, o := range f.Outlets {
				outlets[o] = true
			}
			var lo, hi uint64 = 0, ^uint64(0)
			if !f.Since.IsZero() {
				lo = timeBits(f.Since)
			}
			if !f.Until.IsZero() {
				hi = timeBits(f.Until)
			}
			c := docs.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				d := parseDoc(v)
				t := d.published
				if f.Seen {
					t = d.seen
				}
				if t < lo || t >= hi || len(outlets) > 0 && !outlets[d.outlet] || f.Edited && d.flags&docEdited == 0 {
					continue
				}
				add(d, t)
			}
			return nil
		}
		hits, err := s.matchIDs(tx, f, 0)
		if err != nil {
			return err
		}
		sort.Slice(hits, func(i, j int) bool { return hits[i].id < hits[j].id })
		ids := make([]uint64, len(hits))
		for i, h := range hits {
			ids[i] = h.id
		}
		eachDoc(docs, s.values(tx, bDocs), ids, func(i int, v []byte) { add(parseDoc(v), hits[i].t) })
		return nil
	})
	out := make(map[string][]CountRow, len(counts))
	for o, m := range counts {
		rows := make([]CountRow, 0, len(m))
		for k, n := range m {
			rows = append(rows, CountRow{k, n})
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].Key < rows[j].Key })
		out[o] = rows
	}
	return out, err
}
