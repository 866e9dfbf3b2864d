// Package parquetexport writes articles as Parquet files partitioned
// hive-style by outlet and month:
//
//	DIR/outlet=X/month=YYYY-MM/part-LABEL-N.parquet
//
// so that the exports of several archives (the shards of one group, say)
// together form one dataset that DuckDB, Spark, BigQuery, polars or
// pandas read as it is. LABEL names the archive (its shard, or the
// host), so files of different archives never collide.
package parquetexport

import (
	"time"

	"github.com/feedvault/feedvault/redact"
	"github.com/feedvault/feedvault/store"
)

// Row is one article: the fields of a jsonl export row (jsonl.Row), but
// outlet, which is the partition column outlet=, and with proper types:
// times are TIMESTAMP(MICROS, UTC), lists are LIST, the headers a MAP,
// what the feed said a nested group; a field a jsonl row may omit is
// nullable (null where the jsonl row leaves it out). Archive names the
// archive the row came from (the file name's LABEL): ids are unique
// only within one archive, (archive, id) across a dataset.
type Row struct {
	Archive          string            `parquet:"archive,dict"`
	ID               int64             `parquet:"id"`
	URL              string            `parquet:"url"`
	Feed             *string           `parquet:"feed,optional,dict"`
	GUIDs            []string          `parquet:"guids,list"`
	Aliases          []string          `parquet:"aliases,list"`
	Title            string            `parquet:"title"`
	Authors          []string          `parquet:"authors,list"`
	Published        *time.Time        `parquet:"published,optional,timestamp(microsecond:utc)"`
	Modified         *time.Time        `parquet:"modified,optional,timestamp(microsecond:utc)"`
	FirstSeen        *time.Time        `parquet:"first_seen,optional,timestamp(microsecond:utc)"`
	Fetched          *time.Time        `parquet:"fetched,optional,timestamp(microsecond:utc)"`
	Language         *string           `parquet:"language,optional,dict"`
	Description      *string           `parquet:"description,optional"`
	Section          *string           `parquet:"section,optional,dict"`
	Tags             []string          `parquet:"tags,list"`
	Image            *string           `parquet:"image,optional"`
	Summary          *string           `parquet:"summary,optional"`
	Flags            []string          `parquet:"flags,list"`
	Status           *int32            `parquet:"status,optional"`
	FinalURL         *string           `parquet:"final_url,optional"`
	ContentType      *string           `parquet:"content_type,optional,dict"`
	ExtractorVersion *string           `parquet:"extractor_version,optional,dict"`
	FetchError       *string           `parquet:"fetch_error,optional"`
	RawSize          *int64            `parquet:"raw_size,optional"`
	Headers          map[string]string `parquet:"headers,optional"`
	Edited           bool              `parquet:"edited"`
	Revisions        int32             `parquet:"revisions"`
	TakenDown        *time.Time        `parquet:"taken_down,optional,timestamp(microsecond:utc)"`
	RefetchStage     int32             `parquet:"refetch_stage"`
	RefetchAt        *time.Time        `parquet:"refetch_at,optional,timestamp(microsecond:utc)"`
	FromFeed         *FeedItem         `parquet:"from_feed,optional"`
	Text             string            `parquet:"text"`
}

// FeedItem is what the feed said of the article (store.FeedItem).
type FeedItem struct {
	Authors    []string    `parquet:"authors,list"`
	Categories []string    `parquet:"categories,list"`
	Enclosures []Enclosure `parquet:"enclosures,list"`
	Published  *time.Time  `parquet:"published,optional,timestamp(microsecond:utc)"`
	Updated    *time.Time  `parquet:"updated,optional,timestamp(microsecond:utc)"`
}

// Enclosure is a file the feed attached to the item.
type Enclosure struct {
	URL    string  `parquet:"url"`
	Type   *string `parquet:"type,optional"`
	Length *int64  `parquet:"length,optional"` // bytes, as the feed says
}

// FromArticle is the row of an article of the archive labelled archive.
// As in every output, a feed URL's credentials are never shown.
func FromArticle(archive string, a *store.Article) Row {
	r := Row{
		Archive: archive, ID: int64(a.ID), URL: a.URL, Feed: str(redact.URL(a.Feed)),
		GUIDs: list(a.GUIDs), Aliases: list(a.Aliases), Title: a.Title, Authors: list(a.Authors),
		Published: ts(a.Published), Modified: ts(a.Modified), FirstSeen: ts(a.FirstSeen), Fetched: ts(a.Fetched),
		Language: str(a.Language), Description: str(a.Description), Section: str(a.Section), Tags: list(a.Tags),
		Image: str(a.Image), Summary: str(a.Summary), Flags: list(a.Flags), FinalURL: str(a.FinalURL),
		ContentType: str(a.ContentType), ExtractorVersion: str(a.ExtractorVersion), FetchError: str(a.FetchError),
		Edited: a.Edited, Revisions: int32(a.Revisions), TakenDown: ts(a.TakenDown),
		RefetchStage: int32(a.RefetchStage), RefetchAt: ts(a.RefetchAt), Text: a.Text,
	}
	if a.Status != 0 {
		s := int32(a.Status)
		r.Status = &s
	}
	if a.RawSize != 0 {
		n := int64(a.RawSize)
		r.RawSize = &n
	}
	if len(a.Headers) > 0 {
		r.Headers = a.Headers
	}
	if f := a.FromFeed; f != nil {
		ff := &FeedItem{Authors: list(f.Authors), Categories: list(f.Categories), Published: ts(f.Published), Updated: ts(f.Updated)}
		ff.Enclosures = []Enclosure{}
		for _, e := range f.Enclosures {
			enc := Enclosure{URL: e.URL, Type: str(e.Type)}
			if e.Length != 0 {
				n := e.Length
				enc.Length = &n
			}
			ff.Enclosures = append(ff.Enclosures, enc)
		}
		r.FromFeed = ff
	}
	return r
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ts is t in UTC, to the microsecond that the column holds; nil when
// unknown.
func ts(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// list is never nil: an empty list is a list, not a null.
func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
