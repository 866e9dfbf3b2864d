package store

import "time"

// FeedItem is what a feed said about an article, kept as the feed said
// it: the page's own metadata may win in Article's fields (title,
// authors, tags, published), but the feed's word is not lost.
type FeedItem struct {
	Authors    []string    `json:"authors,omitempty"`
	Categories []string    `json:"categories,omitempty"`
	Enclosures []Enclosure `json:"enclosures,omitempty"`
	// Published and Updated are zero when the feed gave no date.
	Published time.Time `json:"published,omitzero"`
	Updated   time.Time `json:"updated,omitzero"`
}

// Enclosure is a file the feed attached to an item (audio, video, image).
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"` // bytes, as the feed says; 0 when not given
}

// docUndated marks, in the docs entry, an article with no published
// time: it sorts by first-seen time, and Count puts it in its own
// "undated" row instead of inventing a day for it.
const docUndated = docNotFetched << 1

// Undated is the key of Count's row of articles with no published time.
const Undated = "undated"

// undated reports whether the docs entry is of an article with no
// published time. Entries written before docUndated existed carry the
// first-seen time in the published slot instead; a real publication time
// equal to the first-seen time to the nanosecond does not occur.
func (d docInfo) undated() bool {
	return d.flags&docUndated != 0 || d.published == d.seen && d.seen != 0
}
