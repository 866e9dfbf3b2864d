package store

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The days bucket is a compact array from article id to the day of its
// published time and of its first-seen time, for count --by day, week
// and month: a query's ids come from the postings in ascending order, and
// their days from here, without a docs lookup per id. It is kept by link
// (the only writer of docs entries) and built from docs by the schema 1
// to 2 migration.
//
//	id / daysBlock (8 BE) → daysBlock entries of 8 bytes:
//	published day (4 BE), first-seen day (4 BE)
//
// A day is stored as day+dayBias (days since 1970, floored), so that 0
// means no article and 1 (published only) means undated.
var bDays = []byte("days")

const (
	daysBlock  = 256
	dayNone    = 0
	dayUndated = 1
	dayBias    = 1 << 31
)

// dayOf is the day (since 1970, floored) of a docs time.
func dayOf(bits uint64) int64 {
	ns := int64(bits ^ (1 << 63))
	day := ns / int64(24*time.Hour)
	if ns%int64(24*time.Hour) < 0 {
		day-- // before 1970: floor, not towards zero
	}
	return day
}

func dayCode(day int64) uint32 {
	c := day + dayBias
	if c <= dayUndated || c > 1<<32-1 { // out of the array's range: the Count fallback is not needed for real dates
		c = dayUndated + 1
	}
	return uint32(c)
}

// dayEntry computes an article's entry from its docs value, exactly as
// Count reads the docs value.
func dayEntry(v []byte) (pub, seen uint32) {
	var p, s uint64
	if len(v) >= 17 {
		p, s = binary.BigEndian.Uint64(v), binary.BigEndian.Uint64(v[8:])
	}
	pub = dayCode(dayOf(p))
	if rawUndated(v) {
		pub = dayUndated
	}
	return pub, dayCode(dayOf(s))
}

func daysKey(id uint64) []byte { return u64(id / daysBlock) }

// putDays records the days of article id, whose docs value is v. An
// archive opened by a version before the bucket has none: nothing to do.
func putDays(tx *bolt.Tx, id uint64, v []byte) error {
	b := seqBucket(tx, bDays)
	if b == nil {
		return nil
	}
	k := daysKey(id)
	nv := make([]byte, daysBlock*8) // bbolt keeps the slice until commit: always a fresh one
	copy(nv, b.Get(k))
	pub, seen := dayEntry(v)
	off := int(id%daysBlock) * 8
	binary.BigEndian.PutUint32(nv[off:], pub)
	binary.BigEndian.PutUint32(nv[off+4:], seen)
	return b.Put(k, nv)
}

// buildDays fills the days bucket from docs (the migration to schema 2).
func buildDays(tx *bolt.Tx) error {
	b := seqBucket(tx, bDays)
	if b == nil {
		return fmt.Errorf("no days bucket")
	}
	var cur []byte
	curBlock := ^uint64(0)
	flush := func() error {
		if cur == nil {
			return nil
		}
		return b.Put(u64(curBlock), cur)
	}
	c := tx.Bucket(bDocs).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			continue
		}
		id := binary.BigEndian.Uint64(k)
		if id/daysBlock != curBlock {
			if err := flush(); err != nil {
				return err
			}
			curBlock, cur = id/daysBlock, make([]byte, daysBlock*8)
		}
		pub, seen := dayEntry(v)
		off := int(id%daysBlock) * 8
		binary.BigEndian.PutUint32(cur[off:], pub)
		binary.BigEndian.PutUint32(cur[off+4:], seen)
	}
	return flush()
}

// dayCounter counts articles by their day codes.
type dayCounter struct {
	seen    bool
	days    map[int64]int
	undated int
}

func (d *dayCounter) add(e []byte) {
	c := binary.BigEndian.Uint32(e)
	if d.seen {
		c = binary.BigEndian.Uint32(e[4:])
	}
	switch c {
	case dayNone:
	case dayUndated:
		d.undated++
	default:
		d.days[int64(c)-dayBias]++
	}
}

// countDays counts by day every article (ids nil) or the articles ids
// (ascending), from the days bucket. ok is false when the archive has no
// days bucket (schema 1, opened read-only): the caller reads docs.
func countDays(tx *bolt.Tx, ids []uint64, all, seen bool) (days map[int64]int, undated int, ok bool) {
	b := tx.Bucket(bDays)
	if b == nil {
		return nil, 0, false
	}
	d := &dayCounter{seen: seen, days: map[int64]int{}}
	if all {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			for off := 0; off+8 <= len(v); off += 8 {
				d.add(v[off:])
			}
		}
		return d.days, d.undated, true
	}
	var blk []byte
	cur := ^uint64(0)
	for _, id := range ids {
		if id/daysBlock != cur {
			cur = id / daysBlock
			blk = b.Get(u64(cur))
		}
		off := int(id%daysBlock) * 8
		if off+8 <= len(blk) {
			e := blk[off : off+8]
			if binary.BigEndian.Uint32(e) == dayNone {
				return nil, 0, false // not recorded: read docs instead
			}
			d.add(e)
		} else {
			return nil, 0, false
		}
	}
	return d.days, d.undated, true
}

// daysProblem tells, for check, whether article id's days entry differs
// from its docs value dv ("" when it agrees, or the archive has none).
func daysProblem(tx *bolt.Tx, id uint64, dv []byte) string {
	b := tx.Bucket(bDays)
	if b == nil {
		return ""
	}
	blk := b.Get(daysKey(id))
	off := int(id%daysBlock) * 8
	pub, seen := dayEntry(dv)
	if off+8 > len(blk) || binary.BigEndian.Uint32(blk[off:]) != pub || binary.BigEndian.Uint32(blk[off+4:]) != seen {
		return fmt.Sprintf("article %d: days entry differs from docs (run `feedvault reindex`)", id)
	}
	return ""
}
