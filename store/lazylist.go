package store

import (
	"bytes"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// A page walks the time index newest first and asks, per candidate,
// whether a term holds it. A short list is decoded whole; a long one
// (a common word: hundreds of thousands of ids) is not: each question
// seeks the chunk that would hold the id (the chunk keys carry their
// first id, so bbolt's tree is the skip list) and reads its gaps up to
// the id. New chunks hold at most chunkMax ids, so a question reads a
// few hundred bytes at most.

// pageTuning holds when a page reads lists lazily: a store's are
// defaultPageTuning; tests lower them to take the lazy paths on small
// archives.
type pageTuning struct {
	// lazyBytes is the size of a term's chunks above which a page does
	// not decode it whole.
	lazyBytes int
	// lazyWalk is how many time keys a page walks, asking long lists
	// per candidate, before it decodes them instead.
	lazyWalk int
	// wholePhrase is how many candidates, sorted by time, a page of a
	// phrase must have (and hold a quarter of) to check them all at once,
	// on every core, instead of one by one.
	wholePhrase int
	// lazyLimit is the longest page that reads lists lazily: a listing
	// page (20,000) of a common word would ask them for every key, which
	// costs more than decoding them once.
	lazyLimit int
	// lazyAsks is the longest bound whose ids a page asks the long lists
	// about, one seek each, once its walk fell short; a longer bound
	// (an outlet's articles) has the lists decoded instead.
	lazyAsks int
}

var defaultPageTuning = pageTuning{lazyBytes: 128 << 10, lazyWalk: 20000, wholePhrase: 1000, lazyLimit: 1000, lazyAsks: 4000}

// maxLazyWords is how many words under a prefix a page asks one by one;
// a prefix with more is decoded whole.
const maxLazyWords = 8

// termList is the postings of a term node (one word, or every word
// under a prefix) for a page.
type termList struct {
	full []uint64 // sorted ids, when decoded whole
	lazy bool
	at   []chunkAt // lazy: where each word's chunks stand
	key  []byte    // scratch for a seek
}

// lazyList is a list read lazily from idx, the postings of words (key
// prefixes, from sizeTerm).
func lazyList(idx *bolt.Bucket, words [][]byte) *termList {
	l := &termList{lazy: true, at: make([]chunkAt, len(words))}
	for i, w := range words {
		l.at[i].c, l.at[i].w = idx.Cursor(), w
	}
	return l
}

// chunkAt is where one word's lazy list stands: the chunk the last
// question read, and its cursor on the chunk after it. Ids asked in
// order (a bound taking out a long list) read each chunk once, and step
// to the next chunk rather than seek it.
type chunkAt struct {
	c      *bolt.Cursor // this word's own
	w      []byte       // the word's key prefix (field byte, word, 0x00)
	ok     bool         // the rest is set
	lo, hi uint64       // the chunk holds the list's ids in [lo, hi)
	v      []byte       // the chunk's gaps after lo (in the transaction's memory)
	cur    uint64       // the last id read of the chunk
	prev   uint64       // the id before cur (lo when cur is lo)
	rest   []byte       // the gaps after cur: ids asked in order read on
	nk, nv []byte       // the next chunk, where the cursor is (nk nil: none)
}

// aheadSteps is how many chunks a question steps over, from the last
// chunk read, before it seeks instead.
const aheadSteps = 4

// sizeTerm walks the chunk keys of term (a field byte and a word, or
// with prefix every word under it) and reports whether they hold more
// than lazyBytes of postings, and the key prefixes of its words (up to
// maxLazyWords+1 of them). It stops as soon as both are known.
func sizeTerm(idx *bolt.Bucket, term string, prefix bool, lazyBytes int) (big bool, words [][]byte) {
	p := []byte(term)
	if !prefix {
		p = append(p, 0)
	}
	c := idx.Cursor()
	size := 0
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if len(k) < 9 {
			continue
		}
		w := k[:len(k)-8] // word and 0x00
		if !prefix && len(w) != len(p) {
			continue
		}
		if len(words) == 0 || !bytes.Equal(words[len(words)-1], w) {
			if len(words) > maxLazyWords {
				return size > lazyBytes, words
			}
			words = append(words, bytes.Clone(w))
		}
		size += len(v) + 9
		if size > lazyBytes && (!prefix || len(words) > maxLazyWords) {
			return true, words
		}
	}
	return size > lazyBytes, words
}

// has reports whether id is in the list.
func (l *termList) has(id uint64) bool {
	if !l.lazy {
		return has(l.full, id)
	}
	for i := range l.at {
		if l.at[i].has(id, &l.key) {
			return true
		}
	}
	return false
}

// has reports whether the word's postings hold id: from the chunk the
// last question read or one of the few after it when id lies there,
// else by a seek on the chunk keys, which carry their first id. key is
// scratch space.
func (a *chunkAt) has(id uint64, key *[]byte) bool {
	if a.ok && id >= a.lo {
		for steps := 0; id >= a.hi && a.nk != nil && steps < aheadSteps; steps++ {
			a.enter(a.nk, a.nv)
		}
		if id < a.hi {
			return a.holds(id)
		}
	}
	*key = binary.BigEndian.AppendUint64(append((*key)[:0], a.w...), id)
	k, v := a.c.Seek(*key)
	if k == nil || !bytes.Equal(k, *key) {
		if k == nil {
			k, v = a.c.Last()
		} else {
			k, v = a.c.Prev()
		}
	}
	if k == nil || !isChunkOf(k, a.w) {
		a.ok = false // id is before the list's first chunk
		return false
	}
	a.enter(k, v)
	return a.holds(id)
}

// enter makes chunk k, v (where the cursor stands) the current one and
// moves the cursor to the word's next chunk.
func (a *chunkAt) enter(k, v []byte) {
	a.ok, a.v = true, v
	a.lo = binary.BigEndian.Uint64(k[len(a.w):])
	a.prev, a.cur, a.rest = a.lo, a.lo, v
	a.nk, a.nv = a.c.Next()
	a.hi = ^uint64(0)
	if a.nk == nil || !isChunkOf(a.nk, a.w) {
		a.nk, a.nv = nil, nil
	} else {
		a.hi = binary.BigEndian.Uint64(a.nk[len(a.w):])
	}
}

// holds reports whether the current chunk holds id (in [lo, hi)),
// reading its gaps on from the last id read: an id between that one and
// the one before it is answered without reading, and only one before
// both reads the chunk from its start again.
func (a *chunkAt) holds(id uint64) bool {
	if id < a.cur {
		if id >= a.prev {
			return id == a.prev
		}
		a.prev, a.cur, a.rest = a.lo, a.lo, a.v
	}
	for a.cur < id && len(a.rest) > 0 {
		d, n := binary.Uvarint(a.rest)
		if n <= 0 {
			a.rest = nil // a damaged chunk: what was read stands, as in appendChunk
			break
		}
		a.rest = a.rest[n:]
		a.prev, a.cur = a.cur, a.cur+d
	}
	return a.cur == id
}

// isChunkOf reports whether index key k is a chunk of key prefix w.
func isChunkOf(k, w []byte) bool {
	return len(k) == len(w)+8 && bytes.HasPrefix(k, w)
}
