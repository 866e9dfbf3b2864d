package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/feedvault/feedvault/jsonl"
	"io"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/feedvault/feedvault/redact"
	"github.com/feedvault/feedvault/store"
)

const showHelp = `
Usage: feedvault show [flags] ID|URL

Prints one article in full: its metadata, provenance and text. URL may be
the article's URL in any form feedvault has seen (feed link, redirect
target, canonical URL, with or without tracking parameters).

  --revisions     also list the earlier versions of an edited article, each
                  with a diff (paragraph by paragraph) to the next version
  --observations  also list when and in which feeds it was seen
  --raw           print the stored raw page instead (as fetched)

Examples:
  feedvault show 42
  feedvault show --revisions 42
  feedvault show https://www.themoscowtimes.com/2024/10/29/north-koreas-foreign-minister-arrives-in-russia-for-talks-a86836
  feedvault show --format json 42 | jq .text
  feedvault show --raw 42 > page.html && feedvault extract --explain page.html
`

func cmdShow(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "show", showHelp)
	format := fs.String("format", "text", "text or json")
	revisions := fs.Bool("revisions", false, "list earlier versions with diffs")
	observations := fs.Bool("observations", false, "list when and in which feeds it was seen")
	raw := fs.Bool("raw", false, "print the stored raw page")
	dbPath := fs.String("db", defaultDB(), "archive file")
	pos, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "feedvault show: give one article ID or URL")
		fs.Usage()
		return fail(e, errUsage)
	}
	if *format != "text" && *format != "json" {
		return fail(e, fmt.Errorf("show: unknown --format %q (want text or json)", *format))
	}
	if *raw && (*revisions || *observations || *format != "text") {
		// --raw prints the page alone: the others would be dropped unsaid.
		return fail(e, errors.New("show: --raw prints the raw page alone; it does not go with --revisions, --observations or --format"))
	}
	r, err := openReader(ctx, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	defer r.Close()
	a, err := r.Article(ctx, pos[0])
	if errors.Is(err, store.ErrNotFound) {
		return fail(e, fmt.Errorf("show: no article %s in %s", pos[0], *dbPath))
	}
	if err != nil {
		return fail(e, err)
	}
	if *raw {
		b, err := r.Raw(ctx, a.ID)
		if errors.Is(err, store.ErrNotFound) {
			return fail(e, fmt.Errorf("show: article %d has no stored page (it was archived from the feed, or imported without html)", a.ID))
		}
		if err != nil {
			return fail(e, err)
		}
		e.stdout.Write(b)
		return exitOK
	}
	var revs []store.Revision
	if *revisions {
		if revs, err = r.Revisions(ctx, a.ID); err != nil {
			return fail(e, err)
		}
	}
	var obs []store.Observation
	if *observations {
		if obs, err = r.Observations(ctx, a.ID); err != nil {
			return fail(e, err)
		}
		for i := range obs {
			obs[i].Feed = redact.URL(obs[i].Feed) // a feed's password is never shown
		}
	}
	story := showStory(ctx, e, *dbPath, a.ID)
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		row := jsonl.FromArticle(a)
		row.History, row.Sightings = revs, obs
		enc.Encode(struct {
			jsonl.Row
			Story *storyInfo `json:"story,omitempty"`
		}{row, story})
		return exitOK
	}
	writeArticleText(e.stdout, a)
	if *observations {
		fmt.Fprintf(e.stdout, "\n--- seen in %d feed(s) ---\n", len(obs))
		for _, o := range obs {
			fmt.Fprintf(e.stdout, "%s  first %s, last %s, %d polls\n", safe(redact.URL(o.Feed), true), fmtTime(o.First), fmtTime(o.Last), o.Count)
		}
	}
	if *revisions {
		writeRevisions(e.stdout, a, revs)
	}
	writeStory(e.stdout, story)
	return exitOK
}

func writeArticleText(w io.Writer, a *store.Article) {
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
	if a.Published.IsZero() {
		line("published", "unknown (the feed and the page gave no date)")
	} else {
		line("published", fmtTimeEmpty(a.Published))
	}
	line("modified", fmtTimeEmpty(a.Modified))
	line("first seen", fmtTimeEmpty(a.FirstSeen))
	line("fetched", fmtTimeEmpty(a.Fetched))
	line("language", a.Language)
	line("section", a.Section)
	line("tags", strings.Join(a.Tags, ", "))
	line("feed", redact.URL(a.Feed))
	if ff := a.FromFeed; ff != nil {
		line("feed said", feedSaid(ff))
		for _, e := range ff.Enclosures {
			line("enclosure", strings.TrimSpace(fmt.Sprintf("%s %s %s", e.URL, e.Type, lengthText(e.Length))))
		}
	}
	if a.FinalURL != "" && a.FinalURL != a.URL {
		line("final url", a.FinalURL)
	}
	if a.Status != 0 {
		line("status", fmt.Sprint(a.Status))
	}
	line("extractor", a.ExtractorVersion)
	line("flags", strings.Join(a.Flags, ", "))
	if a.Revisions > 0 {
		line("edited", fmt.Sprintf("%d earlier version(s): feedvault show --revisions %d", a.Revisions, a.ID))
	}
	line("taken down", fmtTimeEmpty(a.TakenDown))
	line("not fetched", a.FetchError)
	if a.RawSize > 0 {
		line("raw page", fmt.Sprintf("%d bytes (kept compressed)", a.RawSize))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, safe(a.Text, false))
}

// writeRevisions lists each earlier version and a unified diff, by
// paragraph, to the version that replaced it.
func writeRevisions(w io.Writer, cur *store.Article, revs []store.Revision) {
	if len(revs) == 0 {
		fmt.Fprintln(w, "\n--- no earlier versions: the article has not changed since feedvault first fetched it ---")
		return
	}
	type version struct {
		label, title, authors, text string
	}
	var vs []version
	for _, r := range revs {
		vs = append(vs, version{fmt.Sprintf("revision %d (until %s)", r.Rev, fmtTime(r.Until)), r.Title, strings.Join(r.Authors, "; "), r.Text})
	}
	vs = append(vs, version{fmt.Sprintf("current (fetched %s)", fmtTime(cur.Fetched)), cur.Title, strings.Join(cur.Authors, "; "), cur.Text})
	for i := 0; i+1 < len(vs); i++ {
		a, b := vs[i], vs[i+1]
		fmt.Fprintf(w, "\n=== %s → %s ===\n", a.label, b.label)
		if a.title != b.title {
			fmt.Fprintf(w, "title:   %s\n      →  %s\n", safe(a.title, true), safe(b.title, true))
		}
		if a.authors != b.authors {
			fmt.Fprintf(w, "authors: %s\n      →  %s\n", safe(a.authors, true), safe(b.authors, true))
		}
		if a.text != b.text {
			d := udiff.Unified(a.label, b.label, paragraphs(a.text), paragraphs(b.text))
			fmt.Fprint(w, safe(d, false))
		}
	}
}

// paragraphs puts one paragraph per line, for a diff by paragraph.
func paragraphs(text string) string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// feedSaid summarises what the feed said of an article, where the page may
// have said otherwise.
func feedSaid(ff *store.FeedItem) string {
	var parts []string
	if len(ff.Authors) > 0 {
		parts = append(parts, "authors "+strings.Join(ff.Authors, "; "))
	}
	if len(ff.Categories) > 0 {
		parts = append(parts, "categories "+strings.Join(ff.Categories, ", "))
	}
	if !ff.Published.IsZero() {
		parts = append(parts, "published "+fmtTimeEmpty(ff.Published))
	}
	if !ff.Updated.IsZero() {
		parts = append(parts, "updated "+fmtTimeEmpty(ff.Updated))
	}
	return strings.Join(parts, " · ")
}

func lengthText(n int64) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("(%d bytes)", n)
}
