package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Articles are stored as zstd-compressed JSON.
func encodeArticle(a *Article) ([]byte, error) {
	v, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("store: encode article: %w", err)
	}
	return zfast.EncodeAll(v, make([]byte, 0, len(v)/3)), nil
}

// decodeArticle decodes the value of key k. The id comes from the key:
// an article encoded before its id was known (Prepare) holds none.
func decodeArticle(k, v []byte) (*Article, error) {
	if v == nil {
		return nil, ErrNotFound
	}
	js, err := decompress(v) // a new slice: nothing of v escapes the transaction
	if err != nil {
		return nil, fmt.Errorf("store: decode article: %w", err)
	}
	a := new(Article)
	if err := json.Unmarshal(js, a); err != nil {
		return nil, fmt.Errorf("store: decode article: %w", err)
	}
	if len(k) == 8 {
		a.ID = binary.BigEndian.Uint64(k)
	}
	return a, nil
}

// doc flags
const (
	docEdited = 1 << iota
	docTakenDown
	docNotFetched
)

// docInfo is what queries filter and sort on, without decoding articles:
// published (8 BE, sign bit flipped), first seen (8), flags (1), outlet.
func docValue(a *Article) []byte {
	b := make([]byte, 17, 17+len(a.Outlet))
	binary.BigEndian.PutUint64(b, timeBits(a.SortTime()))
	binary.BigEndian.PutUint64(b[8:], timeBits(a.FirstSeen))
	var f byte
	if a.Edited {
		f |= docEdited
	}
	if !a.TakenDown.IsZero() {
		f |= docTakenDown
	}
	if a.FetchError != "" {
		f |= docNotFetched
	}
	if a.Published.IsZero() {
		f |= docUndated
	}
	b[16] = f
	return append(b, a.Outlet...)
}

type docInfo struct {
	published, seen uint64 // timeBits
	flags           byte
	outlet          string
}

func parseDoc(v []byte) docInfo {
	if len(v) < 17 {
		return docInfo{}
	}
	return docInfo{binary.BigEndian.Uint64(v), binary.BigEndian.Uint64(v[8:]), v[16], string(v[17:])}
}

func timeBits(t time.Time) uint64 { return uint64(t.UnixNano()) ^ (1 << 63) }

func bitsTime(b uint64) time.Time { return time.Unix(0, int64(b^(1<<63))).UTC() }

// NotFetched reports whether an article is archived without its page
// (from the feed alone), from the docs entry: no article is decoded.
func (s *Store) NotFetched(id uint64) (bool, error) {
	var nf bool
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bDocs).Get(u64(id))
		if v == nil {
			return ErrNotFound
		}
		nf = parseDoc(v).flags&docNotFetched != 0
		return nil
	})
	return nf, err
}

// Refetch schedule: after first seen, the page is fetched again at these
// offsets; a change of text, title or byline becomes a revision.
var RefetchAfter = []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour}

func refetchKey(t time.Time, id uint64) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, timeBits(t))
	binary.BigEndian.PutUint64(b[8:], id)
	return b
}

// Put archives a new article with its raw page, or, when the URL or a GUID
// is already archived, updates that article. It returns the article's id
// and whether it was new. A stored article that has text is never
// replaced by one without (a failed re-fetch must not erase a good copy).
// A stored article's first-seen time and revisions are kept.
func (s *Store) Put(a *Article, raw []byte) (id uint64, created bool, err error) {
	var zraw []byte
	if raw != nil {
		zraw = compress(raw)
		a.RawSize = len(raw)
	}
	a.Aliases = aliasesWithout(a.Aliases, a.URL)
	err = s.batch(func(tx *bolt.Tx) error {
		var err error
		id, created, err = put(tx, a, zraw)
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: put %s: %w", a.URL, err)
	}
	return id, created, nil
}

func put(tx *bolt.Tx, a *Article, zraw []byte) (uint64, bool, error) {
	skip, created, err := prepare(tx, a)
	if err != nil || skip {
		return a.ID, false, err
	}
	v, err := encodeArticle(a)
	if err != nil {
		return 0, false, err
	}
	if err := link(tx, a, v, zraw, true); err != nil {
		return 0, false, err
	}
	return a.ID, created, nil
}

// prepare finds the article a replaces, if any, merges what must be kept
// from it, unlinks it, and gives a its id. skip reports that a must not
// be written (a failed fetch never replaces a good copy).
func prepare(tx *bolt.Tx, a *Article) (skip, created bool, err error) {
	arts := tx.Bucket(bArticles)
	id, found := find(tx, a.Outlet, append([]string{a.URL}, a.Aliases...), a.GUIDs)
	var old *Article
	if found {
		if old, err = decodeArticle(u64(id), arts.Get(u64(id))); err != nil {
			return false, false, err
		}
		if old.FetchError == "" && a.FetchError != "" {
			a.ID = id
			return true, false, nil // keep the good copy
		}
		a.FirstSeen = old.FirstSeen
		a.GUIDs = union(old.GUIDs, a.GUIDs)
		a.Aliases = union(old.Aliases, a.Aliases)
		if a.URL != old.URL {
			a.Aliases = union(a.Aliases, []string{old.URL})
		}
		a.Aliases = aliasesWithout(a.Aliases, a.URL)
		if a.Feed == "" {
			a.Feed = old.Feed
		}
		a.Revisions, a.Edited, a.TakenDown = old.Revisions, old.Edited, old.TakenDown
		if a.RefetchStage == 0 && a.RefetchAt.IsZero() {
			a.RefetchStage, a.RefetchAt = old.RefetchStage, old.RefetchAt
		}
		if err := unlink(tx, old); err != nil {
			return false, false, err
		}
	} else {
		seq, err := arts.NextSequence()
		if err != nil {
			return false, false, err
		}
		id = seq
	}
	a.ID = id
	// The first good fetch by feedvault starts the re-fetch schedule.
	if !a.Fetched.IsZero() && a.FetchError == "" && (old == nil || old.FetchError != "") && a.RefetchAt.IsZero() && a.RefetchStage == 0 {
		if err := scheduleRefetch(tx, a, 0); err != nil {
			return false, false, err
		}
	}
	return false, !found, nil
}

// link writes a (encoded as v) and every entry that points to it. With
// dirty, its words wait for FlushIndex; without, the caller indexes it
// in the same transaction.
func link(tx *bolt.Tx, a *Article, v, zraw []byte, dirty bool) error {
	k := u64(a.ID)
	if err := tx.Bucket(bArticles).Put(k, v); err != nil {
		return err
	}
	if zraw != nil {
		if err := tx.Bucket(bRaw).Put(k, zraw); err != nil {
			return err
		}
	}
	if err := notePending(tx.Bucket(bPending), k, a); err != nil {
		return err
	}
	if err := tx.Bucket(bDocs).Put(k, docValue(a)); err != nil {
		return err
	}
	if err := tx.Bucket(bByTime).Put(timeKey(a.SortTime(), a.ID), nil); err != nil {
		return err
	}
	if err := tx.Bucket(bBySeen).Put(timeKey(a.FirstSeen, a.ID), nil); err != nil {
		return err
	}
	for _, u := range append([]string{a.URL}, a.Aliases...) {
		if u != "" {
			if err := tx.Bucket(bByURL).Put([]byte(u), k); err != nil {
				return err
			}
		}
	}
	for _, g := range a.GUIDs {
		if g != "" {
			if err := tx.Bucket(bByGUID).Put(guidKey(a.Outlet, g), k); err != nil {
				return err
			}
		}
	}
	if !dirty {
		return nil
	}
	// Its words reach the index at the next flush; until then queries
	// match it word by word (see search.go).
	return tx.Bucket(bDirty).Put(k, nil)
}

// linkNew encodes a and links it, dirty.
func linkNew(tx *bolt.Tx, a *Article, zraw []byte) error {
	v, err := encodeArticle(a)
	if err != nil {
		return err
	}
	return link(tx, a, v, zraw, true)
}

// unlink removes the entries of old that link would write again: its
// time keys and its words in the index.
func unlink(tx *bolt.Tx, old *Article) error {
	if err := tx.Bucket(bByTime).Delete(timeKey(old.SortTime(), old.ID)); err != nil {
		return err
	}
	if err := tx.Bucket(bBySeen).Delete(timeKey(old.FirstSeen, old.ID)); err != nil {
		return err
	}
	if tx.Bucket(bDirty).Get(u64(old.ID)) != nil {
		return nil // its words never reached the index
	}
	return unindex(tx, old)
}

func scheduleRefetch(tx *bolt.Tx, a *Article, stage int) error {
	if stage >= len(RefetchAfter) {
		a.RefetchStage, a.RefetchAt = len(RefetchAfter), time.Time{}
		return nil
	}
	at := a.FirstSeen.Add(RefetchAfter[stage])
	if now := time.Now().UTC(); at.Before(now) {
		at = now
	}
	a.RefetchStage, a.RefetchAt = stage, at
	return tx.Bucket(bRefetch).Put(refetchKey(at, a.ID), []byte{byte(stage)})
}

// Refetch is an article due to be fetched again.
type Refetch struct {
	ID    uint64
	Stage int
	At    time.Time
}

// DueRefetch lists up to limit articles due for a re-fetch at now.
func (s *Store) DueRefetch(now time.Time, limit int) ([]Refetch, error) {
	var out []Refetch
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bRefetch).Cursor()
		end := timeBits(now)
		for k, v := c.First(); k != nil && binary.BigEndian.Uint64(k) <= end; k, v = c.Next() {
			if limit > 0 && len(out) >= limit {
				break
			}
			out = append(out, Refetch{ID: binary.BigEndian.Uint64(k[8:]), Stage: int(v[0]), At: bitsTime(binary.BigEndian.Uint64(k))})
		}
		return nil
	})
	return out, err
}

// Replace rewrites an archived article in place (same id), as
// re-extraction does: its index entries follow, its revisions stay.
func (s *Store) Replace(a *Article) error {
	err := s.batch(func(tx *bolt.Tx) error {
		old, err := decodeArticle(u64(a.ID), tx.Bucket(bArticles).Get(u64(a.ID)))
		if err != nil {
			return err
		}
		if err := unlink(tx, old); err != nil {
			return err
		}
		return linkNew(tx, a, nil)
	})
	if err != nil {
		return fmt.Errorf("store: replace %d: %w", a.ID, err)
	}
	return nil
}

// PutMany archives articles in one transaction (for import), by the same
// rules as Put, and indexes them in it: encoding, compression and word
// splitting run on every core. raws may be nil, or hold each article's
// raw page (nil for none). Of articles with the same URL in one call, the
// last wins.
func (s *Store) PutMany(arts []*Article, raws [][]byte) (created int, err error) {
	type item struct {
		a       *Article
		raw     []byte
		v       []byte
		zraw    []byte
		words   map[string]struct{}
		skip    bool
		created bool
		err     error
	}
	last := map[string]int{}
	for i, a := range arts {
		a.Aliases = aliasesWithout(a.Aliases, a.URL)
		for _, u := range append([]string{a.URL}, a.Aliases...) {
			last[u] = i
		}
	}
	var items []*item
	for i, a := range arts {
		if last[a.URL] != i {
			continue // a later line has the same URL
		}
		it := &item{a: a}
		if raws != nil {
			it.raw = raws[i]
		}
		items = append(items, it)
	}
	err = s.update(func(tx *bolt.Tx) error {
		created = 0
		for _, it := range items {
			skip, c, err := prepare(tx, it.a)
			if err != nil {
				return fmt.Errorf("%s: %w", it.a.URL, err)
			}
			it.skip, it.created = skip, c
			if c {
				created++
			}
		}
		// No bbolt calls here: encode, compress and split words in parallel.
		var wg sync.WaitGroup
		next := make(chan *item)
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for it := range next {
					p := it.a.prep
					it.a.prep = nil
					if p != nil && it.created && it.a.RefetchAt.IsZero() {
						// Encoded by Prepare: still valid, as prepare
						// changed nothing but the id of a new article.
						it.v, it.words = p.enc, p.words
					} else {
						it.v, it.err = encodeArticle(it.a)
						it.words = docWords(it.a)
					}
					switch {
					case p != nil && p.zraw != nil:
						it.zraw = p.zraw
					case it.raw != nil:
						it.zraw = compress(it.raw)
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
				return it.err
			}
			if err := link(tx, it.a, it.v, it.zraw, false); err != nil {
				return fmt.Errorf("%s: %w", it.a.URL, err)
			}
		}
		// Gather postings in parallel, each worker taking a share of the
		// words; then write them.
		shards := make([]map[string][]uint64, runtime.GOMAXPROCS(0))
		for w := range shards {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m := map[string][]uint64{}
				for _, it := range items {
					if it.skip {
						continue
					}
					for t := range it.words {
						if int(fnv32(t))%len(shards) == w {
							m[t] = append(m[t], it.a.ID)
						}
					}
				}
				shards[w] = m
			}()
		}
		wg.Wait()
		postings := shards[0]
		for _, m := range shards[1:] {
			for t, ids := range m {
				postings[t] = ids // the shards hold disjoint words
			}
		}
		return writePostings(tx.Bucket(bIndex), postings)
	})
	if err != nil {
		return 0, fmt.Errorf("store: put: %w", err)
	}
	return created, nil
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// Revision is an earlier version of an article.
type Revision struct {
	Rev              int       `json:"rev"`
	Until            time.Time `json:"until"` // when a newer version replaced it
	Fetched          time.Time `json:"fetched,omitzero"`
	Title            string    `json:"title"`
	Authors          []string  `json:"authors,omitempty"`
	Text             string    `json:"text"`
	ExtractorVersion string    `json:"extractor_version,omitempty"`
}

// Normalised forms compared for edits: whitespace and case of spacing
// do not count.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

func changed(old, fresh *Article) bool {
	return normalise(old.Text) != normalise(fresh.Text) || normalise(old.Title) != normalise(fresh.Title) ||
		normalise(strings.Join(old.Authors, "; ")) != normalise(strings.Join(fresh.Authors, "; "))
}

// RefetchResult is what a re-fetch found.
type RefetchResult struct {
	Status  int      // HTTP status; 404 and 410 mark the article taken down
	Article *Article // the fresh extraction, when the page answered 2xx
	Raw     []byte
}

// Revise records a re-fetch of article id at stage: a change of text,
// title or byline keeps the old version as a revision; a 404 or 410
// marks the article taken down (it is never deleted). It then schedules
// the next stage. It reports whether a new revision was made.
func (s *Store) Revise(id uint64, stage int, r RefetchResult) (revised bool, err error) {
	var zraw []byte
	if r.Raw != nil {
		zraw = compress(r.Raw)
	}
	err = s.batch(func(tx *bolt.Tx) error {
		revised = false
		cur, err := decodeArticle(u64(id), tx.Bucket(bArticles).Get(u64(id)))
		if err != nil {
			return err
		}
		if !cur.RefetchAt.IsZero() {
			if err := tx.Bucket(bRefetch).Delete(refetchKey(cur.RefetchAt, id)); err != nil {
				return err
			}
		}
		next := *cur
		switch {
		case r.Status == 404 || r.Status == 410:
			if next.TakenDown.IsZero() {
				next.TakenDown = time.Now().UTC()
			}
		case r.Article != nil && r.Article.Text != "":
			f := r.Article
			if changed(cur, f) {
				rev := Revision{Rev: cur.Revisions + 1, Until: time.Now().UTC(), Fetched: cur.Fetched, Title: cur.Title,
					Authors: cur.Authors, Text: cur.Text, ExtractorVersion: cur.ExtractorVersion}
				v, err := json.Marshal(rev)
				if err != nil {
					return err
				}
				key := append(u64(id), 0, 0, 0, 0)
				binary.BigEndian.PutUint32(key[8:], uint32(rev.Rev))
				if err := tx.Bucket(bRevs).Put(key, compress(v)); err != nil {
					return err
				}
				next.Revisions++
				next.Edited = true
				next.Text, next.Title, next.Authors = f.Text, f.Title, f.Authors
				if !f.Modified.IsZero() {
					next.Modified = f.Modified
				}
				revised = true
			}
			next.Fetched, next.Status, next.FinalURL, next.Headers = f.Fetched, f.Status, f.FinalURL, f.Headers
			next.ExtractorVersion = f.ExtractorVersion
			next.TakenDown = time.Time{} // back up
		}
		if err := unlink(tx, cur); err != nil {
			return err
		}
		if err := scheduleRefetch(tx, &next, stage+1); err != nil {
			return err
		}
		if !revised {
			zraw = nil // keep the raw page of the version the text is from
		}
		return linkNew(tx, &next, zraw)
	})
	if err != nil {
		return false, fmt.Errorf("store: revise %d: %w", id, err)
	}
	return revised, nil
}

// Revisions returns the earlier versions of an article, oldest first.
func (s *Store) Revisions(id uint64) ([]Revision, error) {
	var out []Revision
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bRevs).Cursor()
		p := u64(id)
		for k, v := c.Seek(p); k != nil && len(k) == 12 && string(k[:8]) == string(p); k, v = c.Next() {
			js, err := decompress(v)
			if err != nil {
				return err
			}
			var r Revision
			if err := json.Unmarshal(js, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Observe records that an item was seen in a feed at t. Each feed an
// article appears in keeps one record, with the first and last sighting
// and their count, so that months of polling do not grow the archive.
func (s *Store) Observe(id uint64, feed string, t time.Time) error {
	return s.batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSeen)
		k := binary.BigEndian.AppendUint64(u64(id), uint64(fnv32(feed))<<32|uint64(len(feed)))
		o := Observation{Feed: feed, First: t.UTC()}
		if v := b.Get(k); v != nil {
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("store: observation: %w", err)
			}
		}
		if t.Before(o.First) {
			o.First = t.UTC()
		}
		if t.After(o.Last) {
			o.Last = t.UTC()
		}
		o.Count++
		v, err := json.Marshal(o)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
}

// Observation sums up the sightings of an article in one feed.
type Observation struct {
	Feed  string    `json:"feed"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	Count int       `json:"count"`
}

// Observations lists the feeds an article was seen in, with when.
func (s *Store) Observations(id uint64) ([]Observation, error) {
	var out []Observation
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bSeen).Cursor()
		p := u64(id)
		for k, v := c.Seek(p); k != nil && string(k[:8]) == string(p); k, v = c.Next() {
			var o Observation
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("store: observation: %w", err)
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}
