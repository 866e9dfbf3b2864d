package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
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

// FlagDateOutOfRange marks an article whose feed or page gave a
// publication date outside the span the archive orders by
// (store.OrderedRange: 1677 to 2262): it is undated, sorted by when it
// was first seen; the feed's value stays in from_feed.
const FlagDateOutOfRange = "date_out_of_range"

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

// FlagNotHTML marks an article whose page is not a web page (a PDF, an
// image): its bytes are kept as fetched, and not read as text.
const FlagNotHTML = "not_html"

// binaryBody tells a body that is no text by its first bytes (what
// browsers sniff), whatever its Content-Type says: a PDF or an image
// served as text/html is binary, HTML served as image/png is not. Bytes
// that match no known type count as binary only when the server does not
// call them HTML or text either.
func binaryBody(body []byte, contentType string) bool {
	kind := http.DetectContentType(body)
	if strings.HasPrefix(kind, "text/") || strings.Contains(kind, "xml") {
		return false
	}
	if kind == "application/octet-stream" {
		ct := strings.ToLower(contentType)
		return !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") && !strings.HasPrefix(ct, "text/")
	}
	return true
}
