package store

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sort"

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
// The walk runs first with a budget of walkKeys keys per id of the
// bound; if the page is not full by then, the sort takes over. Either
// way the cost is bounded by the bound, not by the archive, and the
// expensive checks (a phrase decodes the article's text) run only on the
// candidates the page needs.
//
// A long list (a common word) is not decoded for the bound: the walk asks
// it per candidate, a chunk at a time (lazylist.go). When a walk of such
// questions does not fill the page within its budget (the matches are
// rare after all: a common word minus another), the lists are decoded
// and the page found as above.

// pageMatcher evaluates a query on one article at a time.
type pageMatcher struct {
	ev    *evaluator
	dirty map[uint64]bool
	lists map[*query.Node]*termList // index postings of a term or phrase word, dirty ids excluded
	words map[*query.Node][]*query.Node
	order map[*query.Node][]*query.Node // kids, cheap ones first
	// lazy lets long lists be asked a chunk at a time instead of decoded
	// (see lazylist.go); anyLazy records that one was.
	lazy, anyLazy bool
	buf           []byte // an article's text, decompressed for a phrase check
	// root is the query whose bound the page's candidates come from
	// (rootBound); settled holds its excluded kids that the bound took
	// out by asking their lists per id (without): every indexed
	// candidate passes them, and match does not ask again.
	root    *query.Node
	settled map[*query.Node]bool
}

// rootBound is bound(q) for the query a page's candidates all come from.
func (m *pageMatcher) rootBound(q *query.Node) ([]uint64, bool) {
	m.root, m.settled = q, map[*query.Node]bool{}
	return m.bound(q)
}

func newPageMatcher(ev *evaluator, lazy bool) *pageMatcher {
	m := &pageMatcher{ev: ev, dirty: map[uint64]bool{}, lists: map[*query.Node]*termList{}, words: map[*query.Node][]*query.Node{},
		order: map[*query.Node][]*query.Node{}, lazy: lazy}
	for _, id := range ev.dirty {
		m.dirty[id] = true
	}
	return m
}

// list returns the index postings of term node n (one word, or a prefix).
func (m *pageMatcher) list(n *query.Node) *termList {
	if l, ok := m.lists[n]; ok {
		return l
	}
	term := string(fieldByte(n.Field)) + n.Words[0]
	l := &termList{}
	if m.lazy {
		if big, words := sizeTerm(m.ev.idx, term, n.Prefix, m.ev.page.lazyBytes); big && len(words) <= maxLazyWords {
			l = lazyList(m.ev.idx, words)
			m.anyLazy = true
		}
	}
	if !l.lazy {
		l.full = m.ev.postings(term, n.Prefix)
	}
	m.lists[n] = l
	return l
}

// postingsOf returns the decoded postings of term node n, or ok false
// when the list is read lazily (it is then no help to a bound).
func (m *pageMatcher) postingsOf(n *query.Node) (ids []uint64, ok bool) {
	l := m.list(n)
	return l.full, !l.lazy
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

// timeWalk walks a time index newest first from f's upper end (or
// cursor) down to lo. keep is a cheap test on the id (nil: every id);
// accept reads the docs entry and tells whether the article is a hit.
// It stops after limit hits (0: none) or budget keys (<0: no budget) and
// reports whether it ran out of budget before finishing.
func timeWalk(tx *bolt.Tx, docs valueReader, f Filter, lo, hi uint64, limit, budget int, keep func(uint64) bool, accept func(uint64, *docInfo) (uint64, bool)) (out []hit, overBudget bool) {
	tb := tx.Bucket(bByTime)
	if f.Seen {
		tb = tx.Bucket(bBySeen)
	}
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
			out = append(out, hit{id, t, d})
			if limit > 0 && len(out) >= limit {
				break
			}
		}
	}
	return out, false
}

// accept is timeWalk's test of a candidate: the filters, then the query.
func (m *pageMatcher) accept(q *query.Node, pass func(docInfo) (uint64, bool)) func(uint64, *docInfo) (uint64, bool) {
	return func(id uint64, d *docInfo) (uint64, bool) {
		m.ev.docReads++
		t, ok := pass(*d)
		if !ok {
			return 0, false
		}
		var text *articleText
		return t, m.match(q, id, d, &text)
	}
}

// walkKeys is how many keys of the time index a page walks per
// candidate of its bound before it sorts the bound instead: a step
// costs about 0.1 µs, a docs entry read at random 5–30 µs.
const walkKeys = 32

// firstPage finds up to limit (> 0) hits of f.Query that pass the
// filters, newest first.
func firstPage(tx *bolt.Tx, ev *evaluator, f Filter, lo, hi uint64, limit int, pass func(docInfo) (uint64, bool)) []hit {
	m := newPageMatcher(ev, limit <= ev.page.lazyLimit)
	bound, all := m.rootBound(f.Query)
	if all && m.anyLazy {
		// Long lists asked per candidate: cheap while matches are
		// common. When they are not (a walk of lazyWalk keys does not
		// fill the page), the lists are decoded after all.
		maybe := func(id uint64) bool { return m.maybe(f.Query, id) }
		out, over := timeWalk(tx, ev.docsR, f, lo, hi, limit, ev.page.lazyWalk+2*limit, maybe, m.accept(f.Query, pass))
		if !over {
			return out
		}
		m = newPageMatcher(ev, false)
		bound, all = m.rootBound(f.Query)
	}
	accept := m.accept(f.Query, pass)
	if all {
		out, _ := timeWalk(tx, ev.docsR, f, lo, hi, limit, -1, nil, accept)
		return out
	}
	// Lists read lazily are not in the bound: they are asked per id
	// (maybe) before a docs entry is read. A short walk first (common
	// matches fill the page at once); then the bound shrinks to the ids
	// the lazy lists hold. ("outlet:x korea" where x never writes
	// "korea": the bound is x's articles, and none has a docs entry
	// read.)
	if m.anyLazy {
		keep := func(id uint64) bool { return has(bound, id) && m.maybe(f.Query, id) }
		if out, over := timeWalk(tx, ev.docsR, f, lo, hi, limit, ev.page.lazyWalk+2*limit, keep, accept); !over {
			return out
		}
		if len(bound) <= ev.page.lazyAsks {
			bound = slices.DeleteFunc(slices.Clone(bound), func(id uint64) bool { return !m.maybe(f.Query, id) })
		} else {
			// A seek per id of a long bound costs more than decoding
			// the long lists once: the bound they leave, as above.
			m = newPageMatcher(ev, false)
			bound, all = m.rootBound(f.Query)
			accept = m.accept(f.Query, pass)
			if all {
				// Not expected (decoded lists bound the candidates at
				// least as tightly as lazy ones), but then every article
				// is one: walk them all.
				out, _ := timeWalk(tx, ev.docsR, f, lo, hi, limit, -1, nil, accept)
				return out
			}
		}
	}
	// A walk cannot fill a page longer than the bound (a listing page of
	// a rare phrase): it would run to the end of the time index. Its
	// budget is walkKeys keys per candidate: a key of the time index
	// costs a cursor step and a search of the bound, while the sort
	// below reads each candidate's docs entry, a page of its own.
	if limit <= len(bound) {
		keep := func(id uint64) bool { return has(bound, id) }
		if out, over := timeWalk(tx, ev.docsR, f, lo, hi, limit, walkKeys*len(bound)+limit, keep, accept); !over {
			return out
		}
	}
	// Rare matches: sort the bound's ids by time, then check them in
	// order. Their docs entries are read on every core (readAll).
	ds := make([]docInfo, len(bound))
	readAll(ev.docs, ev.file, ev.pageSize, bound, func(i int, v []byte) { ds[i] = parseDoc(v) })
	ev.docReads += len(bound)
	cands := make([]hit, 0, len(bound))
	var at, aid uint64
	if f.After != nil {
		at, aid = timeBits(f.After.Time), f.After.ID
	}
	for i, id := range bound {
		t, ok := pass(ds[i])
		if !ok {
			continue
		}
		if f.After != nil && !(t < at || t == at && id < aid) {
			continue
		}
		cands = append(cands, hit{id, t, ds[i]})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].t != cands[j].t {
			return cands[i].t > cands[j].t
		}
		return cands[i].id > cands[j].id
	})
	// A long page of a phrase (a listing) would check most candidates'
	// texts one by one: the set evaluator checks them all on every core.
	var matched []uint64
	whole := hasPhrase(f.Query) && len(cands) >= ev.page.wholePhrase && limit >= len(cands)/4
	if whole {
		matched = ev.eval(f.Query)
	}
	var out []hit
	for _, h := range cands {
		d := h.d
		var text *articleText
		if whole && has(matched, h.id) || !whole && m.match(f.Query, h.id, &d, &text) {
			out = append(out, h)
			if len(out) >= limit {
				break
			}
		}
	}
	return out
}
