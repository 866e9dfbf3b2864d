package store

import "github.com/feedvault/feedvault/query"

// prepared is the work done on an article ahead of PutMany.
type prepared struct {
	enc   []byte              // zstd(JSON), with no id
	zraw  []byte              // zstd(raw page)
	words map[string]struct{} // index keys (Prepare); nil for
	group *wordGroup          // the words of the group it was prepared with (PrepareMany),
	pos   int32               // at this place
}

// wordGroup is the words of articles prepared together (PrepareMany):
// for each index key, the places in the group of the articles holding
// it, ascending. A Loader gathers a group's words key by key, not
// article by article.
type wordGroup struct {
	n     int
	terms map[string]int32 // index key → its entry in lists
	lists [][]int32
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
	g := &wordGroup{terms: make(map[string]int32, 4096)}
	key := make([]byte, 0, 64)
	var scratch []byte
	var pos int32
	add := func(f byte, text string) {
		scratch = query.EachWord(text, scratch, func(w []byte) {
			key = append(append(key[:0], f), w...)
			li, ok := g.terms[string(key)] // the lookup does not allocate
			if !ok {
				li = int32(len(g.lists))
				g.terms[string(key)] = li
				g.lists = append(g.lists, nil)
			}
			if l := g.lists[li]; len(l) == 0 || l[len(l)-1] != pos {
				g.lists[li] = append(l, pos)
			}
		})
	}
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
		add(fieldAny, a.Title)
		add(fieldAny, a.Text)
		add(fieldTitle, a.Title)
		for _, au := range a.Authors {
			add(fieldAuthor, au)
		}
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
