package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"time"

	"github.com/feedvault/feedvault/feedparse"
	"github.com/feedvault/feedvault/store"
)

// fromFeed keeps everything a feed item said about its article, for
// store.Article.FromFeed; nil when it said nothing beyond the link and
// title.
func fromFeed(it feedparse.Item) *store.FeedItem {
	fi := &store.FeedItem{Authors: it.Authors, Categories: it.Categories, Published: it.Published, Updated: it.Updated}
	for _, e := range it.Enclosures {
		fi.Enclosures = append(fi.Enclosures, store.Enclosure{URL: e.URL, Type: e.Type, Length: e.Length})
	}
	if len(fi.Authors) == 0 && len(fi.Categories) == 0 && len(fi.Enclosures) == 0 && fi.Published.IsZero() && fi.Updated.IsZero() {
		return nil
	}
	return fi
}

// resolveLinks makes the items' links absolute against base, the URL the
// feed was read from (after redirects): a path (/news/1), a relative
// path (story-2) or a scheme-relative link (//host/x) resolves as a
// browser would. Left relative, it was archived under the bare path, its
// page never fetched, and the same path in another site's feed taken for
// the same article.
func resolveLinks(items []feedparse.Item, base string) {
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		return
	}
	for i := range items {
		if items[i].Link == "" {
			continue
		}
		u, err := url.Parse(items[i].Link)
		if err != nil || u.IsAbs() {
			continue
		}
		items[i].Link = b.ResolveReference(u).String()
	}
}

// FlagNoLink marks an article whose feed item had no link: there is no
// page, and what the feed said is all there is.
const FlagNoLink = "no_link"

// contentGUID is the GUID of an item that has neither link nor GUID: a
// hash of what it says, so that the next poll finds it again (an edit
// makes a new article). "" when it says nothing.
func contentGUID(it feedparse.Item) string {
	if it.Title == "" && it.Summary == "" && it.Content == "" {
		return ""
	}
	h := sha256.New()
	for _, s := range []string{it.Title, it.Summary, it.Content, it.Published.UTC().Format(time.RFC3339Nano)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "feedvault:content:" + hex.EncodeToString(h.Sum(nil)[:16])
}
