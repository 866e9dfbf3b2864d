package store

import "github.com/feedvault/feedvault/query"

// A page's bound: the ids that may match its query, from the postings
// (see firstpage.go).

// bound returns sorted ids that include every match of n, or all=true
// when n may match articles outside any postings (NOT; outlet: in an
// archive without outlet postings; a list read lazily).
func (m *pageMatcher) bound(n *query.Node) (ids []uint64, all bool) {
	switch n.Op {
	case query.OpTerm:
		if n.Field == query.FieldOutlet && !m.ev.outletsIndexed {
			return nil, true
		}
		ids, ok := m.postingsOf(n)
		if !ok {
			return nil, true
		}
		return unionIDs(ids, m.ev.dirty), false
	case query.OpPhrase:
		var out []uint64
		some := false
		for _, w := range m.phraseWords(n) {
			ids, ok := m.postingsOf(w)
			switch {
			case !ok:
			case !some:
				out, some = ids, true
			default:
				out = intersect(out, ids)
			}
		}
		if !some {
			return nil, true
		}
		return unionIDs(out, m.ev.dirty), false
	case query.OpAnd:
		var out []uint64
		some := false
		for _, k := range n.Kids {
			ids, all := m.bound(k)
			if all {
				continue
			}
			if !some {
				out, some = ids, true
			} else {
				out = intersect(out, ids)
			}
		}
		if some {
			// An excluded subtree the postings answer exactly takes its
			// indexed matches out of the bound (dirty ones stay in). One
			// with a long list read lazily is asked per id instead
			// (without), for a bound of up to lazyWalk ids.
			for _, k := range n.Kids {
				if k.Op != query.OpNot {
					continue
				}
				x := k.Kids[0]
				m.askLazily(x, len(out))
				if ex, ok := m.exact(x); ok {
					out = minus(out, minus(ex, m.ev.dirty))
				} else if m.postingsOnly(x) && len(out) <= m.ev.page.lazyWalk {
					out = m.without(out, x)
					if n == m.root {
						m.settled[k] = true
					}
				}
			}
		}
		return out, !some
	case query.OpOr:
		var out []uint64
		for _, k := range n.Kids {
			ids, all := m.bound(k)
			if all {
				return nil, true
			}
			out = unionIDs(out, ids)
		}
		return out, false
	}
	return nil, true
}

// askLazily has a page that decodes its lists (a listing) ask the long
// list of excluded term x per id instead, when the bound it narrows has
// at most lazyWalk ids and no one decoded the list yet: those ids are
// asked in order, each chunk read once at most, and no list of 400,000
// ids is made (3 MB of fresh memory, a page fault each 4 KB). The
// candidates' own checks then ask it per id too.
func (m *pageMatcher) askLazily(x *query.Node, ids int) {
	if m.lazy || x.Op != query.OpTerm || ids > m.ev.page.lazyWalk || x.Field == query.FieldOutlet && !m.ev.outletsIndexed {
		return
	}
	if _, ok := m.lists[x]; ok {
		return
	}
	term := string(fieldByte(x.Field)) + x.Words[0]
	if m.ev.decoded(term, x.Prefix) {
		return
	}
	if big, words := sizeTerm(m.ev.idx, term, x.Prefix, m.ev.page.lazyBytes); big && len(words) <= maxLazyWords {
		m.lists[x] = lazyList(m.ev.idx, words)
	}
}

// without returns the ids of bound that postings-only subtree x does
// not match, asking x's lists per id: a long list read lazily is not
// decoded (a list of 400,000 ids costs 3 MB of fresh memory, page by
// page), each question reads one chunk. Dirty ids stay.
func (m *pageMatcher) without(bound []uint64, x *query.Node) []uint64 {
	out := make([]uint64, 0, len(bound))
	for _, id := range bound {
		if m.dirty[id] || !m.holds(x, id) {
			out = append(out, id)
		}
	}
	return out
}

// postingsOnly reports whether the postings alone answer n: terms (not
// outlet: in an archive without outlet postings), joined by AND (with a
// positive part), OR and NOT.
func (m *pageMatcher) postingsOnly(n *query.Node) bool {
	switch n.Op {
	case query.OpTerm:
		return n.Field != query.FieldOutlet || m.ev.outletsIndexed
	case query.OpOr:
		for _, k := range n.Kids {
			if !m.postingsOnly(k) {
				return false
			}
		}
		return true
	case query.OpAnd:
		pos := false
		for _, k := range n.Kids {
			if k.Op == query.OpNot {
				k = k.Kids[0]
			} else {
				pos = true
			}
			if !m.postingsOnly(k) {
				return false
			}
		}
		return pos
	}
	return false
}

// holds evaluates postings-only n on indexed article id.
func (m *pageMatcher) holds(n *query.Node, id uint64) bool {
	switch n.Op {
	case query.OpTerm:
		return m.list(n).has(id)
	case query.OpOr:
		for _, k := range n.Kids {
			if m.holds(k, id) {
				return true
			}
		}
		return false
	case query.OpAnd:
		for _, k := range n.Kids {
			if k.Op == query.OpNot {
				if m.holds(k.Kids[0], id) {
					return false
				}
			} else if !m.holds(k, id) {
				return false
			}
		}
		return true
	}
	return false
}

// exact returns the indexed articles that match n, when the postings
// alone answer n, decoded (no phrase, no list read lazily, no outlet:
// without outlet postings, no NOT without a positive part). Dirty articles' postings may be stale: callers leave them out.
func (m *pageMatcher) exact(n *query.Node) ([]uint64, bool) {
	switch n.Op {
	case query.OpTerm:
		if n.Field == query.FieldOutlet && !m.ev.outletsIndexed {
			return nil, false
		}
		return m.postingsOf(n)
	case query.OpOr:
		var out []uint64
		for _, k := range n.Kids {
			ids, ok := m.exact(k)
			if !ok {
				return nil, false
			}
			out = unionIDs(out, ids)
		}
		return out, true
	case query.OpAnd:
		var out []uint64
		some := false
		for _, k := range n.Kids {
			if k.Op == query.OpNot {
				continue
			}
			ids, ok := m.exact(k)
			if !ok {
				return nil, false
			}
			if !some {
				out, some = ids, true
			} else {
				out = intersect(out, ids)
			}
		}
		if !some {
			return nil, false
		}
		for _, k := range n.Kids {
			if k.Op != query.OpNot {
				continue
			}
			ids, ok := m.exact(k.Kids[0])
			if !ok {
				return nil, false
			}
			out = minus(out, ids)
		}
		return out, true
	}
	return nil, false
}
