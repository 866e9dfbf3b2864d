package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/feedvault/feedvault/jsonl"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/store"
)

const queryHelp = `
Usage: feedvault query [QUERY] [flags]

Lists archived articles that match QUERY, newest first (by published time,
or first-seen time with --seen). An article whose feed and page gave no
publication date is listed by its first-seen time; its published field
stays empty (null in jsonl), and the table says "undated, seen …".
Works while the daemon runs: it answers through its socket.
` + queryLanguageHelp + `
Formats: table (the default on a terminal), jsonl (the default otherwise:
one JSON object per line), csv, text (each article in full, separated by
form feeds). --fields picks columns for table, csv and jsonl from every
stored field:
  id url outlet feed guids aliases title authors published modified
  first_seen fetched language description section tags image summary
  flags status final_url content_type extractor_version fetch_error
  raw_size headers edited revisions taken_down refetch_stage refetch_at
  text, and words (table)
--collapse lists one article per story group (copies of one text, see
'feedvault stories'): the first one listed; --limit counts what is left.

Examples:
  feedvault query '"north korea" troops' --since 2024-10-01 --until 2024-10-31
  feedvault query 'title:summit OR title:talks' --outlet themoscowtimes --outlet meduza
  feedvault query Пхеньян --limit 0 --format jsonl > pyongyang.jsonl
  feedvault query --edited --fields id,title,revisions
  feedvault query 'korea -russia' --format csv --fields published,outlet,title,url
`

// allFields are every stored field of an article (see jsonl.Fields).
var allFields = jsonl.Fields

func cmdQuery(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "query", queryHelp)
	ff := addFilterFlags(fs)
	limit := fs.Int("limit", 50, "at most this many articles; 0 for all")
	format := fs.String("format", "", "table, jsonl, csv or text (default: table on a terminal, else jsonl)")
	fields := fs.String("fields", "", "comma-separated columns (see above)")
	dbPath := fs.String("db", defaultDB(), "archive file")
	collapse := fs.Bool("collapse", false, "one article per story group (the first listed): copies of one text count once")
	pos, perr := parseQueryFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	q, err := ff.request(pos)
	if err != nil {
		return fail(e, fmt.Errorf("query: %w", err))
	}
	noteQuery(e, q.Query)
	col := newCollapser(ctx, *dbPath, *collapse)
	if *limit < 0 {
		return fail(e, fmt.Errorf("query: --limit must be 0 (all) or more"))
	}
	f := *format
	if f == "" {
		f = "jsonl"
		if isTerminal(e.stdout) {
			f = "table"
		}
	}
	if f != "table" && f != "jsonl" && f != "csv" && f != "text" {
		return fail(e, fmt.Errorf("query: unknown --format %q (want table, jsonl, csv or text)", f))
	}
	cols, err := pickFields(*fields, f)
	if err != nil {
		return fail(e, fmt.Errorf("query: %w", err))
	}
	q.Listing = f != "text" && listingOnly(cols)
	if *limit > 0 {
		q.Limit = *limit + 1 // one more, to tell the user there is more
	}
	if col != nil {
		q.Limit = 0 // collapse first, then cut
	}
	r, err := openReader(ctx, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	found := map[string]bool{} // the outlets of the answer, for noteOutlets
	if *limit == 0 && f != "table" {
		// Everything, streamed a page at a time.
		defer r.Close()
		first := true
		// Listing rows are small: bigger pages, fewer queries.
		size := 1000
		if q.Listing {
			size = 20000
		}
		err := archiveapi.Pages(ctx, r, q, size, func(arts []*store.Article) error {
			format := f
			if f == "csv" && !first {
				format = "csv-rows"
			}
			if f == "text" && !first {
				fmt.Fprint(e.stdout, "\f\n") // between pages, as between articles
			}
			first = false
			for _, a := range arts {
				found[a.Outlet] = true
			}
			arts, err := col.keep(arts)
			if err != nil {
				return err
			}
			return writeArticles(e.stdout, format, cols, arts)
		})
		if err == nil && first && f == "csv" {
			err = writeArticles(e.stdout, f, cols, nil) // the header alone
		}
		if err == nil {
			err = noteOutlets(ctx, e, r, q.Outlets, found)
		}
		if err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	arts, err := r.Query(ctx, q)
	if err == nil {
		for _, a := range arts {
			found[a.Outlet] = true
		}
		err = noteOutlets(ctx, e, r, q.Outlets, found)
	}
	r.Close()
	if err == nil {
		arts, err = col.keep(arts)
	}
	if err != nil {
		return fail(e, err)
	}
	more := *limit > 0 && len(arts) > *limit
	if more {
		arts = arts[:*limit]
	}
	if err := writeArticles(e.stdout, f, cols, arts); err != nil {
		return fail(e, err)
	}
	if len(arts) == 0 && f == "table" {
		fmt.Fprintln(e.stderr, "no articles match")
	}
	if more {
		fmt.Fprintf(e.stderr, "feedvault: showing the newest %d; more match (use --limit 0 for all)\n", *limit)
	}
	return exitOK
}

func pickFields(s, format string) ([]string, error) {
	if s == "" {
		switch format {
		case "table":
			return []string{"id", "published", "outlet", "title", "words"}, nil
		case "csv":
			return []string{"id", "published", "outlet", "title", "authors", "url", "fetched", "text"}, nil
		}
		return nil, nil // jsonl and text: everything
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		ok := f == "words"
		for _, a := range allFields {
			ok = ok || a == f
		}
		if !ok {
			return nil, fmt.Errorf("unknown field %q in --fields (known: %s)", f, strings.Join(allFields, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

// listingOnly reports whether cols are all listing fields, which the
// store reads without decompressing articles.
func listingOnly(cols []string) bool {
	if len(cols) == 0 {
		return false
	}
	for _, c := range cols {
		if !slices.Contains(store.ListingFields, c) {
			return false
		}
	}
	return true
}
