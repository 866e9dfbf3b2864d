package main

import (
	"strings"
	"time"
	"unicode"

	"github.com/feedvault/feedvault/store"
)

// articleRow is an article as query prints it in jsonl: times as RFC 3339
// strings, null when unknown.
type articleRow struct {
	ID         uint64   `json:"id"`
	URL        string   `json:"url"`
	Outlet     string   `json:"outlet"`
	Title      string   `json:"title"`
	Authors    []string `json:"authors"`
	Published  *string  `json:"published"`
	Modified   *string  `json:"modified,omitempty"`
	FirstSeen  *string  `json:"first_seen"`
	Fetched    *string  `json:"fetched"`
	Language   string   `json:"language,omitempty"`
	Section    string   `json:"section,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	Flags      []string `json:"flags,omitempty"`
	FetchError string   `json:"fetch_error,omitempty"`
	Edited     bool     `json:"edited,omitempty"`
	Revisions  int      `json:"revisions,omitempty"`
	TakenDown  *string  `json:"taken_down,omitempty"`
	// FromFeed is what the feed said (all authors, categories,
	// enclosures, both dates), where the page may have said otherwise.
	FromFeed *store.FeedItem `json:"from_feed,omitempty"`
	Text     string          `json:"text"`
}

// rfc3339 is fmtTimeEmpty for JSON: null when unknown.
func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := fmtTimeEmpty(t)
	return &s
}

func toRow(a *store.Article) articleRow {
	authors := a.Authors
	if authors == nil {
		authors = []string{}
	}
	return articleRow{
		ID: a.ID, URL: a.URL, Outlet: a.Outlet, Title: a.Title, Authors: authors,
		Published: rfc3339(a.Published), Modified: rfc3339(a.Modified), FirstSeen: rfc3339(a.FirstSeen),
		Fetched: rfc3339(a.Fetched), Language: a.Language, Section: a.Section, Tags: a.Tags,
		Flags: a.Flags, FetchError: a.FetchError, Edited: a.Edited, Revisions: a.Revisions,
		TakenDown: rfc3339(a.TakenDown), FromFeed: a.FromFeed, Text: a.Text,
	}
}

// safe strips control characters (escape sequences among them) from
// archived text before it reaches a terminal; newlines and tabs become
// spaces when oneLine is set.
func safe(s string, oneLine bool) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			if oneLine {
				return ' '
			}
			return r
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
