package pipeline

import (
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
