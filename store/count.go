package store

import (
	"bytes"
	"encoding/binary"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Count counts the articles that pass f by day, ISO week, month (on the
// filter's time: published, or first seen) or outlet, in key order.
// Articles with no published time are counted in one row keyed Undated
// (which sorts last), unless f.Seen counts by first-seen time.
//
// It reads only docs entries (and, for a query, the postings): with no
// query, the docs bucket in key order, without the time index's lookups;
// days are counted as numbers and named once each.
func (s *Store) Count(f Filter, by string) ([]CountRow, error) {
	counts := map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		f.Limit = 0
		docs := tx.Bucket(bDocs)
		days := map[int64]int{}
		outlets := map[string]*int{}
		undated := 0
		pass := rawPass(f)
		add := func(v []byte) {
			t, ok := pass(v)
			if !ok {
				return
			}
			switch {
			case by == ByOutlet:
				o := []byte{}
				if len(v) > 17 {
					o = v[17:]
				}
				p := outlets[string(o)]
				if p == nil {
					p = new(int)
					outlets[string(o)] = p
				}
				*p++
			case !f.Seen && rawUndated(v):
				undated++ // no published time: not counted on the day it was seen
			default:
				ns := int64(t ^ (1 << 63))
				day := ns / int64(24*time.Hour)
				if ns%int64(24*time.Hour) < 0 {
					day-- // before 1970: floor, not towards zero
				}
				days[day]++
			}
		}
		fast := by != ByOutlet && f.After == nil && len(f.Outlets) == 0 && f.Since.IsZero() && f.Until.IsZero() && !f.Edited
		switch {
		case fast && f.Query == nil:
			// The days array alone (schema 2); an older archive read
			// without a writer has none, and reads docs below.
			if d, u, ok := countDays(tx, nil, true, f.Seen); ok {
				days, undated = d, u
				break
			}
			fallthrough
		case f.Query == nil && f.After == nil:
			c := docs.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				add(v)
			}
		case f.After == nil:
			ev := s.newEvaluator(tx)
			ids := ev.eval(f.Query)
			if fast {
				if d, u, ok := countDays(tx, ids, false, f.Seen); ok {
					days, undated = d, u
					break
				}
			}
			eachDoc(docs, s.values(tx, bDocs), ids, func(_ int, v []byte) { add(v) })
		default:
			hits, err := s.matchIDs(tx, f, 0)
			if err != nil {
				return err
			}
			for _, h := range hits {
				add(docs.Get(u64(h.id)))
			}
		}
		for day, n := range days {
			counts[timeBucket(time.Unix(day*24*3600, 0).UTC(), by)] += n
		}
		for o, n := range outlets {
			counts[o] += *n
		}
		if undated > 0 {
			counts[Undated] += undated
		}
		return nil
	})
	rows := make([]CountRow, 0, len(counts))
	for k, n := range counts {
		rows = append(rows, CountRow{k, n})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Key < rows[j].Key })
	return rows, err
}

// span is f's outlets as a set and its time range as [lo, hi) in
// timeBits (the whole range when unset).
func (f Filter) span() (outlets map[string]bool, lo, hi uint64) {
	outlets = map[string]bool{}
	for _, o := range f.Outlets {
		outlets[o] = true
	}
	lo, hi = 0, ^uint64(0)
	if !f.Since.IsZero() {
		lo = timeBits(f.Since)
	}
	if !f.Until.IsZero() {
		hi = timeBits(f.Until)
	}
	return outlets, lo, hi
}

// rawPass is matchIDs' filter on a docs value, without copying its
// outlet: it returns the value's ordering time.
func rawPass(f Filter) func(v []byte) (uint64, bool) {
	outlets, lo, hi := f.span()
	return func(v []byte) (uint64, bool) {
		var t uint64
		var flags byte
		var outlet []byte
		if len(v) >= 17 {
			t, flags, outlet = binary.BigEndian.Uint64(v), v[16], v[17:]
			if f.Seen {
				t = binary.BigEndian.Uint64(v[8:])
			}
		}
		if t < lo || t >= hi {
			return 0, false
		}
		if len(outlets) > 0 && !outlets[string(outlet)] {
			return 0, false
		}
		if f.Edited && flags&docEdited == 0 {
			return 0, false
		}
		return t, true
	}
}

// rawUndated is docInfo.undated on a docs value.
func rawUndated(v []byte) bool {
	if len(v) < 17 {
		return false
	}
	return v[16]&docUndated != 0 || bytes.Equal(v[:8], v[8:16]) && binary.BigEndian.Uint64(v[8:]) != 0
}

// eachDoc calls fn with the docs value of each of ids (ascending, each
// an article's), and its index in ids. Few ids are looked up one by one,
// through lookup (the bucket, or a pread reader of it: pread.go); many
// (one in walkDensity of the archive's ids or more) are met in one walk
// over the docs in id order, where a step costs far less than a lookup
// from the root and the pages come in file order. A value is valid
// during fn.
func eachDoc(docs *bolt.Bucket, lookup valueReader, ids []uint64, fn func(i int, v []byte)) {
	if len(ids) == 0 {
		return
	}
	c := docs.Cursor()
	last, _ := c.Last()
	if last == nil || uint64(len(ids))*walkDensity < binary.BigEndian.Uint64(last) {
		for i, id := range ids {
			if v := lookup.Get(u64(id)); v != nil {
				fn(i, v)
			}
		}
		return
	}
	i := 0
	for k, v := c.Seek(u64(ids[0])); k != nil && i < len(ids); k, v = c.Next() {
		id := binary.BigEndian.Uint64(k)
		for i < len(ids) && ids[i] < id {
			i++ // not in docs
		}
		if i < len(ids) && ids[i] == id {
			fn(i, v)
			i++
		}
	}
}

// walkDensity: ids that are one in walkDensity of the archive's or more
// are read by a walk over the docs (see eachDoc).
const walkDensity = 8
