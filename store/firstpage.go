package store

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// A page (a listing with a limit) is found without evaluating the query
// on every match: the query is evaluated per candidate, newest first,
// until the page is full. Two ways to get candidates in order:
//
//   - walk the time index from the newest key, keeping keys whose id is
//     in the query's candidate bound (or every key, when the bound is
//     every article: NOT, outlet:); cheap when matches are common;
//   - take the bound's ids, read their docs entries, sort them by time;
//     cheap when matches are rare.
//
// The walk runs first with a budget of as many keys as the bound holds;
// if the page is not full by then, the sort takes over. Either way the
// cost is bounded by about twice the bound, not by the archive, and the
// expensive checks (a phrase decodes the article) run only on the
// candidates the page needs.

// pageMatcher evaluates a query on one article at a time.
type pageMatcher struct {
	ev    *evaluator
	dirty map[uint64]bool
	post  map[*query.Node][]uint64 // index postings of a term or phrase word, dirty ids excluded
	words map[*query.Node][]*query.Node
	order map[*query.Node][]*query.Node // kids, cheap ones first
}

func newPageMatcher(ev *evaluator) *pageMatcher {
	m := &pageMatcher{ev: ev, dirty: map[uint64]bool{}, post: map[*query.Node][]uint64{}, words: map[*query.Node][]*query.Node{}, order: map[*query.Node][]*query.Node{}}
	for _, id := range ev.dirty {
		m.dirty[id] = true
	}
	return m
}

// postingsOf returns the index postings of term node n (one word).
func (m *pageMatcher) postingsOf(n *query.Node) []uint64 {
	if p, ok := m.post[n]; ok {
		return p
	}
	p := postings(m.ev.idx, string(fieldByte(n.Field))+n.Words[0], n.Prefix)
	m.post[n] = p
	return p
}

// phraseWords returns a phrase's words as term nodes, made once.
func (m *pageMatcher) phraseWords(n *query.Node) []*query.Node {
	if ws, ok := m.words[n]; ok {
		return ws
	}
	ws := make([]*query.Node, len(n.Words))
	for i, w := range n.Words {
		ws[i] = &query.Node{Op: query.OpTerm, Field: n.Field, Words: []string{w}}
	}
	m.words[n] = ws
	return ws
}

// bound returns sorted ids that include every match of n, or all=true
// when n may match articles outside any postings (NOT, outlet:).
func (m *pageMatcher) bound(n *query.Node) (ids []uint64, all bool) {
	switch n.Op {
	case query.OpTerm:
		if n.Field == query.FieldOutlet {
			return nil, true
		}
		return unionIDs(m.postingsOf(n), m.ev.dirty), false
	case query.OpPhrase:
		var out []uint64
		for i, w := range m.phraseWords(n) {
			if i == 0 {
				out = m.postingsOf(w)
			} else {
				out = intersect(out, m.postingsOf(w))
			}
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
			// indexed matches out of the bound (dirty ones stay in).
			for _, k := range n.Kids {
				if k.Op != query.OpNot {
					continue
				}
				if ex, ok := m.exact(k.Kids[0]); ok {
					out = minus(out, minus(ex, m.ev.dirty))
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

// exact returns the indexed articles that match n, when the postings
// alone answer n (no phrase, no outlet:, no NOT without a positive
// part). Dirty articles' postings may be stale: callers leave them out.
func (m *pageMatcher) exact(n *query.Node) ([]uint64, bool) {
	switch n.Op {
	case query.OpTerm:
		if n.Field == query.FieldOutlet {
			return nil, false
		}
		return m.postingsOf(n), true
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

func has(ids []uint64, id uint64) bool {
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	return i < len(ids) && ids[i] == id
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
		return has(m.postingsOf(n), id)
	case query.OpPhrase:
		for _, w := range m.phraseWords(n) {
			if !has(m.postingsOf(w), id) {
				return false
			}
		}
		if *text == nil {
			t, err := m.ev.z.decodeText(m.ev.arts.Get(u64(id)), n.Field)
			if err != nil {
				return false // as the set evaluator: an undecodable article matches no phrase
			}
			*text = t
		}
		return (*text).hasPhrase(n.Field, n.Words, nil)
	case query.OpNot:
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

// timeWalk walks a time index newest first from f's upper end (or
// cursor) down to lo. keep is a cheap test on the id (nil: every id);
// accept reads the docs entry and tells whether the article is a hit.
// It stops after limit hits (0: none) or budget keys (<0: no budget) and
// reports whether it ran out of budget before finishing.
func timeWalk(tx *bolt.Tx, f Filter, lo, hi uint64, limit, budget int, keep func(uint64) bool, accept func(uint64, *docInfo) (uint64, bool)) (out []hit, overBudget bool) {
	tb := tx.Bucket(bByTime)
	if f.Seen {
		tb = tx.Bucket(bBySeen)
	}
	docs := tx.Bucket(bDocs)
	c := tb.Cursor()
	var k []byte
	start := make([]byte, 8)
	binary.BigEndian.PutUint64(start, hi)
	if f.After != nil {
		if after := timeKey(f.After.Time, f.After.ID); bytes.Compare(after, start) < 0 {
			start = after // continue strictly before the cursor's key
		}
	}
	if f.Until.IsZero() && f.After == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Seek(start)
		if k == nil {
			k, _ = c.Last()
		}
		for k != nil && bytes.Compare(k, start) >= 0 {
			k, _ = c.Prev()
		}
	}
	for steps := 0; k != nil; k, _ = c.Prev() {
		if binary.BigEndian.Uint64(k) < lo {
			break
		}
		if budget >= 0 && steps >= budget {
			return out, true
		}
		steps++
		id := binary.BigEndian.Uint64(k[8:])
		if keep != nil && !keep(id) {
			continue
		}
		d := parseDoc(docs.Get(k[8:16]))
		if t, ok := accept(id, &d); ok {
			out = append(out, hit{id, t})
			if limit > 0 && len(out) >= limit {
				break
			}
		}
	}
	return out, false
}

// firstPage finds up to limit (> 0) hits of f.Query that pass the
// filters, newest first.
func firstPage(tx *bolt.Tx, ev *evaluator, f Filter, lo, hi uint64, limit int, pass func(docInfo) (uint64, bool)) []hit {
	m := newPageMatcher(ev)
	accept := func(id uint64, d *docInfo) (uint64, bool) {
		t, ok := pass(*d)
		if !ok {
			return 0, false
		}
		var text *articleText
		return t, m.match(f.Query, id, d, &text)
	}
	bound, all := m.bound(f.Query)
	if all {
		out, _ := timeWalk(tx, f, lo, hi, limit, -1, nil, accept)
		return out
	}
	keep := func(id uint64) bool { return has(bound, id) }
	if out, over := timeWalk(tx, f, lo, hi, limit, 2*len(bound)+limit, keep, accept); !over {
		return out
	}
	// Rare matches: sort the bound's ids by time, then check them in order.
	docs := tx.Bucket(bDocs)
	cands := make([]hit, 0, len(bound))
	infos := make(map[uint64]docInfo, len(bound))
	var at, aid uint64
	if f.After != nil {
		at, aid = timeBits(f.After.Time), f.After.ID
	}
	for _, id := range bound {
		d := parseDoc(docs.Get(u64(id)))
		t, ok := pass(d)
		if !ok {
			continue
		}
		if f.After != nil && !(t < at || t == at && id < aid) {
			continue
		}
		cands = append(cands, hit{id, t})
		infos[id] = d
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].t != cands[j].t {
			return cands[i].t > cands[j].t
		}
		return cands[i].id > cands[j].id
	})
	var out []hit
	for _, h := range cands {
		d := infos[h.id]
		var text *articleText
		if m.match(f.Query, h.id, &d, &text) {
			out = append(out, h)
			if len(out) >= limit {
				break
			}
		}
	}
	return out
}
