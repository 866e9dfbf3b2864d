// Which stored article a new copy is: by URL or alias, else by GUID.

package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	bolt "go.etcd.io/bbolt"
)

// match finds the stored article a new copy is: by its URL or an alias,
// else by one of its GUIDs within its outlet. A GUID that another feed of
// the outlet gave to another link is no match: feeds that number their
// items 1, 2, … each (category feeds of some CMSs) give different
// articles the same GUID, and each would replace the other. Such an
// article keeps its GUIDs qualified by its feed (feedGUIDs), and is found
// by them; collided says that the new copy's GUIDs must be so qualified
// (the bare ones belong to the other feed's article). Within one
// feed, a GUID whose link changed (a new headline, a new slug) is still
// the same article.
//
// cp is the new copy, when there is one (nil for a look-up before the
// fetch): a copy under another feed's GUID that is not that feed's own
// article but has its title and text (twinOf) is that article, listed
// under a second link; twin says so (the article keeps its link and
// feed, and the copy's link becomes an alias).
func (s *Store) match(tx *bolt.Tx, outlet, feed, url string, urls, guids []string, cp *Article) (id uint64, found, collided, twin bool, err error) {
	if id, found = find(tx, outlet, urls, nil); found {
		return id, true, false, false, nil
	}
	if id, found = find(tx, outlet, nil, guids); !found || url == "" || feed == "" {
		return id, found, false, false, nil
	}
	old, err := s.z.decodeArticle(u64(id), tx.Bucket(bArticles).Get(u64(id)))
	if err != nil {
		return 0, false, false, false, err
	}
	if old.Feed == "" || old.Feed == feed || old.URL == "" {
		return id, true, false, false, nil
	}
	// Another feed's article under the same GUID: this feed's own, if
	// any, is under the qualified GUID, and so are the GUIDs a new copy
	// brings.
	other := id
	if id, found = find(tx, outlet, nil, feedGUIDs(feed, guids)); !found && twinOf(old, cp) {
		return other, true, false, true, nil
	}
	return id, found, true, false, nil
}

// twinOf reports whether cp, a copy that shares a GUID with old but
// comes from another feed under another link, is old itself: both
// fetched, with the same title and the same text, neither empty. Two
// articles that only share a numbering never have both.
func twinOf(old, cp *Article) bool {
	return cp != nil && old.FetchError == "" && cp.FetchError == "" &&
		old.Text != "" && old.Title != "" && old.Text == cp.Text && old.Title == cp.Title
}

// feedGUIDs qualifies GUIDs by the feed that gave them.
func feedGUIDs(feed string, guids []string) []string {
	out := make([]string, 0, len(guids))
	for _, g := range guids {
		if g != "" {
			out = append(out, feed+" "+g)
		}
	}
	return out
}

// FindFrom is Find for an item of feed whose link is url (canonical; ""
// when it has none): a GUID that another feed of the outlet gave to
// another link is no match (see match).
func (s *Store) FindFrom(outlet, feed, url string, urls, guids []string) (id uint64, found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		var err error
		id, found, _, _, err = s.match(tx, outlet, feed, url, urls, guids, nil)
		return err
	})
	return id, found, err
}

// guidKey is the by_guid key of a GUID in an outlet.
func guidKey(outlet, guid string) []byte {
	return lookupKey(outlet + "\x00" + guid)
}

// urlKey is the by_url key of a canonical URL.
func urlKey(u string) []byte { return lookupKey(u) }

// lookupKey is s as a key of by_url or by_guid, whose keys a feed
// writes: s itself, or, past bbolt's bound on a key (which no key of an
// archive can pass, so none changes), a hash of it. One item with a
// 40 KB link or guid is then archived like any other.
func lookupKey(s string) []byte {
	if len(s) <= bolt.MaxKeySize {
		return []byte(s)
	}
	h := sha256.Sum256([]byte(s))
	return append([]byte("\x00sha256:"), hex.EncodeToString(h[:])...)
}

// Find returns the id of an archived article known by one of these URLs,
// or by one of these GUIDs in the outlet. found is false when there is none.
func (s *Store) Find(outlet string, urls, guids []string) (id uint64, found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		id, found = find(tx, outlet, urls, guids)
		return nil
	})
	return id, found, err
}

func find(tx *bolt.Tx, outlet string, urls, guids []string) (uint64, bool) {
	for _, u := range urls {
		if u == "" {
			continue
		}
		if v := tx.Bucket(bByURL).Get(urlKey(u)); v != nil {
			return binary.BigEndian.Uint64(v), true
		}
	}
	for _, g := range guids {
		if g == "" {
			continue
		}
		if v := tx.Bucket(bByGUID).Get(guidKey(outlet, g)); v != nil {
			return binary.BigEndian.Uint64(v), true
		}
	}
	return 0, false
}
