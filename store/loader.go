package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// plainMark is the dirty mark of Put and its kin: an empty value. A
// Loader marks its articles with its own token instead.
func plainMark() []byte { return []byte{} }

// loaderPairs is how many (word, article) pairs a Loader gathers before
// it writes them to the index: about 60,000 articles of the bench's
// corpus, some 30 MB of memory.
const loaderPairs = 16 << 20

// Loader archives articles in bulk, as import does. Each PutMany is one
// transaction of articles, by the same rules as Put; their words are
// gathered in memory (on a goroutine of the Loader's, while the next
// batch is written) and reach the index every loaderPairs pairs and at
// Close, in one transaction that visits each word's last chunk once, in
// key order. Indexing each batch in its own transaction touched most of
// the index's pages at every commit, so that import slowed as the index
// grew.
//
// Until the flush, the Loader's articles are dirty (marked with the
// Loader's token), so queries find them word by word and a crash loses
// nothing: FlushIndex indexes them from the articles. The flush indexes
// only articles still marked with its token and linked once since the
// last flush: an article that another writer rewrote, or that this
// Loader wrote twice, is left dirty and indexed by FlushIndex from what
// is stored. A Loader is used by one goroutine; Close must be called.
type Loader struct {
	s     *Store
	token []byte
	max   int // pairs gathered before a flush

	gather sync.WaitGroup // the goroutine gathering the last batch's words
	post   map[string]*plist
	pairs  int
	ids    map[uint64]bool // linked since the last flush → linked more than once
}

// plist is one word's gathered ids: signed varint steps from the last
// (an updated article's id can come after a higher one).
type plist struct {
	last     uint64
	steps    []byte
	n        int
	unsorted bool
}

func (p *plist) add(id uint64) {
	if p.n > 0 && id <= p.last {
		p.unsorted = true
	}
	p.steps = binary.AppendVarint(p.steps, int64(id-p.last))
	p.last = id
	p.n++
}

func (p *plist) decode() []uint64 {
	out := make([]uint64, 0, p.n)
	cur := uint64(0)
	for b := p.steps; len(b) > 0; {
		d, w := binary.Varint(b)
		if w <= 0 {
			break
		}
		b = b[w:]
		cur += uint64(d)
		out = append(out, cur)
	}
	if p.unsorted {
		slices.Sort(out)
		out = dedupSorted(out)
	}
	return out
}

// NewLoader starts a bulk load into s.
func (s *Store) NewLoader() (*Loader, error) {
	tok := make([]byte, 8)
	if _, err := rand.Read(tok); err != nil {
		return nil, fmt.Errorf("store: loader token: %w", err)
	}
	return &Loader{s: s, token: tok, max: loaderPairs, post: map[string]*plist{}, ids: map[uint64]bool{}}, nil
}

// PutMany archives articles in one transaction by the same rules as Put:
// encoding, compression and word splitting run on every core. raws may
// be nil, or hold each article's raw page (nil for none). Of articles
// with the same URL in one call, the last wins. Their words reach the
// index at a later flush (see Loader).
func (l *Loader) PutMany(arts []*Article, raws [][]byte) (created int, err error) {
	items := batchItems(arts, raws)
	err = l.s.update(func(tx *bolt.Tx) error {
		var err error
		created, err = l.s.linkBatch(tx, items, l.token)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: put: %w", err)
	}
	l.gather.Wait() // the previous batch's words
	if l.pairs >= l.max {
		if err := l.flush(); err != nil {
			return created, err
		}
	}
	// After the flush: this batch's words are gathered for the next one.
	for _, it := range items {
		if !it.skip {
			_, twice := l.ids[it.a.ID]
			l.ids[it.a.ID] = twice
		}
	}
	l.gather.Add(1)
	go func() {
		defer l.gather.Done()
		l.gatherWords(items)
	}()
	return created, nil
}

// gatherWords adds the words of the items written.
func (l *Loader) gatherWords(items []*batchItem) {
	ids := map[*wordGroup][]uint64{} // a group's places → the ids written
	var groups []*wordGroup
	for _, it := range items {
		switch {
		case it.skip:
		case it.group != nil:
			g := it.group
			if ids[g] == nil {
				ids[g] = make([]uint64, g.n)
				groups = append(groups, g)
			}
			ids[g][it.pos] = it.a.ID
		default:
			for t := range it.words {
				l.plist(t).add(it.a.ID)
			}
			l.pairs += len(it.words)
		}
	}
	for _, g := range groups {
		gids := ids[g]
		for k, list := range g.lists {
			var p *plist
			for _, pos := range list {
				if id := gids[pos]; id != 0 { // 0: not written in this batch
					if p == nil {
						p = l.plistOf(g.key(k))
					}
					p.add(id)
					l.pairs++
				}
			}
		}
	}
}

func (l *Loader) plistOf(term []byte) *plist {
	p := l.post[string(term)] // the lookup does not allocate
	if p == nil {
		p = &plist{}
		l.post[string(term)] = p
	}
	return p
}

func (l *Loader) plist(term string) *plist {
	p := l.post[term]
	if p == nil {
		p = &plist{}
		l.post[term] = p
	}
	return p
}

// Close writes the gathered words to the index. The Loader is done.
func (l *Loader) Close() error { return l.flush() }

// flush writes the gathered words to the index in one transaction and
// clears the dirty marks of the articles it indexed.
func (l *Loader) flush() error {
	l.gather.Wait()
	if len(l.ids) == 0 {
		return nil
	}
	left := false // articles left dirty for FlushIndex
	err := l.s.update(func(tx *bolt.Tx) error {
		dirty := tx.Bucket(bDirty)
		ids := make([]uint64, 0, len(l.ids))
		skip := map[uint64]bool{}
		for id, twice := range l.ids {
			mark := dirty.Get(u64(id))
			switch {
			case mark != nil && !twice && bytes.Equal(mark, l.token):
				ids = append(ids, id)
			case mark != nil:
				left = true
				fallthrough
			default:
				skip[id] = true
			}
		}
		terms := make([]string, 0, len(l.post))
		for t := range l.post {
			terms = append(terms, t)
		}
		sort.Strings(terms)
		// The words come in key order: pages are filled before they
		// split, as in a bucket keyed by id (bbolt's default, half, left
		// an imported index half empty: 35.7 MB of pages for 17.0 MB
		// at 50,000 articles).
		idx := seqBucket(tx, bIndex)
		for _, t := range terms {
			got := l.post[t].decode()
			if len(skip) > 0 {
				got = slices.DeleteFunc(got, func(id uint64) bool { return skip[id] })
			}
			if len(got) == 0 {
				continue
			}
			if err := addPostings(idx, t, got); err != nil {
				return err
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			if err := dirty.Delete(u64(id)); err != nil {
				return err
			}
		}
		return nil
	})
	l.post, l.pairs, l.ids = map[string]*plist{}, 0, map[uint64]bool{}
	if err != nil {
		return fmt.Errorf("store: index: %w", err)
	}
	if left {
		if _, err := l.s.FlushIndex(0); err != nil {
			return err
		}
	}
	return nil
}

// PutMany archives articles in one transaction (for import), by the same
// rules as Put, and indexes them in a second one (a crash between the
// two leaves them dirty, found word by word and indexed by FlushIndex).
// See Loader.PutMany.
func (s *Store) PutMany(arts []*Article, raws [][]byte) (created int, err error) {
	l, err := s.NewLoader()
	if err != nil {
		return 0, err
	}
	created, err = l.PutMany(arts, raws)
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	return created, err
}

// batchItem is one article of a PutMany.
type batchItem struct {
	a       *Article
	raw     []byte
	v       []byte
	zraw    []byte
	words   map[string]struct{} // or
	group   *wordGroup          // its words, at pos
	pos     int32
	skip    bool
	created bool
	reenc   bool // changed after Prepare: encode again
	err     error
}

// batchItems drops the articles that a later one with the same URL
// replaces.
func batchItems(arts []*Article, raws [][]byte) []*batchItem {
	last := map[string]int{}
	for i, a := range arts {
		a.Aliases = aliasesWithout(a.Aliases, a.URL)
		for _, u := range append([]string{a.URL}, a.Aliases...) {
			last[u] = i
		}
	}
	var items []*batchItem
	for i, a := range arts {
		if last[a.URL] != i {
			continue // a later line has the same URL
		}
		it := &batchItem{a: a}
		if raws != nil {
			it.raw = raws[i]
		}
		items = append(items, it)
	}
	return items
}

// linkBatch writes items in tx, each marked dirty with mark.
func (s *Store) linkBatch(tx *bolt.Tx, items []*batchItem, mark []byte) (created int, err error) {
	for _, it := range items {
		old, err := s.findArticle(tx, it.a)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", it.a.URL, err)
		}
		skip, c, err := s.prepare(tx, it.a)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", it.a.URL, err)
		}
		it.skip, it.created = skip, c
		if c {
			created++
		}
		if !skip {
			if it.reenc, err = s.keepHistory(tx, it.a, old); err != nil {
				return 0, fmt.Errorf("%s: %w", it.a.URL, err)
			}
		}
	}
	// No bbolt calls here: encode, compress and split words in parallel.
	var wg sync.WaitGroup
	next := make(chan *batchItem)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				p := it.a.prep
				it.a.prep = nil
				if p != nil && it.created && it.a.RefetchAt.IsZero() && !it.reenc {
					// Encoded by Prepare: still valid, as prepare
					// changed nothing but the id of a new article.
					it.v, it.words, it.group, it.pos = p.enc, p.words, p.group, p.pos
				} else {
					it.v, it.err = s.z.encodeArticle(it.a)
					it.words = docWords(it.a)
				}
				switch {
				case p != nil && p.zraw != nil:
					it.zraw = p.zraw
				case it.raw != nil:
					it.zraw = s.z.compress(it.raw)
					it.a.RawSize = len(it.raw)
				}
			}
		}()
	}
	for _, it := range items {
		if !it.skip {
			next <- it
		}
	}
	close(next)
	wg.Wait()
	for _, it := range items {
		if it.skip {
			continue
		}
		if it.err != nil {
			return 0, it.err
		}
		if err := link(tx, it.a, it.v, it.zraw, mark); err != nil {
			return 0, fmt.Errorf("%s: %w", it.a.URL, err)
		}
	}
	return created, nil
}
