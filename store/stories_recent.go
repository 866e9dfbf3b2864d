package store

import (
	"encoding/binary"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Filing an article one at a time into the band bucket would write 32
// keys at random places of a large tree: 32 pages rewritten per
// article. So an article filed by Put or PutStory goes first to
// story_recent (its id; its bands follow from its signature), which
// takes one page for many articles, and the store keeps the recent
// articles' bands in memory. Once MaxRecentStories are there, they move
// into the band bucket in key order, in one go. Lookups read both.
var bStoryRecent = []byte("story_recent") // id (8 BE) → nil: filed, bands not yet in story_band

// MaxRecentStories is how many articles wait in story_recent before
// their bands move into the band bucket. The move rewrites much of the
// band bucket once, so its cost per article falls as this grows; the
// store holds their bands and signatures in memory (some 2 KiB an article).
const MaxRecentStories = 8192

// recentBands is the in-memory view of story_recent: each recent
// article's bands. It is valid for the archive when valid is set and
// stamp equals story_recent's sequence (every change adds one), or
// within the write transaction tx that is changing it; it is read again
// from the archive otherwise (first use, a rolled-back transaction).
type recentBands struct {
	max   int // MaxRecentStories when 0 (tests set less)
	mu    sync.Mutex
	tx    *bolt.Tx
	valid bool
	stamp uint64
	next  uint64                // story_recent's sequence as tx leaves it
	ids   map[uint64][]uint64   // id → its band hashes
	sigs  map[uint64][]uint32   // id → its signature
	bands []map[uint64][]uint64 // band → band hash → ids
	// sigBuf holds the candidates' signatures read for one filing.
	sigBuf []uint32
}

// open returns r ready for changes in tx. The caller holds r.mu.
func (r *recentBands) open(tx *bolt.Tx, recent, sigs *bolt.Bucket) {
	if r.tx == tx {
		return
	}
	if !r.valid || r.stamp != recent.Sequence() {
		r.ids, r.sigs, r.bands = map[uint64][]uint64{}, map[uint64][]uint32{}, nil
		recent.ForEach(func(k, _ []byte) error {
			id := binary.BigEndian.Uint64(k)
			sig, rows := decodeSig(sigs.Get(k))
			r.add(id, sig, StoryBands(sig, rows))
			return nil
		})
	}
	r.tx, r.valid, r.next = tx, false, recent.Sequence()
	tx.OnCommit(func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.tx == tx {
			r.tx, r.valid, r.stamp = nil, true, r.next
		}
	})
}

func (r *recentBands) add(id uint64, sig []uint32, hs []uint64) {
	r.ids[id], r.sigs[id] = hs, sig
	for i, h := range hs {
		for len(r.bands) <= i {
			r.bands = append(r.bands, map[uint64][]uint64{})
		}
		r.bands[i][h] = append(r.bands[i][h], id)
	}
}

func (r *recentBands) remove(id uint64) {
	for i, h := range r.ids[id] {
		ids := slices.DeleteFunc(r.bands[i][h], func(x uint64) bool { return x == id })
		if len(ids) == 0 {
			delete(r.bands[i], h)
		} else {
			r.bands[i][h] = ids
		}
	}
	delete(r.ids, id)
	delete(r.sigs, id)
}

// peers returns the recent ids in bucket (i, h), in no order.
func (r *recentBands) peers(i int, h uint64) []uint64 {
	if i >= len(r.bands) {
		return nil
	}
	return r.bands[i][h]
}

// invalidate makes the next use read story_recent again.
func (r *recentBands) invalidate() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tx, r.valid = nil, false
}

// recentOpen prepares the recent bands for t's transaction and locks
// them until t closes.
func (t *storyTx) recentOpen(r *recentBands, tx *bolt.Tx, recent *bolt.Bucket) {
	r.mu.Lock()
	r.open(tx, recent, t.sigs)
	t.r, t.recent = r, recent
}

// fileRecent files id's bands in story_recent.
func (t *storyTx) fileRecent(id uint64, sig []uint32, eb []uint64) error {
	if err := t.recent.Put(u64(id), nil); err != nil {
		return err
	}
	t.r.add(id, slices.Clone(sig), slices.Clone(eb))
	return t.bumpRecent()
}

// unfileRecent removes id from story_recent; ok reports that it was
// there (so its bands are not in the band bucket).
func (t *storyTx) unfileRecent(id uint64) (ok bool, err error) {
	if _, ok := t.r.ids[id]; !ok {
		return false, nil
	}
	t.r.remove(id)
	if err := t.recent.Delete(u64(id)); err != nil {
		return true, err
	}
	return true, t.bumpRecent()
}

func (t *storyTx) bumpRecent() error {
	return t.recent.SetSequence(t.recent.Sequence() + 1)
}

// moveRecent writes the bands of every recent article into the band
// bucket, in key order, and empties story_recent.
func (t *storyTx) moveRecent() error {
	if len(t.r.ids) == 0 {
		return nil
	}
	var keys []bandRec
	for id, hs := range t.r.ids {
		for i, h := range hs {
			keys = append(keys, bandRec{band: i, h: h, id: id})
		}
	}
	t.pending = append(t.pending, keys...)
	if err := t.flushBands(); err != nil {
		return err
	}
	c := t.recent.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	t.r.ids, t.r.sigs, t.r.bands = map[uint64][]uint64{}, map[uint64][]uint32{}, nil
	return t.bumpRecent()
}
