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
	f.Limit = 0
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
	var err error
	if f.Query == nil && f.After == nil {
		// No words: one walk over the docs in id order, with the
		// filters matchIDs applies (the tests hold the two equal), in
		// short read transactions (walkDocs).
		pass := rawPass(f)
		err = s.walkDocs(docsBatch, nil, func(v []byte) {
			if t, ok := pass(v); ok {
				add(parseDoc(v), t)
			}
		})
	} else {
		err = s.view(func(tx *bolt.Tx) error {
			hits, err := s.matchIDs(tx, f, 0)
			if err != nil {
				return err
			}
			sort.Slice(hits, func(i, j int) bool { return hits[i].id < hits[j].id })
			ids := make([]uint64, len(hits))
			for i, h := range hits {
				ids[i] = h.id
			}
			eachDoc(tx.Bucket(bDocs), s.values(tx, bDocs), ids, func(i int, v []byte) { add(parseDoc(v), hits[i].t) })
			return nil
		})
	}
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

// docsBatch is how many docs entries one read transaction of walkDocs
// reads: a few milliseconds, so that a commit that must grow the file
// never waits long behind a count of the whole archive.
const docsBatch = 20000

// walkDocs calls fn with every docs entry, in id order, in read
// transactions of batch entries each, resuming by key; fn must not keep
// v. An article written meanwhile is seen once or not at all (docs are
// keyed by id). between, when not nil, runs between two transactions.
func (s *Store) walkDocs(batch int, between func(), fn func(v []byte)) error {
	var after []byte
	for done := false; !done; {
		err := s.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bDocs).Cursor()
			k, v := seekAfter(c, after)
			for n := 0; k != nil && n < batch; k, v = c.Next() {
				n++
				fn(v)
				after = append(after[:0], k...)
			}
			done = k == nil
			return nil
		})
		if err != nil {
			return err
		}
		if !done && between != nil {
			between()
		}
	}
	return nil
}
