package store

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bListing holds, per article, what a listing shows besides its docs
// entry: id (8 BE) → uvarint len(url), url, title. With the docs entry
// (published, first seen, flags, outlet) it answers a listing of
// ListingFields without decompressing the article. link writes it with
// the article; archives written before it existed have none for their
// old articles, and those are decoded instead.
var bListing = []byte("listing")

// ListingFields are the article fields a Filter with Listing fills.
var ListingFields = []string{"id", "url", "outlet", "title", "published", "first_seen"}

func listingValue(a *Article) []byte {
	b := make([]byte, 0, binary.MaxVarintLen64+len(a.URL)+len(a.Title))
	b = binary.AppendUvarint(b, uint64(len(a.URL)))
	b = append(b, a.URL...)
	return append(b, a.Title...)
}

// putListing writes a's listing record; an archive opened read-only
// before the bucket existed has no bucket, and is not written to.
func putListing(tx *bolt.Tx, a *Article) error {
	b := seqBucket(tx, bListing)
	if b == nil {
		return nil
	}
	return b.Put(u64(a.ID), listingValue(a))
}

// listedArticle builds the listing fields of article id from its docs
// entry and listing record (lb: nil when the archive has no listing
// bucket), or returns nil when it has no record.
func listedArticle(lb, docs valueReader, id uint64) *Article {
	if lb == nil {
		return nil
	}
	v := lb.Get(u64(id))
	if v == nil {
		return nil
	}
	return listed(v, id, parseDoc(docs.Get(u64(id))))
}

// listed builds the listing fields of article id from its listing
// record v and its docs entry d, or returns nil when v is none.
func listed(v []byte, id uint64, d docInfo) *Article {
	n, w := binary.Uvarint(v)
	if w <= 0 || uint64(len(v)-w) < n {
		return nil
	}
	a := &Article{
		ID:        id,
		URL:       string(v[w : w+int(n)]),
		Title:     string(v[w+int(n):]),
		Outlet:    d.outlet,
		FirstSeen: listedTime(d.seen),
		Edited:    d.flags&docEdited != 0,
	}
	if !d.undated() {
		a.Published = bitsTime(d.published)
	}
	return a
}

// listedTime is t from a docs entry, zero for the zero time's bits.
func listedTime(b uint64) time.Time {
	if b == timeBits(time.Time{}) {
		return time.Time{}
	}
	return bitsTime(b)
}
