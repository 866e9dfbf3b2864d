package store

import (
	"sort"
	"strings"

	"github.com/feedvault/feedvault/query"
)

// Evaluating a query on one article at a time, for a page.

func has(ids []uint64, id uint64) bool {
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	return i < len(ids) && ids[i] == id
}

// maybe is a cheap test before match, from the postings alone: false
// only when article id cannot match n (it reads no docs entry and no
// text).
func (m *pageMatcher) maybe(n *query.Node, id uint64) bool {
	if m.dirty[id] {
		return true // its postings may be stale
	}
	switch n.Op {
	case query.OpTerm:
		return n.Field == query.FieldOutlet && !m.ev.outletsIndexed || m.list(n).has(id)
	case query.OpPhrase:
		for _, w := range m.phraseWords(n) {
			if !m.list(w).has(id) {
				return false
			}
		}
		return true
	case query.OpNot:
		if m.settled[n] {
			return true
		}
		if k := n.Kids[0]; k.Op == query.OpTerm && (k.Field != query.FieldOutlet || m.ev.outletsIndexed) {
			return !m.list(k).has(id)
		}
		return true
	case query.OpAnd:
		for _, k := range m.cheapFirst(n) {
			if !m.maybe(k, id) {
				return false
			}
		}
		return true
	case query.OpOr:
		for _, k := range m.cheapFirst(n) {
			if m.maybe(k, id) {
				return true
			}
		}
		return false
	}
	return true
}

// match evaluates n on article id, whose docs entry is d. text is the
// article's words, decoded on first need and kept for the other nodes.
func (m *pageMatcher) match(n *query.Node, id uint64, d *docInfo, text **articleText) bool {
	if m.dirty[id] {
		return matchText(n, m.ev.dirtyDocs[id])
	}
	switch n.Op {
	case query.OpTerm:
		if n.Field == query.FieldOutlet {
			return strings.ToLower(d.outlet) == n.Words[0]
		}
		return m.list(n).has(id)
	case query.OpPhrase:
		for _, w := range m.phraseWords(n) {
			if !m.list(w).has(id) {
				return false
			}
		}
		if *text != nil {
			return (*text).hasPhrase(n.Field, n.Words, nil)
		}
		if simpleWords(n.Words) && n.Field != query.FieldAuthor {
			// Searched in a buffer used again from article to article,
			// not decoded into strings: a page's checks take no fresh
			// memory.
			ok, buf, err := m.ev.z.hasPhraseIn(m.ev.artsR.Get(u64(id)), n.Field, n.Words, m.buf)
			m.buf = buf
			return ok && err == nil // as the set evaluator: an undecodable article matches no phrase
		}
		t, err := m.ev.z.decodeText(m.ev.artsR.Get(u64(id)), n.Field)
		if err != nil {
			return false
		}
		*text = t
		return t.hasPhrase(n.Field, n.Words, nil)
	case query.OpNot:
		if m.settled[n] {
			return true // the bound took out the indexed articles it holds
		}
		return !m.match(n.Kids[0], id, d, text)
	case query.OpAnd:
		for _, k := range m.cheapFirst(n) {
			if !m.match(k, id, d, text) {
				return false
			}
		}
		return true
	case query.OpOr:
		for _, k := range m.cheapFirst(n) {
			if m.match(k, id, d, text) {
				return true
			}
		}
	}
	return false
}

// cheapFirst returns n's kids with those that need no decoded article
// (postings, outlet) first, so that a phrase is checked only on the
// articles the rest of the query leaves open.
func (m *pageMatcher) cheapFirst(n *query.Node) []*query.Node {
	if ks, ok := m.order[n]; ok {
		return ks
	}
	ks := make([]*query.Node, 0, len(n.Kids))
	for _, k := range n.Kids {
		if !hasPhrase(k) {
			ks = append(ks, k)
		}
	}
	for _, k := range n.Kids {
		if hasPhrase(k) {
			ks = append(ks, k)
		}
	}
	m.order[n] = ks
	return ks
}

func hasPhrase(n *query.Node) bool {
	if n.Op == query.OpPhrase {
		return true
	}
	for _, k := range n.Kids {
		if hasPhrase(k) {
			return true
		}
	}
	return false
}

// matchText evaluates n on a dirty article's words.
func matchText(n *query.Node, d *docText) bool {
	if d == nil {
		return false
	}
	switch n.Op {
	case query.OpTerm:
		if n.Field == query.FieldOutlet {
			return strings.ToLower(d.outlet) == n.Words[0]
		}
		for _, w := range d.words(n.Field) {
			if w == n.Words[0] || n.Prefix && strings.HasPrefix(w, n.Words[0]) {
				return true
			}
		}
		return false
	case query.OpPhrase:
		return containsRun(d.words(n.Field), n.Words)
	case query.OpNot:
		return !matchText(n.Kids[0], d)
	case query.OpAnd:
		for _, k := range n.Kids {
			if !matchText(k, d) {
				return false
			}
		}
		return true
	case query.OpOr:
		for _, k := range n.Kids {
			if matchText(k, d) {
				return true
			}
		}
	}
	return false
}
