package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

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

// Put archives a new article with its raw page, or, when the URL or a GUID
// is already archived, updates that article. It returns the article's id
// and whether it was new. A stored article that has text is never
// replaced by one without (a failed re-fetch must not erase a good copy).
// A stored article's first-seen time and revisions are kept.
func (s *Store) Put(a *Article, raw []byte) (id uint64, created bool, err error) {
	var zraw []byte
	if raw != nil {
		zraw = s.z.compress(raw)
		a.RawSize = len(raw)
	}
	a.Aliases = aliasesWithout(a.Aliases, a.URL)
	story := storyFor(a) // nil unless a.FileStory asked
	err = s.batch(func(tx *bolt.Tx) error {
		var err error
		id, created, err = s.put(tx, a, zraw)
		if err == nil && story != nil && (created || a.FetchError == "") {
			err = s.fileStoryIn(tx, story, id)
		}
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: put %s: %w", a.URL, err)
	}
	return id, created, nil
}

func (s *Store) put(tx *bolt.Tx, a *Article, zraw []byte) (uint64, bool, error) {
	skip, created, err := s.prepare(tx, a)
	if err != nil || skip {
		return a.ID, false, err
	}
	v, err := s.z.encodeArticle(a)
	if err != nil {
		return 0, false, err
	}
	if err := link(tx, a, v, zraw, plainMark()); err != nil {
		return 0, false, err
	}
	return a.ID, created, nil
}

// prepare finds the article a replaces, if any, merges what must be kept
// from it, unlinks it, and gives a its id. skip reports that a must not
// be written (a failed fetch never replaces a good copy).
func (s *Store) prepare(tx *bolt.Tx, a *Article) (skip, created bool, err error) {
	arts := tx.Bucket(bArticles)
	id, found, collided, twin, err := s.match(tx, a.Outlet, a.Feed, a.URL, append([]string{a.URL}, a.Aliases...), a.GUIDs, a)
	if err != nil {
		return false, false, err
	}
	if collided {
		a.GUIDs = feedGUIDs(a.Feed, a.GUIDs) // another feed's article has them
	}
	var old *Article
	if found {
		if old, err = s.z.decodeArticle(u64(id), arts.Get(u64(id))); err != nil {
			return false, false, err
		}
		if old.FetchError == "" && a.FetchError != "" {
			a.ID = id
			return true, false, nil // keep the good copy
		}
		a.FirstSeen = old.FirstSeen
		if twin { // the article as another feed listed it first: its link and feed stay
			a.Aliases = append(a.Aliases, a.URL)
			a.URL, a.Feed = old.URL, old.Feed
		}
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
		if err := s.scheduleRefetch(tx, a, 0); err != nil {
			return false, false, err
		}
	}
	return false, !found, nil
}

// link writes a (encoded as v) and every entry that points to it. With
// a dirty mark (plainMark, or a Loader's own), its words wait for
// FlushIndex or the Loader; with nil, the caller indexes it in the same
// transaction.
func link(tx *bolt.Tx, a *Article, v, zraw, dirty []byte) error {
	k := u64(a.ID)
	if err := seqBucket(tx, bArticles).Put(k, v); err != nil {
		return err
	}
	if zraw != nil {
		if err := seqBucket(tx, bRaw).Put(k, zraw); err != nil {
			return err
		}
	}
	if err := notePending(tx.Bucket(bPending), k, a); err != nil {
		return err
	}
	dv := docValue(a)
	if err := seqBucket(tx, bDocs).Put(k, dv); err != nil {
		return err
	}
	if err := putDays(tx, a.ID, dv); err != nil {
		return err
	}
	if err := putListing(tx, a); err != nil {
		return err
	}
	if err := tx.Bucket(bByTime).Put(timeKey(a.SortTime(), a.ID), nil); err != nil {
		return err
	}
	// First-seen times grow as ids do (an import's are all the same):
	// its keys come last too.
	if err := seqBucket(tx, bBySeen).Put(timeKey(a.FirstSeen, a.ID), nil); err != nil {
		return err
	}
	for _, u := range append([]string{a.URL}, a.Aliases...) {
		if u != "" {
			if err := tx.Bucket(bByURL).Put(urlKey(u), k); err != nil {
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
	if dirty == nil {
		return nil
	}
	// Its words reach the index at the next flush; until then queries
	// match it word by word (see search.go).
	return tx.Bucket(bDirty).Put(k, dirty)
}

// linkNew encodes a and links it, dirty.
func (s *Store) linkNew(tx *bolt.Tx, a *Article, zraw []byte) error {
	v, err := s.z.encodeArticle(a)
	if err != nil {
		return err
	}
	return link(tx, a, v, zraw, plainMark())
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

// Replace rewrites an archived article in place (same id), as
// re-extraction does: its index entries follow, its revisions stay.
func (s *Store) Replace(a *Article) error {
	err := s.batch(func(tx *bolt.Tx) error {
		old, err := s.z.decodeArticle(u64(a.ID), tx.Bucket(bArticles).Get(u64(a.ID)))
		if err != nil {
			return err
		}
		if err := unlink(tx, old); err != nil {
			return err
		}
		return s.linkNew(tx, a, nil)
	})
	if err != nil {
		return fmt.Errorf("store: replace %d: %w", a.ID, err)
	}
	return nil
}

// findArticle returns the stored article a would replace, or nil.
func (s *Store) findArticle(tx *bolt.Tx, a *Article) (*Article, error) {
	id, found, _, _, err := s.match(tx, a.Outlet, a.Feed, a.URL, append([]string{a.URL}, a.Aliases...), a.GUIDs, a)
	if err != nil || !found {
		return nil, err
	}
	return s.z.decodeArticle(u64(id), tx.Bucket(bArticles).Get(u64(id)))
}

// keepHistory runs after prepare gave a its id. Over a stored article
// (old) whose text, title or byline differ, the stored version becomes a
// revision, as a re-fetch does. Into a new article, the revisions a
// brings (SetHistory) are written. The sightings a brings are merged:
// first and last the earliest and latest, the count the larger (a file
// imported twice does not count its polls twice). It reports whether a
// changed.
func (s *Store) keepHistory(tx *bolt.Tx, a, old *Article) (changedA bool, err error) {
	if old != nil && (old.Text != "" || old.Title != "") && changed(old, a) {
		rev := Revision{Rev: old.Revisions + 1, Until: time.Now().UTC(), Fetched: old.Fetched, Title: old.Title,
			Authors: old.Authors, Text: old.Text, ExtractorVersion: old.ExtractorVersion}
		if err := s.putRevision(tx, a.ID, rev); err != nil {
			return false, err
		}
		a.Revisions, a.Edited = rev.Rev, true
		changedA = true
	}
	if a.hist == nil {
		return changedA, nil
	}
	if old == nil {
		for _, r := range a.hist.revs {
			if err := s.putRevision(tx, a.ID, r); err != nil {
				return false, err
			}
			if r.Rev > a.Revisions {
				a.Revisions, changedA = r.Rev, true
			}
		}
	}
	b := tx.Bucket(bSeen)
	for _, o := range a.hist.obs {
		k := seenKey(a.ID, o.Feed)
		if v := b.Get(k); v != nil {
			var cur Observation
			if err := json.Unmarshal(v, &cur); err != nil {
				return false, fmt.Errorf("observation of %d: %w", a.ID, err)
			}
			if cur.First.Before(o.First) {
				o.First = cur.First
			}
			if cur.Last.After(o.Last) {
				o.Last = cur.Last
			}
			o.Count = max(o.Count, cur.Count)
		}
		v, err := json.Marshal(o)
		if err != nil {
			return false, err
		}
		if err := b.Put(k, v); err != nil {
			return false, err
		}
	}
	a.hist = nil
	return changedA, nil
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
