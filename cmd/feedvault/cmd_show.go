package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/feedvault/feedvault/store"
)

const showHelp = `
Usage: feedvault show [flags] ID|URL

Prints one article in full: its metadata, provenance and text. URL may be
the article's URL in any form feedvault has seen (feed link, redirect
target, canonical URL, with or without tracking parameters).

Examples:
  feedvault show 42
  feedvault show https://www.themoscowtimes.com/2024/10/29/north-koreas-foreign-minister-arrives-in-russia-for-talks-a86836
  feedvault show --format json 42 | jq .text
`

func cmdShow(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "show", showHelp)
	format := fs.String("format", "text", "text or json")
	dbPath := fs.String("db", defaultDB(), "archive file")
	pos, code := parseFlags(e, fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "feedvault show: give one article ID or URL")
		fs.Usage()
		return exitFatal
	}
	if *format != "text" && *format != "json" {
		return fail(e, fmt.Errorf("show: unknown --format %q (want text or json)", *format))
	}
	r, err := openReader(ctx, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	a, err := r.Article(ctx, pos[0])
	r.Close()
	if errors.Is(err, store.ErrNotFound) {
		return fail(e, fmt.Errorf("show: no article %s in %s", pos[0], *dbPath))
	}
	if err != nil {
		return fail(e, err)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(toRow(a))
		return exitOK
	}
	w := e.stdout
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-11s %s\n", k+":", safe(v, true))
		}
	}
	line("id", fmt.Sprint(a.ID))
	line("title", a.Title)
	line("outlet", a.Outlet)
	line("url", a.URL)
	line("authors", strings.Join(a.Authors, "; "))
	line("published", fmtTimeEmpty(a.Published))
	line("modified", fmtTimeEmpty(a.Modified))
	line("first seen", fmtTimeEmpty(a.FirstSeen))
	line("fetched", fmtTimeEmpty(a.Fetched))
	line("language", a.Language)
	line("section", a.Section)
	line("tags", strings.Join(a.Tags, ", "))
	line("feed", a.Feed)
	if a.FinalURL != "" && a.FinalURL != a.URL {
		line("final url", a.FinalURL)
	}
	if a.Status != 0 {
		line("status", fmt.Sprint(a.Status))
	}
	line("extractor", a.ExtractorVersion)
	line("flags", strings.Join(a.Flags, ", "))
	line("not fetched", a.FetchError)
	if a.RawSize > 0 {
		line("raw page", fmt.Sprintf("%d bytes (kept compressed)", a.RawSize))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, safe(a.Text, false))
	return exitOK
}
