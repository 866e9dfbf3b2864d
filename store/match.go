// Which stored article a new copy is: by URL or alias, else by GUID.

package store

import (
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
func (s *Store) match(tx *bolt.Tx, outlet, feed, url string, urls, guids []string) (id uint64, found, collided bool, err error) {
	if id, found = find(tx, outlet, urls, nil); found {
		return id, true, false, nil
	}
	if id, found = find(tx, outlet, nil, guids); !found || url == "" || feed == "" {
		return id, found, false, nil
	}
	old, err := s.z.decodeArticle(u64(id), tx.Bucket(bArticles).Get(u64(id)))
	if err != nil {
		return 0, false, false, err
	}
	if old.Feed == "" || old.Feed == feed || old.URL == "" {
		return id, true, false, nil
	}
	// Another feed's article under the same GUID: this feed's own, if
	// any, is under the qualified GUID, and so are the GUIDs a new copy
	// brings.
	id, found = find(tx, outlet, nil, feedGUIDs(feed, guids))
	return id, found, true, nil
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
		id, found, _, err = s.match(tx, outlet, feed, url, urls, guids)
		return err
	})
	return id, found, err
}
