// Feed state: what feedvault remembers about each feed between polls.

package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FeedState is what feedvault remembers about one feed between polls.
type FeedState struct {
	URL                 string    `json:"url"`
	Outlet              string    `json:"outlet"`
	ETag                string    `json:"etag,omitempty"`
	LastModified        string    `json:"last_modified,omitempty"`
	BodyHash            string    `json:"body_hash,omitempty"`
	LastPoll            time.Time `json:"last_poll,omitzero"`
	LastSuccess         time.Time `json:"last_success,omitzero"`
	NextPoll            time.Time `json:"next_poll,omitzero"`
	HoldUntil           time.Time `json:"hold_until,omitzero"` // Retry-After: no request before
	Truncated           int       `json:"truncated,omitempty"` // items over max_items_per_poll in the last poll
	Interval            Duration  `json:"interval,omitempty"`  // current adaptive interval
	Events              []Event   `json:"events,omitempty"`    // the last MaxEvents polls, newest last
	LastStatus          int       `json:"last_status,omitempty"`
	LastError           string    `json:"last_error,omitempty"`
	ErrorClass          string    `json:"error_class,omitempty"`
	ConsecutiveFailures int       `json:"consecutive_failures"`
	Articles            int       `json:"articles"`
	LastItems           int       `json:"last_items"`
	LastNew             int       `json:"last_new"`
	// Listed are the articles the last complete poll listed: a poll
	// answered "not modified" counts as a sighting of each of them.
	Listed []uint64 `json:"listed,omitempty"`
}

// MaxEvents is how many poll events a feed keeps.
const MaxEvents = 20

// Event is one poll of a feed.
type Event struct {
	Time     time.Time `json:"time"`
	Status   int       `json:"status,omitempty"`
	Class    string    `json:"class,omitempty"` // failure class, "" on success
	Error    string    `json:"error,omitempty"`
	Items    int       `json:"items"`
	New      int       `json:"new"`
	Duration Duration  `json:"duration"`
}

// AddEvent appends e and keeps the last MaxEvents.
func (st *FeedState) AddEvent(e Event) {
	st.Events = append(st.Events, e)
	if n := len(st.Events); n > MaxEvents {
		st.Events = append([]Event(nil), st.Events[n-MaxEvents:]...)
	}
}

// Duration is a time.Duration that reads and writes as "1m30s" in JSON.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// Feed returns the saved state of one feed; a feed never polled gets a
// zero state with its URL set.
func (s *Store) Feed(url string) (*FeedState, error) {
	st := &FeedState{URL: url}
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bFeeds).Get([]byte(url))
		if v == nil {
			return nil
		}
		return json.Unmarshal(v, st)
	})
	if err != nil {
		return nil, fmt.Errorf("store: feed %s: %w", url, err)
	}
	return st, nil
}

// PutFeed saves the state of one feed.
func (s *Store) PutFeed(st *FeedState) error {
	v, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("store: encode feed state: %w", err)
	}
	err = s.batch(func(tx *bolt.Tx) error {
		return tx.Bucket(bFeeds).Put([]byte(st.URL), v)
	})
	if err != nil {
		return fmt.Errorf("store: put feed %s: %w", st.URL, err)
	}
	return nil
}

// Feeds returns the state of every feed the archive knows.
func (s *Store) Feeds() ([]*FeedState, error) {
	var out []*FeedState
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bFeeds).ForEach(func(k, v []byte) error {
			st := new(FeedState)
			if err := json.Unmarshal(v, st); err != nil {
				return fmt.Errorf("store: feed %s: %w", k, err)
			}
			out = append(out, st)
			return nil
		})
	})
	return out, err
}
