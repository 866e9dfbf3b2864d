package store

import (
	"sort"

	bolt "go.etcd.io/bbolt"
)

// CountByOutlet is Count by day, week or month for each outlet at once,
// in one pass over the matches: the rows of outlet O are what Count
// gives with the filter's outlets set to O alone. Charts of attention
// per outlet use it.
func (s *Store) CountByOutlet(f Filter, by string) (map[string][]CountRow, error) {
	counts := map[string]map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		f.Limit = 0
		hits, err := matchIDs(tx, f, 0)
		if err != nil {
			return err
		}
		docs := tx.Bucket(bDocs)
		for _, h := range hits {
			o := parseDoc(docs.Get(u64(h.id))).outlet
			m := counts[o]
			if m == nil {
				m = map[string]int{}
				counts[o] = m
			}
			m[timeBucket(bitsTime(h.t), by)]++
		}
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
