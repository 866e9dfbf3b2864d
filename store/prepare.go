package store

import (
	"bytes"
	"hash/maphash"
)

// prepared is the work done on an article ahead of PutMany.
type prepared struct {
	enc   []byte              // the article's value (encode.go), with no id
	zraw  []byte              // zstd(raw page)
	words map[string]struct{} // index keys (Prepare); nil for
	group *wordGroup          // the words of the group it was prepared with (PrepareMany),
	pos   int32               // at this place
}

// wordGroup is the words of articles prepared together (PrepareMany):
// for each index key, the places in the group of the articles holding
// it, ascending. A Loader gathers a group's words key by key, not
// article by article. Its table is open addressing over maphash, the
// keys in one arena: a word is looked up for every time it occurs, and
// this costs less than a Go map of strings.
type wordGroup struct {
	n     int
	seed  maphash.Seed
	slots []int32  // 1 + a key's number, or 0 (free); a power of two long
	hash  []uint64 // of each key
	arena []byte   // the keys, one after another
	ends  []int32  // key i is arena[ends[i-1]:ends[i]]
	lists [][]int32
}

func newWordGroup() *wordGroup {
	return &wordGroup{seed: maphash.MakeSeed(), slots: make([]int32, 1<<14)}
}

func (g *wordGroup) key(i int) []byte {
	start := int32(0)
	if i > 0 {
		start = g.ends[i-1]
	}
	return g.arena[start:g.ends[i]]
}

// add notes that the article at pos holds key.
func (g *wordGroup) add(key []byte, pos int32) {
	h := maphash.Bytes(g.seed, key)
	mask := uint64(len(g.slots) - 1)
	i := h & mask
	for {
		s := g.slots[i]
		if s == 0 {
			break
		}
		if k := s - 1; g.hash[k] == h && bytes.Equal(g.key(int(k)), key) {
			if l := g.lists[k]; l[len(l)-1] != pos {
				g.lists[k] = append(l, pos)
			}
			return
		}
		i = (i + 1) & mask
	}
	g.arena = append(g.arena, key...)
	g.ends = append(g.ends, int32(len(g.arena)))
	g.hash = append(g.hash, h)
	g.lists = append(g.lists, []int32{pos})
	g.slots[i] = int32(len(g.lists))
	if 2*len(g.lists) > len(g.slots) {
		g.grow()
	}
}

func (g *wordGroup) grow() {
	g.slots = make([]int32, 2*len(g.slots))
	mask := uint64(len(g.slots) - 1)
	for k, h := range g.hash {
		i := h & mask
		for g.slots[i] != 0 {
			i = (i + 1) & mask
		}
		g.slots[i] = int32(k + 1)
	}
}

// Prepare does, ahead of PutMany and on any goroutine, the work that
// needs no transaction: encoding and compressing the article and its raw
// page, and splitting its words for the index. Call it when the article
// is final. A caller can prepare the next batch while the store writes
// this one.
func (s *Store) Prepare(a *Article, raw []byte) error {
	cleanArticle(a) // before its words are split
	p, err := s.prepare1(a, raw)
	if err != nil {
		return err
	}
	p.words = docWords(a)
	a.prep = p
	return nil
}

// PrepareMany is Prepare for each of arts (raws: nil, or each article's
// raw page), with their words split into one table for the group. It
// returns how many it prepared: all, or the articles before the one
// whose error it returns.
func (s *Store) PrepareMany(arts []*Article, raws [][]byte) (int, error) {
	g := newWordGroup()
	var k keySplitter
	var pos int32
	add := func(key []byte) { g.add(key, pos) }
	for i, a := range arts {
		cleanArticle(a) // before its words are split
		var raw []byte
		if raws != nil {
			raw = raws[i]
		}
		p, err := s.prepare1(a, raw)
		if err != nil {
			return i, err
		}
		pos = int32(i)
		k.each(a, add)
		p.group, p.pos = g, pos
		a.prep = p
		g.n = i + 1
	}
	return len(arts), nil
}

// prepare1 encodes a (cleaned) and compresses raw.
func (s *Store) prepare1(a *Article, raw []byte) (*prepared, error) {
	a.Aliases = aliasesWithout(a.Aliases, a.URL)
	p := &prepared{}
	if raw != nil {
		p.zraw = s.z.compress(raw)
		a.RawSize = len(raw)
	}
	id := a.ID
	a.ID = 0
	enc, err := s.z.encodeClean(a)
	a.ID = id
	if err != nil {
		return nil, err
	}
	p.enc = enc
	return p, nil
}
