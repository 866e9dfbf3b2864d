package store

import (
	bolt "go.etcd.io/bbolt"
)

// DefaultStoryCache is the size of a backfill's cache, in entries of
// about 34 bytes (one per article in a band bucket, and 9 per
// signature): about 100 MiB, some 70,000 articles of 64 hashes.
const DefaultStoryCache = 3 << 20

// StoryCache keeps, across the transactions of one backfill, the band
// buckets (their newest MaxBandPeers ids) and the signatures it has read
// or written, so a backfill reads neither again. It holds at most about
// limit entries: past that, at the end of a transaction, it is emptied
// and refills from the archive. When the archive had no band keys at the
// start, a bucket it does not hold is known to be empty. A filing it did
// not make (another writer's, seen by the stories bucket's sequence)
// empties it too. Not safe for concurrent use.
type StoryCache struct {
	limit    int
	n        int
	started  bool
	complete bool               // no bucket outside the cache has keys
	seq      uint64             // stories bucket sequence after the last transaction
	mine     uint64             // filings of the last transaction
	heads    []map[uint64]int32 // by band: bucket → its newest node
	nodes    blocks[peerNode]
	sigAt    map[uint64]int32 // id → its signature's offset in slab
	slab     blocks[uint32]   // signatures, each after its length
}

// blocks is a slice in blocks of 1<<16, addressed by int32: it grows
// without copying what it holds.
type blocks[T any] struct {
	b [][]T
	n int32
}

func (s *blocks[T]) at(i int32) *T { return &s.b[i>>16][i&0xffff] }

// add appends vs, which fit in one block, without splitting them over
// two, and returns the index of the first.
func (s *blocks[T]) add(vs ...T) int32 {
	if off := int(s.n & 0xffff); off+len(vs) > 1<<16 {
		s.n = (s.n>>16 + 1) << 16 // skip the rest of the last block
	}
	if int(s.n>>16) == len(s.b) {
		s.b = append(s.b, make([]T, 1<<16))
	}
	at := s.n
	copy(s.b[at>>16][at&0xffff:], vs)
	s.n += int32(len(vs))
	return at
}

func (s *blocks[T]) reset() { s.b, s.n = nil, 0 }

// peerNode is one id in a bucket's list, newest first; next is -1 at the end.
type peerNode struct {
	peer
	next int32
}

// NewStoryCache returns a cache of at most about limit entries
// (DefaultStoryCache if limit <= 0).
func NewStoryCache(limit int) *StoryCache {
	if limit <= 0 {
		limit = DefaultStoryCache
	}
	return &StoryCache{limit: limit, sigAt: map[uint64]int32{}}
}

// begin starts a transaction of the backfill: recent articles' bands
// move into the band bucket, so the cache needs to know only that.
func (c *StoryCache) begin(t *storyTx) error {
	seq := t.stories.Sequence()
	if c.started && seq != c.seq {
		c.reset() // another writer filed stories since
	}
	if err := t.moveRecent(); err != nil {
		return err
	}
	if !c.started {
		c.started = true
		k, _ := t.bands.Cursor().First()
		c.complete = k == nil
	}
	c.seq, c.mine = seq, 0
	return nil
}

// committed ends a transaction: after a failure the cache may hold what
// the archive does not, so it starts over from the archive.
func (c *StoryCache) committed(ok bool) {
	c.seq += c.mine
	if !ok || c.n > c.limit {
		c.reset()
	}
}

func (c *StoryCache) reset() {
	c.heads, c.n = nil, 0
	c.nodes.reset()
	c.slab.reset()
	clear(c.sigAt)
	c.complete = false
}

func (c *StoryCache) bucket(i int) map[uint64]int32 {
	for len(c.heads) <= i {
		c.heads = append(c.heads, map[uint64]int32{})
	}
	return c.heads[i]
}

// peers appends the peers of bucket (i, h), newest first, and returns
// its head node (-1: empty); ok is false when the cache does not know
// the bucket.
func (c *StoryCache) peers(i int, h uint64, buf []peer) (_ []peer, head int32, ok bool) {
	head, ok = c.bucket(i)[h]
	if !ok {
		return buf, -1, c.complete
	}
	for k, n := 0, head; n >= 0 && k < MaxBandPeers; k++ {
		node := c.nodes.at(n)
		buf = append(buf, node.peer)
		n = node.next
	}
	return buf, head, true
}

// load records bucket (i, h) as read from the archive (ps, newest
// first), with their signatures, whose offsets it sets in ps.
func (c *StoryCache) load(i int, h uint64, ps []peer, sigs *bolt.Bucket) int32 {
	for k := range ps {
		at, ok := c.sigAt[ps[k].id]
		if !ok {
			sig, _ := decodeSig(sigs.Get(u64(ps[k].id)))
			at = c.putSig(ps[k].id, sig)
		}
		ps[k].sig = at
	}
	head := int32(-1)
	for k := len(ps) - 1; k >= 0; k-- {
		head = c.nodes.add(peerNode{peer: ps[k], next: head})
	}
	c.bucket(i)[h] = head
	c.n += max(1, len(ps))
	return head
}

// push adds p to bucket (i, h), whose head peers or load returned (the
// bucket is new when the cache is complete and did not know it).
func (c *StoryCache) push(i int, h uint64, p peer, head int32) {
	// Newest first: a backfill files in id order, so p is mostly the
	// new head.
	prev, n := int32(-1), head
	for depth := 0; n >= 0 && c.nodes.at(n).id > p.id; depth++ {
		if depth == MaxBandPeers {
			return // beyond what is ever read
		}
		prev, n = n, c.nodes.at(n).next
	}
	if n >= 0 && c.nodes.at(n).id == p.id {
		return
	}
	at := c.nodes.add(peerNode{peer: p, next: n})
	c.n++
	if prev < 0 {
		c.bucket(i)[h] = at
	} else {
		c.nodes.at(prev).next = at
	}
}

// drop forgets bucket (i, h): it is read from the archive again.
func (c *StoryCache) drop(i int, h uint64) {
	delete(c.bucket(i), h)
	c.complete = false
}

// putSig keeps id's signature and returns its offset.
func (c *StoryCache) putSig(id uint64, sig []uint32) int32 {
	at := c.slab.add(append([]uint32{uint32(len(sig))}, sig...)...)
	c.sigAt[id] = at
	c.n += 1 + len(sig)/8
	return at
}

func (c *StoryCache) sig(at int32) []uint32 {
	b, i := c.slab.b[at>>16], at&0xffff
	n := int32(b[i])
	return b[i+1 : i+1+n : i+1+n]
}
