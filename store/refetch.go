// The re-fetch schedule: when an archived page is fetched again.

package store

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Refetch schedule: after first seen, the page is fetched again at these
// offsets; a change of text, title or byline becomes a revision.
// DefaultRefetchAfter is the schedule unless Options.RefetchAfter says otherwise.
func DefaultRefetchAfter() []time.Duration {
	return []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour}
}

func refetchKey(t time.Time, id uint64) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, timeBits(t))
	binary.BigEndian.PutUint64(b[8:], id)
	return b
}

func (s *Store) scheduleRefetch(tx *bolt.Tx, a *Article, stage int) error {
	if stage >= len(s.refetchAfter) {
		a.RefetchStage, a.RefetchAt = len(s.refetchAfter), time.Time{}
		return nil
	}
	at := a.FirstSeen.Add(s.refetchAfter[stage])
	if now := time.Now().UTC(); at.Before(now) {
		at = now
	}
	a.RefetchStage, a.RefetchAt = stage, at
	return tx.Bucket(bRefetch).Put(refetchKey(at, a.ID), []byte{byte(stage)})
}

// Refetch is an article due to be fetched again.
type Refetch struct {
	ID    uint64
	Stage int
	At    time.Time
}

// DueRefetch lists up to limit articles due for a re-fetch at now.
func (s *Store) DueRefetch(now time.Time, limit int) ([]Refetch, error) {
	var out []Refetch
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bRefetch).Cursor()
		end := timeBits(now)
		for k, v := c.First(); k != nil && binary.BigEndian.Uint64(k) <= end; k, v = c.Next() {
			if limit > 0 && len(out) >= limit {
				break
			}
			out = append(out, Refetch{ID: binary.BigEndian.Uint64(k[8:]), Stage: int(v[0]), At: bitsTime(binary.BigEndian.Uint64(k))})
		}
		return nil
	})
	return out, err
}
