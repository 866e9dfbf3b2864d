package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// StoryFiler computes what is filed in the story groups for an article
// about to be stored: its entry (the store sets the id) and the rule
// that picks the earlier article it joins (0: none) with the similarity.
// The store keeps what it returns as opaque values and keys.
type StoryFiler func(a *Article) (StoryEntry, func([]StoryCandidate) (id uint64, sim float64))

// FileStory asks Put to file a in the story groups with f, in the
// transaction that stores a: filing costs no transaction of its own, and
// no article is ever stored without its story. f runs on the cleaned
// article before the transaction. Put files a when it archives a new
// article or a fetched page; a failed fetch that keeps the stored copy
// files nothing.
func (a *Article) FileStory(f StoryFiler) { a.story = f }

// storyFiling is what Put files with an article, computed before its
// transaction.
type storyFiling struct {
	e      StoryEntry
	choose func([]StoryCandidate) (uint64, float64)
}

// storyFor runs the StoryFiler a carries, if any, on the cleaned a.
func storyFor(a *Article) *storyFiling {
	if a.story == nil {
		return nil
	}
	cleanArticle(a) // as the transaction will store it
	e, choose := a.story(a)
	return &storyFiling{e: e, choose: choose}
}

// fileStoryIn files the article stored as id, in the article's
// transaction. Batch may run it more than once: filing again replaces
// what was filed.
func (s *Store) fileStoryIn(tx *bolt.Tx, f *storyFiling, id uint64) error {
	t, err := s.openStories(tx, nil)
	if err != nil {
		return fmt.Errorf("file story: %w", err)
	}
	defer t.release()
	f.e.ID = id
	if _, err := t.file(f.e, f.choose); err != nil {
		return fmt.Errorf("file story: %w", err)
	}
	return t.close()
}

// PutStory files e in a transaction of its own (which concurrent calls
// share): it gathers the earlier articles sharing a band, lets choose
// pick the one to join and writes the signature, bands and group, so two
// copies arriving together still meet. An article filed before is filed
// again from scratch (its old entries go). New articles are better filed
// by Put itself (Article.FileStory).
func (s *Store) PutStory(e StoryEntry, choose func([]StoryCandidate) (id uint64, sim float64)) (StoryInfo, error) {
	var info StoryInfo
	err := s.batch(func(tx *bolt.Tx) error {
		t, err := s.openStories(tx, nil)
		if err != nil {
			return err
		}
		defer t.release()
		if info, err = t.file(e, choose); err != nil {
			return err
		}
		return t.close()
	})
	if err != nil {
		return info, fmt.Errorf("store: file story of article %d: %w", e.ID, err)
	}
	return info, nil
}

// PutStories files entries in order in one transaction, each seeing
// those before it: for a backfill. With a cache, the band buckets and
// signatures it holds are not read again, and the band keys are written
// in key order at the end of the transaction; pass the same cache to
// every call of one backfill.
func (s *Store) PutStories(entries []StoryEntry, choose func(e StoryEntry) func([]StoryCandidate) (uint64, float64), c *StoryCache) ([]StoryInfo, error) {
	infos := make([]StoryInfo, len(entries))
	err := s.update(func(tx *bolt.Tx) error {
		t, err := s.openStories(tx, c)
		if err != nil {
			return err
		}
		defer t.release()
		if c != nil {
			for _, e := range entries {
				if e.Sig != nil && e.Rows > 0 {
					t.pending = make([]bandRec, 0, len(entries)*(len(e.Sig)/e.Rows))
					break
				}
			}
		}
		for i, e := range entries {
			if infos[i], err = t.file(e, choose(e)); err != nil {
				return fmt.Errorf("article %d: %w", e.ID, err)
			}
		}
		return t.close()
	})
	if c != nil {
		c.committed(err == nil)
	}
	if err != nil {
		return nil, fmt.Errorf("store: file stories: %w", err)
	}
	return infos, nil
}

// storyTx files stories in one write transaction.
type storyTx struct {
	sigs, bands, stories, members *bolt.Bucket

	c       *StoryCache // nil: new bands go to story_recent
	pending []bandRec   // with c: band keys to write at close
	r       *recentBands
	recent  *bolt.Bucket
	filed   uint64 // filings, added to the stories bucket's sequence at close
	seen    map[uint64]bool
	peerBuf []peer
	cands   []StoryCandidate
	heads   []int32 // with c: the head of each band's bucket, as candidates found it
}

type bandRec struct {
	band  int
	h, id uint64
}

// openStories starts filing in tx; release must follow.
func (s *Store) openStories(tx *bolt.Tx, c *StoryCache) (*storyTx, error) {
	var bk [5]*bolt.Bucket
	for i, name := range storyBuckets {
		b, err := tx.CreateBucketIfNotExists(name)
		if err != nil {
			return nil, err
		}
		bk[i] = b
	}
	t := &storyTx{sigs: bk[0], bands: bk[1], stories: bk[2], members: bk[3], c: c, seen: map[uint64]bool{}}
	t.recentOpen(&s.recent, tx, bk[4])
	if c != nil {
		if err := c.begin(t); err != nil {
			t.release()
			return nil, err
		}
	}
	return t, nil
}

// release lets other transactions use the recent bands.
func (t *storyTx) release() {
	if t.r != nil {
		t.r.mu.Unlock()
		t.r = nil
	}
}

// close writes the pending band keys and counts the filings in the
// stories bucket's sequence, by which a cache sees filings it did not
// make.
func (t *storyTx) close() error {
	if err := t.flushBands(); err != nil {
		return err
	}
	if max := cmp.Or(t.r.max, MaxRecentStories); len(t.r.ids) >= max {
		if err := t.moveRecent(); err != nil {
			return err
		}
	}
	t.r.next = t.recent.Sequence()
	if t.c != nil {
		t.c.mine = t.filed
	}
	if t.filed == 0 {
		return nil
	}
	return t.stories.SetSequence(t.stories.Sequence() + t.filed)
}

// flushBands writes the pending band keys in key order.
func (t *storyTx) flushBands() error {
	p := t.pending
	slices.SortFunc(p, func(a, b bandRec) int {
		return cmp.Or(cmp.Compare(a.band, b.band), cmp.Compare(a.h, b.h), cmp.Compare(a.id, b.id))
	})
	k := make([]byte, 17)
	for _, r := range p {
		k[0] = byte(r.band)
		binary.BigEndian.PutUint64(k[1:], r.h)
		binary.BigEndian.PutUint64(k[9:], r.id)
		if err := t.bands.Put(k, nil); err != nil {
			return err
		}
	}
	t.pending = p[:0]
	return nil
}

// file files e: see PutStory.
func (t *storyTx) file(e StoryEntry, choose func([]StoryCandidate) (id uint64, sim float64)) (StoryInfo, error) {
	info := StoryInfo{ID: e.ID, Group: e.ID, Agencies: e.Agencies}
	if err := t.unfile(e.ID); err != nil {
		return info, err
	}
	t.filed++
	if e.Sig != nil {
		if e.Rows <= 0 || e.Rows > 255 {
			return info, fmt.Errorf("band rows %d out of range", e.Rows)
		}
		eb := StoryBands(e.Sig, e.Rows)
		if cands := t.candidates(e.ID, eb); len(cands) > 0 {
			if id, sim := choose(cands); id != 0 {
				info.Group, info.Similarity = id, sim
				if si, ok := getStory(t.stories, id); ok {
					info.Group = si.Group
				}
			}
		}
		if err := t.sigs.Put(u64(e.ID), encodeSig(e.Sig, e.Rows)); err != nil {
			return info, err
		}
		if t.c == nil {
			if err := t.fileRecent(e.ID, e.Sig, eb); err != nil {
				return info, err
			}
		} else {
			at := t.c.putSig(e.ID, e.Sig)
			for i, h := range eb {
				t.c.push(i, h, peer{id: e.ID, sig: at}, t.heads[i])
				t.pending = append(t.pending, bandRec{band: i, h: h, id: e.ID})
			}
		}
	}
	v, err := json.Marshal(info)
	if err != nil {
		return info, err
	}
	if err := t.stories.Put(u64(e.ID), v); err != nil {
		return info, err
	}
	return info, t.members.Put(append(u64(info.Group), u64(e.ID)...), nil)
}

// candidates gathers the earlier articles sharing a band with an
// article of bands eb: the newest MaxBandPeers of each band's bucket,
// lowest id first. The slice is reused by the next call.
func (t *storyTx) candidates(id uint64, eb []uint64) []StoryCandidate {
	clear(t.seen)
	cands := t.cands[:0]
	t.r.sigBuf = t.r.sigBuf[:0]
	t.heads = t.heads[:0]
	for i, h := range eb {
		t.peerBuf = t.peers(i, h, t.peerBuf[:0])
		for _, p := range t.peerBuf {
			if t.seen[p.id] || p.id == id {
				continue
			}
			t.seen[p.id] = true
			var sig []uint32
			if p.sig >= 0 {
				sig = t.c.sig(p.sig)
			} else if s, ok := t.r.sigs[p.id]; ok {
				sig = s
			} else {
				sig = t.readSig(p.id)
			}
			cands = append(cands, StoryCandidate{ID: p.id, Sig: sig})
		}
	}
	slices.SortFunc(cands, func(a, b StoryCandidate) int { return cmp.Compare(a.ID, b.ID) })
	t.cands = cands
	return cands
}

// readSig reads id's signature into a buffer the next filing reuses
// (a crowded article has hundreds of candidates).
func (t *storyTx) readSig(id uint64) []uint32 {
	v := t.sigs.Get(u64(id))
	if len(v) == 0 {
		return nil
	}
	b := t.r.sigBuf
	from := len(b)
	for v = v[1:]; len(v) >= 4; v = v[4:] {
		b = append(b, binary.BigEndian.Uint32(v))
	}
	t.r.sigBuf = b
	return b[from:len(b):len(b)]
}

// peer is an id in a band bucket, and where the cache holds its
// signature (-1: not there).
type peer struct {
	id  uint64
	sig int32
}

// peers appends to buf the newest MaxBandPeers ids of band i's bucket h,
// newest first.
func (t *storyTx) peers(i int, h uint64, buf []peer) []peer {
	if t.c != nil {
		out, head, ok := t.c.peers(i, h, buf)
		if ok {
			t.heads = append(t.heads, head)
			return out
		}
	}
	c := t.bands.Cursor()
	p := bandKey(i, h, 0)[:9]
	last := bandKey(i, h, ^uint64(0))
	k, _ := c.Seek(last)
	if k == nil {
		k, _ = c.Last()
	} else if !bytes.Equal(k, last) {
		k, _ = c.Prev()
	}
	from := len(buf)
	for n := 0; k != nil && bytes.HasPrefix(k, p) && n < MaxBandPeers; k, _ = c.Prev() {
		n++
		buf = append(buf, peer{id: binary.BigEndian.Uint64(k[9:]), sig: -1})
	}
	if rs := t.r.peers(i, h); len(rs) > 0 {
		// The recent articles of the bucket join in; the newest
		// MaxBandPeers of both are the bucket's.
		for _, id := range rs {
			buf = append(buf, peer{id: id, sig: -1})
		}
		ps := buf[from:]
		slices.SortFunc(ps, func(a, b peer) int { return cmp.Compare(b.id, a.id) })
		buf = buf[:from+min(len(ps), MaxBandPeers)]
	}
	if t.c != nil {
		t.heads = append(t.heads, t.c.load(i, h, buf[from:], t.sigs))
	}
	return buf
}

// unfile removes what was filed for id. A group keeps its id when its
// first article is filed again.
func (t *storyTx) unfile(id uint64) error {
	old, ok := getStory(t.stories, id)
	if !ok {
		return nil
	}
	inRecent, err := t.unfileRecent(id)
	if err != nil {
		return err
	}
	if v := t.sigs.Get(u64(id)); v != nil {
		sig, rows := decodeSig(v)
		bands := StoryBands(sig, rows)
		if inRecent {
			bands = nil // none in the band bucket
		}
		if t.c != nil {
			// The archive becomes the truth for these buckets again.
			if err := t.flushBands(); err != nil {
				return err
			}
			for i, h := range bands {
				t.c.drop(i, h)
			}
			delete(t.c.sigAt, id)
		}
		for i, h := range bands {
			if err := t.bands.Delete(bandKey(i, h, id)); err != nil {
				return err
			}
		}
		if err := t.sigs.Delete(u64(id)); err != nil {
			return err
		}
	}
	if err := t.members.Delete(append(u64(old.Group), u64(id)...)); err != nil {
		return err
	}
	return t.stories.Delete(u64(id))
}
