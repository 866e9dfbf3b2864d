package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bPolls keeps one compact record per poll of each feed, for coverage
// accounting: feed URL, 0x00, time (8 BE) → flags byte + uvarints
// (status, items listed, new items, items seen in an earlier poll,
// items over max_items_per_poll). The bucket is created on first write.
var bPolls = []byte("polls")

// Poll is one poll of a feed, as coverage accounting needs it.
type Poll struct {
	Feed        string    `json:"feed"`
	Time        time.Time `json:"time"`
	Status      int       `json:"status,omitempty"`
	Failed      bool      `json:"failed,omitempty"`
	NotModified bool      `json:"not_modified,omitempty"`
	Items       int       `json:"items"`   // items the feed listed (after the per-poll cap)
	New         int       `json:"new"`     // items archived for the first time
	Overlap     int       `json:"overlap"` // items already seen in an earlier poll
	Truncated   int       `json:"truncated,omitempty"`
}

const (
	pollFailed = 1 << iota
	pollNotModified
)

func pollKey(feed string, t time.Time) []byte {
	k := make([]byte, 0, len(feed)+9)
	k = append(k, feed...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, timeBits(t))
}

func encodePoll(p Poll) []byte {
	var flags byte
	if p.Failed {
		flags |= pollFailed
	}
	if p.NotModified {
		flags |= pollNotModified
	}
	b := []byte{flags}
	for _, n := range []int{p.Status, p.Items, p.New, p.Overlap, p.Truncated} {
		b = binary.AppendUvarint(b, uint64(max(n, 0)))
	}
	return b
}

func decodePoll(feed string, k, v []byte) (Poll, error) {
	p := Poll{Feed: feed, Time: bitsTime(binary.BigEndian.Uint64(k[len(k)-8:]))}
	if len(v) < 1 {
		return p, fmt.Errorf("store: poll record of %s at %s is empty", feed, p.Time.Format(time.RFC3339))
	}
	p.Failed, p.NotModified = v[0]&pollFailed != 0, v[0]&pollNotModified != 0
	v = v[1:]
	for _, dst := range []*int{&p.Status, &p.Items, &p.New, &p.Overlap, &p.Truncated} {
		n, w := binary.Uvarint(v)
		if w <= 0 {
			return p, fmt.Errorf("store: poll record of %s at %s is damaged", feed, p.Time.Format(time.RFC3339))
		}
		*dst, v = int(n), v[w:]
	}
	return p, nil
}

// PutPoll records one poll of a feed.
func (s *Store) PutPoll(p Poll) error {
	err := s.batch(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bPolls)
		if err != nil {
			return err
		}
		return b.Put(pollKey(p.Feed, p.Time), encodePoll(p))
	})
	if err != nil {
		return fmt.Errorf("store: record poll of %s: %w", p.Feed, err)
	}
	return nil
}

// Polls lists the recorded polls of feed in [since, until), oldest
// first. A zero until means no upper bound.
func (s *Store) Polls(feed string, since, until time.Time) ([]Poll, error) {
	var out []Poll
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPolls)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		start := []byte(feed + "\x00")
		if !since.IsZero() {
			start = pollKey(feed, since)
		}
		var end []byte
		if !until.IsZero() {
			end = pollKey(feed, until)
		}
		for k, v := c.Seek(start); k != nil; k, v = c.Next() {
			if len(k) != len(feed)+9 || !bytes.HasPrefix(k, []byte(feed+"\x00")) {
				break
			}
			if end != nil && bytes.Compare(k, end) >= 0 {
				break
			}
			p, err := decodePoll(feed, k, v)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}
