package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// checkBatch is how many articles one read transaction of check's walk
// looks at: a few milliseconds, so that a commit that must grow the file
// (bbolt's remap waits for every read transaction) never waits long
// behind the walk, whatever the archive's size.
const checkBatch = 500

// checkArticles verifies feedvault's invariants article by article, in
// read transactions of batch articles each, resuming by key: every
// article decodes and has its docs entry, days entry and time keys,
// every docs entry has its article, and its dates are within the span
// the archive orders by. Each transaction sees a consistent state, so a
// finding holds for the state it saw; an article found wrong is checked
// again in a fresh transaction before it is reported, so that one a
// writer changed meanwhile is judged on what it is now. between, when
// not nil, runs between two transactions (tests use it to write while
// no read transaction is open).
func (s *Store) checkArticles(batch int, between func()) ([]string, error) {
	var (
		after    []byte // the last article key walked
		suspects [][]byte
	)
	for done := false; !done; {
		err := s.view(func(tx *bolt.Tx) error {
			arts, docs := tx.Bucket(bArticles), tx.Bucket(bDocs)
			c := arts.Cursor()
			k, _ := seekAfter(c, after)
			from := append([]byte(nil), after...)
			for n := 0; k != nil && n < batch; k, _ = c.Next() {
				n++
				if len(s.checkOne(tx, k)) > 0 {
					suspects = append(suspects, append([]byte(nil), k...))
				}
				after = append(after[:0], k...)
			}
			done = k == nil
			// The docs entries of the same span of keys (to the end on
			// the last batch) must each have their article.
			dc := docs.Cursor()
			for dk, _ := seekAfter(dc, from); dk != nil && (done || bytes.Compare(dk, after) <= 0); dk, _ = dc.Next() {
				if arts.Get(dk) == nil {
					suspects = append(suspects, append([]byte(nil), dk...))
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if !done && between != nil {
			between()
		}
	}
	var problems []string
	for _, k := range suspects {
		err := s.view(func(tx *bolt.Tx) error {
			problems = append(problems, s.checkOne(tx, k)...)
			return nil
		})
		if err != nil {
			return problems, err
		}
	}
	return problems, nil
}

// seekAfter moves c to the first key after after (the first key when
// after is empty).
func seekAfter(c *bolt.Cursor, after []byte) ([]byte, []byte) {
	if len(after) == 0 {
		return c.First()
	}
	k, v := c.Seek(after)
	if k != nil && bytes.Equal(k, after) {
		return c.Next()
	}
	return k, v
}

// checkOne returns what is wrong with the article or docs entry of key k
// in tx: nothing when neither exists (an article gone meanwhile).
func (s *Store) checkOne(tx *bolt.Tx, k []byte) []string {
	v := tx.Bucket(bArticles).Get(k)
	dv := tx.Bucket(bDocs).Get(k)
	if v == nil {
		if dv != nil && len(k) == 8 {
			return []string{fmt.Sprintf("docs entry %d: no article (run `feedvault reindex`)", binary.BigEndian.Uint64(k))}
		}
		if dv != nil {
			return []string{fmt.Sprintf("docs entry %x: no article (run `feedvault reindex`)", k)}
		}
		return nil
	}
	a, err := s.z.decodeArticle(k, v)
	if err != nil {
		return []string{fmt.Sprintf("article %x: %v", k, err)}
	}
	var out []string
	if dv == nil {
		out = append(out, fmt.Sprintf("article %d: no docs entry", a.ID))
	} else if p := daysProblem(tx, a.ID, dv); p != "" {
		out = append(out, p)
	}
	if tx.Bucket(bByTime).Get(timeKey(a.SortTime(), a.ID)) == nil {
		out = append(out, fmt.Sprintf("article %d: no time key", a.ID))
	}
	if tx.Bucket(bBySeen).Get(timeKey(a.FirstSeen, a.ID)) == nil {
		out = append(out, fmt.Sprintf("article %d: no first-seen key", a.ID))
	}
	return append(out, outOfRange(a)...)
}

// outOfRange reports an article archived, before the pipeline undated
// such dates, with a date outside OrderedRange: it is filed under a
// wrapped-around time, so listings, counts and --since/--until place it
// wrongly.
func outOfRange(a *Article) []string {
	first, last := OrderedRange()
	span := fmt.Sprintf("the dates the archive orders by (%s to %s)", first.Format(time.DateOnly), last.Format(time.DateOnly))
	var out []string
	if !InOrderedRange(a.Published) {
		out = append(out, fmt.Sprintf("article %d (outlet %s): published %s is outside %s, so it is filed under %s; "+
			"run `feedvault reextract --outlet %s` to archive it undated (flagged date_out_of_range, sorted by first seen)",
			a.ID, a.Outlet, a.Published.Format(time.RFC3339), span, wrapped(a.Published), a.Outlet))
	}
	if !InOrderedRange(a.FirstSeen) {
		out = append(out, fmt.Sprintf("article %d (outlet %s): first seen %s is outside %s, so --seen files it under %s; "+
			"no command corrects a first-seen time: export the outlet, correct first_seen, and import it into a new archive",
			a.ID, a.Outlet, a.FirstSeen.Format(time.RFC3339), span, wrapped(a.FirstSeen)))
	}
	return out
}

// wrapped is the time a date outside OrderedRange is filed under.
func wrapped(t time.Time) string {
	return time.Unix(0, t.UnixNano()).UTC().Format(time.DateOnly)
}
