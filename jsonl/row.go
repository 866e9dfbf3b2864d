// Package jsonl is feedvault's line format for articles: one JSON object
// per article, as query and export write it and import reads it. A row
// carries every stored field of an article; an export row can also carry
// its earlier versions, its sightings and its raw page, so that an
// archive can move whole through a file.
package jsonl

import (
	"time"

	"github.com/feedvault/feedvault/redact"
	"github.com/feedvault/feedvault/store"
)

// Row is one article. Times are RFC 3339 strings, null when unknown.
type Row struct {
	ID               uint64            `json:"id"` // ignored by import: ids are the archive's own
	URL              string            `json:"url"`
	Outlet           string            `json:"outlet"`
	Feed             string            `json:"feed,omitempty"`
	GUIDs            []string          `json:"guids,omitempty"`
	Aliases          []string          `json:"aliases,omitempty"`
	Title            string            `json:"title"`
	Authors          []string          `json:"authors"`
	Published        *string           `json:"published"`
	Modified         *string           `json:"modified,omitempty"`
	FirstSeen        *string           `json:"first_seen"`
	Fetched          *string           `json:"fetched"`
	Language         string            `json:"language,omitempty"`
	Description      string            `json:"description,omitempty"`
	Section          string            `json:"section,omitempty"`
	Tags             []string          `json:"tags,omitempty"`
	Image            string            `json:"image,omitempty"`
	Summary          string            `json:"summary,omitempty"`
	Flags            []string          `json:"flags,omitempty"`
	Status           int               `json:"status,omitempty"`
	FinalURL         string            `json:"final_url,omitempty"`
	ContentType      string            `json:"content_type,omitempty"`
	ExtractorVersion string            `json:"extractor_version,omitempty"`
	FetchError       string            `json:"fetch_error,omitempty"`
	RawSize          int               `json:"raw_size,omitempty"`
	Headers          map[string]string `json:"headers,omitempty"`
	Edited           bool              `json:"edited,omitempty"`
	Revisions        int               `json:"revisions,omitempty"`
	TakenDown        *string           `json:"taken_down,omitempty"`
	RefetchStage     int               `json:"refetch_stage,omitempty"`
	RefetchAt        *string           `json:"refetch_at,omitempty"`
	// FromFeed is what the feed said (all authors, categories,
	// enclosures, both dates), where the page may have said otherwise.
	FromFeed *store.FeedItem `json:"from_feed,omitempty"`
	Text     string          `json:"text"`

	// With export --history: the earlier versions and the sightings.
	History   []store.Revision    `json:"revision_history,omitempty"`
	Sightings []store.Observation `json:"sightings,omitempty"`
	// With export --raw: the raw page, base64. Import also reads html,
	// the raw page as a string, from files other tools wrote.
	Raw  []byte `json:"raw,omitempty"`
	HTML string `json:"html,omitempty"`
}

// Fields are the names of a row's article fields, in order: what
// query --fields and csv export can pick.
var Fields = []string{"id", "url", "outlet", "feed", "guids", "aliases", "title", "authors", "published", "modified",
	"first_seen", "fetched", "language", "description", "section", "tags", "image", "summary", "flags", "status",
	"final_url", "content_type", "extractor_version", "fetch_error", "raw_size", "headers", "edited", "revisions",
	"taken_down", "refetch_stage", "refetch_at", "from_feed", "text"}

// Time formats a time as a row does: RFC 3339 in UTC, nil when unknown.
func Time(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// FromArticle is the row of an article. A feed URL's credentials are
// never shown (redact.URL).
func FromArticle(a *store.Article) Row {
	authors := a.Authors
	if authors == nil {
		authors = []string{}
	}
	return Row{
		ID: a.ID, URL: a.URL, Outlet: a.Outlet, Feed: redact.URL(a.Feed), GUIDs: a.GUIDs, Aliases: a.Aliases,
		Title: a.Title, Authors: authors, Published: Time(a.Published), Modified: Time(a.Modified),
		FirstSeen: Time(a.FirstSeen), Fetched: Time(a.Fetched), Language: a.Language,
		Description: a.Description, Section: a.Section, Tags: a.Tags, Image: a.Image, Summary: a.Summary,
		Flags: a.Flags, Status: a.Status, FinalURL: a.FinalURL, ContentType: a.ContentType,
		ExtractorVersion: a.ExtractorVersion, FetchError: a.FetchError, RawSize: a.RawSize, Headers: a.Headers,
		Edited: a.Edited, Revisions: a.Revisions, TakenDown: Time(a.TakenDown),
		RefetchStage: a.RefetchStage, RefetchAt: Time(a.RefetchAt), FromFeed: a.FromFeed, Text: a.Text,
	}
}
