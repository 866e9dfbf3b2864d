package store

import (
	"cmp"
	"encoding/binary"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// Filter selects articles.
type Filter struct {
	Query   *query.Node // nil: every article
	Outlets []string
	Since   time.Time // inclusive
	Until   time.Time // exclusive
	Seen    bool      // Since and Until and the order apply to first-seen time, not published
	Edited  bool      // only articles with revisions
	Limit   int       // 0: no limit
	// Listing fills only ListingFields, from the docs entry and the
	// listing record, without decompressing the article (old articles
	// with no record are decoded).
	Listing bool
	// After continues a listing: only articles that come after this one
	// in the order (newest first; ties by id, highest first).
	After *Cursor
}

// Cursor is a place in a listing: an article's ordering time and id.
type Cursor struct {
	Time time.Time `json:"time"`
	ID   uint64    `json:"id"`
}

// CursorOf is the cursor just past a, for the order f uses.
func (f Filter) CursorOf(a *Article) *Cursor {
	if f.Seen {
		return &Cursor{a.FirstSeen, a.ID}
	}
	return &Cursor{a.SortTime(), a.ID}
}

type hit struct {
	id uint64
	t  uint64  // timeBits of the ordering time
	d  docInfo // its docs entry, as the search read it
}

// Query returns the articles that pass f, newest first.
func (s *Store) Query(f Filter) ([]*Article, error) {
	var out []*Article
	err := s.view(func(tx *bolt.Tx) error {
		hits, err := s.matchIDs(tx, f, f.Limit)
		if err != nil {
			return err
		}
		// Each hit is a lookup at random in the file: read with pread
		// when the store can (pread.go), on every core for a long
		// listing, and in id order, so that hits on one page of a bucket
		// read it once. The docs entries came with the hits.
		order := idOrder(hits)
		out = make([]*Article, len(hits))
		if f.Listing {
			ids := make([]uint64, len(order))
			for j, i := range order {
				ids[j] = hits[i].id
			}
			readAll(tx.Bucket(bListing), s.pread, s.pageSize, ids, func(j int, v []byte) {
				if h := &hits[order[j]]; h.d.known {
					out[order[j]] = listed(v, h.id, h.d)
				}
			})
		}
		arts, lb, docs := s.values(tx, bArticles), s.values(tx, bListing), s.values(tx, bDocs)
		for _, i := range order {
			if out[i] != nil {
				continue
			}
			id := hits[i].id
			if f.Listing {
				if out[i] = listedArticle(lb, docs, id); out[i] != nil {
					continue
				}
			}
			if out[i], err = s.z.decodeArticle(u64(id), arts.Get(u64(id))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// idOrder returns the indexes of hits in the order of their ids.
func idOrder(hits []hit) []int {
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(hits[a].id, hits[b].id) })
	return order
}

// Bucket names for Count.
const (
	ByDay    = "day"
	ByWeek   = "week"
	ByMonth  = "month"
	ByOutlet = "outlet"
)

// CountRow is one bucket of a count.
type CountRow struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

func timeBucket(t time.Time, by string) string {
	switch by {
	case ByWeek:
		y, w := t.ISOWeek()
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + "-W" + twoDigits(w)
	case ByMonth:
		return t.Format("2006-01")
	}
	return t.Format("2006-01-02")
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// matchIDs finds the articles that pass f, ordered newest first, at most
// limit (0: all).
func (s *Store) matchIDs(tx *bolt.Tx, f Filter, limit int) ([]hit, error) {
	docs := tx.Bucket(bDocs)
	outlets, lo, hi := f.span()
	pass := func(d docInfo) (uint64, bool) {
		t := d.published
		if f.Seen {
			t = d.seen
		}
		if t < lo || t >= hi {
			return 0, false
		}
		if len(outlets) > 0 && !outlets[d.outlet] {
			return 0, false
		}
		if f.Edited && d.flags&docEdited == 0 {
			return 0, false
		}
		return t, true
	}
	if len(f.Outlets) > 0 && schemaOf(tx) >= 3 {
		// --outlet as the outlets' postings: a page asks them per id and
		// reads a docs entry only for the candidates they hold. pass
		// still compares the names exactly.
		or := &query.Node{Op: query.OpOr}
		for _, o := range f.Outlets {
			or.Kids = append(or.Kids, &query.Node{Op: query.OpTerm, Field: query.FieldOutlet, Words: []string{strings.ToLower(o)}})
		}
		var q *query.Node = or
		if len(or.Kids) == 1 {
			q = or.Kids[0]
		}
		if f.Query != nil {
			q = &query.Node{Op: query.OpAnd, Kids: []*query.Node{f.Query, q}}
		}
		f.Query = q
	}
	if f.Query == nil {
		out, _ := timeWalk(tx, s.values(tx, bDocs), f, lo, hi, limit, -1, nil, func(_ uint64, d *docInfo) (uint64, bool) { return pass(*d) })
		return out, nil
	}
	ev := s.newEvaluator(tx)
	if limit > 0 {
		return firstPage(tx, ev, f, lo, hi, limit, pass), nil
	}
	ids := ev.eval(f.Query)
	ds := make([]docInfo, len(ids))
	readAll(docs, ev.file, ev.pageSize, ids, func(i int, v []byte) { ds[i] = parseDoc(v) })
	var out []hit
	for i, id := range ids {
		if t, ok := pass(ds[i]); ok {
			out = append(out, hit{id, t, ds[i]})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].t != out[j].t {
			return out[i].t > out[j].t
		}
		return out[i].id > out[j].id
	})
	if f.After != nil {
		at, aid := timeBits(f.After.Time), f.After.ID
		i := sort.Search(len(out), func(i int) bool { return out[i].t < at || out[i].t == at && out[i].id < aid })
		out = out[i:]
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// evaluator turns a query tree into sorted article ids, from the index
// for indexed articles and word by word for dirty ones.
type evaluator struct {
	tx              *bolt.Tx
	z               *codec
	idx, docs, arts *bolt.Bucket
	// file and pageSize: the store's pread file (pread.go), nil for a
	// writer.
	file     *os.File
	pageSize int
	// docsR and artsR look up one entry at a time, with pread when the
	// store can (pread.go).
	docsR, artsR valueReader
	dirty        []uint64 // sorted
	dirtyDocs    map[uint64]*docText
	universe     []uint64
	outletIDs    map[string][]uint64
	lists        map[string][]uint64 // decoded postings, by term (postings)
	page         pageTuning
	// outletsIndexed: the index holds outlet postings (schema 3 and
	// later; an older archive opened read-only has none).
	outletsIndexed bool
	docReads       int // docs entries a page read (its cost, for tests)
	textChecks     int // candidates whose text the set evaluator checked for a phrase (likewise)
}

// newEvaluator reads the dirty articles of tx.
func (s *Store) newEvaluator(tx *bolt.Tx) *evaluator {
	e := &evaluator{tx: tx, z: s.z, idx: tx.Bucket(bIndex), docs: tx.Bucket(bDocs), arts: tx.Bucket(bArticles), page: s.page,
		outletsIndexed: schemaOf(tx) >= 3, file: s.pread, pageSize: s.pageSize,
		docsR: s.values(tx, bDocs), artsR: s.values(tx, bArticles)}
	e.loadDirty()
	return e
}

// docText is an article's words, for dirty articles and phrase checks.
type docText struct {
	any, title, author []string
	outlet             string
}

func textOf(a *Article) *docText {
	// A phrase does not run from the title into the text.
	d := &docText{any: append(append(query.Words(a.Title), "\x00"), query.Words(a.Text)...), title: query.Words(a.Title), outlet: a.Outlet}
	for _, au := range a.Authors {
		d.author = append(d.author, query.Words(au)...)
		d.author = append(d.author, "\x00") // names do not run into each other
	}
	return d
}

func (e *evaluator) loadDirty() {
	c := e.tx.Bucket(bDirty).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		id := binary.BigEndian.Uint64(k)
		a, err := e.z.decodeArticle(k, e.arts.Get(k))
		if err != nil {
			continue
		}
		if e.dirtyDocs == nil {
			e.dirtyDocs = map[uint64]*docText{}
		}
		e.dirty = append(e.dirty, id)
		e.dirtyDocs[id] = textOf(a)
	}
}

func (e *evaluator) all() []uint64 {
	if e.universe == nil {
		e.universe = []uint64{}
		c := e.docs.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			e.universe = append(e.universe, binary.BigEndian.Uint64(k))
		}
	}
	return e.universe
}

func fieldByte(f string) byte {
	switch f {
	case query.FieldTitle:
		return fieldTitle
	case query.FieldAuthor:
		return fieldAuthor
	case query.FieldOutlet:
		return fieldOutlet
	}
	return fieldAny
}

func (d *docText) words(field string) []string {
	switch field {
	case query.FieldTitle:
		return d.title
	case query.FieldAuthor:
		return d.author
	}
	return d.any
}

func (e *evaluator) term(n *query.Node) []uint64 {
	if n.Field == query.FieldOutlet && !e.outletsIndexed {
		return e.outlet(n.Words[0])
	}
	ids := e.postings(string(fieldByte(n.Field))+n.Words[0], n.Prefix)
	return e.withDirty(ids, func(d *docText) bool {
		if n.Field == query.FieldOutlet {
			return strings.ToLower(d.outlet) == n.Words[0]
		}
		for _, w := range d.words(n.Field) {
			if w == n.Words[0] || n.Prefix && strings.HasPrefix(w, n.Words[0]) {
				return true
			}
		}
		return false
	})
}

// postings returns the index postings of term (a field byte and a
// word; with prefix, every word under it), decoded once per evaluator:
// a page's bound and the set evaluator after it ask for the same lists.
// The slices are shared, and not to be changed.
func (e *evaluator) postings(term string, prefix bool) []uint64 {
	key := listKey(term, prefix)
	if ids, ok := e.lists[key]; ok {
		return ids
	}
	if e.lists == nil {
		e.lists = map[string][]uint64{}
	}
	ids := postings(e.idx, term, prefix)
	e.lists[key] = ids
	return ids
}

// decoded reports whether postings decoded term's list already.
func (e *evaluator) decoded(term string, prefix bool) bool {
	_, ok := e.lists[listKey(term, prefix)]
	return ok
}

// listKey is a term's key in evaluator.lists.
func listKey(term string, prefix bool) string {
	if prefix {
		return "*" + term // a field byte never is '*'
	}
	return term
}

// withDirty drops dirty ids from index results (their postings may be
// stale) and adds the dirty articles that match.
func (e *evaluator) withDirty(ids []uint64, match func(*docText) bool) []uint64 {
	if len(e.dirty) == 0 {
		return ids
	}
	ids = minus(ids, e.dirty)
	var add []uint64
	for _, id := range e.dirty {
		if match(e.dirtyDocs[id]) {
			add = append(add, id)
		}
	}
	return unionIDs(ids, add)
}

func (e *evaluator) outlet(name string) []uint64 {
	if e.outletIDs == nil {
		e.outletIDs = map[string][]uint64{}
		c := e.docs.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			o := strings.ToLower(parseDoc(v).outlet)
			e.outletIDs[o] = append(e.outletIDs[o], binary.BigEndian.Uint64(k))
		}
	}
	return e.outletIDs[name]
}
