// Revisions: earlier versions of an article, kept when a re-fetch finds it edited.

package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

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
		zraw = s.z.compress(r.Raw)
	}
	err = s.batch(func(tx *bolt.Tx) error {
		revised = false
		cur, err := s.z.decodeArticle(u64(id), tx.Bucket(bArticles).Get(u64(id)))
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
				if err := s.putRevision(tx, id, rev); err != nil {
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
		if err := s.scheduleRefetch(tx, &next, stage+1); err != nil {
			return err
		}
		if !revised {
			zraw = nil // keep the raw page of the version the text is from
		}
		return s.linkNew(tx, &next, zraw)
	})
	if err != nil {
		return false, fmt.Errorf("store: revise %d: %w", id, err)
	}
	return revised, nil
}

func (s *Store) putRevision(tx *bolt.Tx, id uint64, rev Revision) error {
	cleanRevision(&rev)
	v, err := json.Marshal(rev)
	if err != nil {
		return err
	}
	key := binary.BigEndian.AppendUint32(u64(id), uint32(rev.Rev))
	return tx.Bucket(bRevs).Put(key, s.z.compress(v))
}

// Revisions returns the earlier versions of an article, oldest first.
func (s *Store) Revisions(id uint64) ([]Revision, error) {
	var out []Revision
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bRevs).Cursor()
		p := u64(id)
		for k, v := c.Seek(p); k != nil && len(k) == 12 && string(k[:8]) == string(p); k, v = c.Next() {
			js, err := s.z.decompress(v)
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
