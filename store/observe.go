// Sightings: which feeds listed an article, when, and how often.

package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Observe records that a feed listed article id at t (see ObservePoll).
func (s *Store) Observe(id uint64, feed string, t time.Time) error {
	return s.ObservePoll(feed, []uint64{id}, t)
}

// ObservePoll records one poll of feed at t that listed the articles ids.
// Each feed an article appears in keeps one record, with the first and
// last poll that listed it and how many polls did, so that months of
// polling do not grow the archive. An article listed several times by
// one poll (URL variants of one story) counts once.
func (s *Store) ObservePoll(feed string, ids []uint64, t time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	t = t.UTC()
	done := make(map[uint64]bool, len(ids))
	err := s.batch(func(tx *bolt.Tx) error {
		clear(done)
		b := tx.Bucket(bSeen)
		for _, id := range ids {
			if id == 0 || done[id] {
				continue
			}
			done[id] = true
			if err := observe(b, id, feed, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: sightings in %s: %w", feed, err)
	}
	return nil
}

func seenKey(id uint64, feed string) []byte {
	return binary.BigEndian.AppendUint64(u64(id), uint64(fnv32(feed))<<32|uint64(len(feed)))
}

func observe(b *bolt.Bucket, id uint64, feed string, t time.Time) error {
	k := seenKey(id, feed)
	o := Observation{Feed: feed, First: t}
	if v := b.Get(k); v != nil {
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("observation of %d: %w", id, err)
		}
	}
	if t.Before(o.First) || o.First.IsZero() {
		o.First = t
	}
	if t.After(o.Last) {
		o.Last = t
	}
	o.Count++
	v, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return b.Put(k, v)
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
