// Sightings: which feeds listed an article, when, and how often.

package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Observe records that an item was seen in a feed at t. Each feed an
// article appears in keeps one record, with the first and last sighting
// and their count, so that months of polling do not grow the archive.
func (s *Store) Observe(id uint64, feed string, t time.Time) error {
	return s.batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSeen)
		k := binary.BigEndian.AppendUint64(u64(id), uint64(fnv32(feed))<<32|uint64(len(feed)))
		o := Observation{Feed: feed, First: t.UTC()}
		if v := b.Get(k); v != nil {
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("store: observation: %w", err)
			}
		}
		if t.Before(o.First) {
			o.First = t.UTC()
		}
		if t.After(o.Last) {
			o.Last = t.UTC()
		}
		o.Count++
		v, err := json.Marshal(o)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
}

// Observation sums up the sightings of an article in one feed.
type Observation struct {
	Feed  string    `json:"feed"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	Count int       `json:"count"`
}

// Observations lists the feeds an article was seen in, with when.
func (s *Store) Observations(id uint64) ([]Observation, error) {
	var out []Observation
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bSeen).Cursor()
		p := u64(id)
		for k, v := c.Seek(p); k != nil && string(k[:8]) == string(p); k, v = c.Next() {
			var o Observation
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("store: observation: %w", err)
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}
