package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/feedvault/feedvault/jsonl"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

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

// field renders one column of an article as text.
func field(a *store.Article, name string) string {
	switch name {
	case "id":
		return strconv.FormatUint(a.ID, 10)
	case "url":
		return a.URL
	case "outlet":
		return a.Outlet
	case "title":
		return a.Title
	case "authors":
		return strings.Join(a.Authors, "; ")
	case "published":
		return fmtTimeEmpty(a.Published)
	case "modified":
		return fmtTimeEmpty(a.Modified)
	case "first_seen":
		return fmtTimeEmpty(a.FirstSeen)
	case "fetched":
		return fmtTimeEmpty(a.Fetched)
	case "language":
		return a.Language
	case "section":
		return a.Section
	case "tags":
		return strings.Join(a.Tags, "; ")
	case "flags":
		return strings.Join(a.Flags, "; ")
	case "edited":
		return strconv.FormatBool(a.Edited)
	case "revisions":
		return strconv.Itoa(a.Revisions)
	case "taken_down":
		return fmtTimeEmpty(a.TakenDown)
	case "fetch_error":
		return a.FetchError
	case "text":
		return a.Text
	case "feed":
		return a.Feed
	case "guids":
		return strings.Join(a.GUIDs, "; ")
	case "aliases":
		return strings.Join(a.Aliases, "; ")
	case "description":
		return a.Description
	case "image":
		return a.Image
	case "summary":
		return a.Summary
	case "status":
		if a.Status == 0 {
			return ""
		}
		return strconv.Itoa(a.Status)
	case "final_url":
		return a.FinalURL
	case "content_type":
		return a.ContentType
	case "extractor_version":
		return a.ExtractorVersion
	case "raw_size":
		if a.RawSize == 0 {
			return ""
		}
		return strconv.Itoa(a.RawSize)
	case "headers":
		keys := make([]string, 0, len(a.Headers))
		for k := range a.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			keys[i] = k + ": " + a.Headers[k]
		}
		return strings.Join(keys, "; ")
	case "refetch_stage":
		return strconv.Itoa(a.RefetchStage)
	case "refetch_at":
		return fmtTimeEmpty(a.RefetchAt)
	case "words":
		if a.FetchError != "" && a.Text == "" {
			return "not fetched"
		}
		n := 0
		for range strings.FieldsSeq(a.Text) {
			n++
		}
		return strconv.Itoa(n)
	}
	return ""
}

// writeArticles writes a page of articles in format. A pipe or file gets
// them through a buffer (one write per row would cost a system call
// each); a terminal gets the page in one write, so that its escaping
// never sees a character cut in two.
func writeArticles(w io.Writer, format string, cols []string, arts []*store.Article) error {
	if _, tty := w.(termWriter); tty {
		var page bytes.Buffer
		if err := formatArticles(&page, format, cols, arts); err != nil {
			return err
		}
		_, err := w.Write(page.Bytes())
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	err := formatArticles(bw, format, cols, arts)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func formatArticles(w io.Writer, format string, cols []string, arts []*store.Article) error {
	switch format {
	case "jsonl":
		if cols != nil {
			return writeColumns(w, cols, arts)
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, a := range arts {
			if err := enc.Encode(jsonl.FromArticle(a)); err != nil {
				return err
			}
		}
	case "csv", "csv-rows": // csv-rows: a later page, without the header
		cw := csv.NewWriter(w)
		if format == "csv" {
			cw.Write(cols)
		}
		for _, a := range arts {
			rec := make([]string, len(cols))
			for i, c := range cols {
				rec[i] = field(a, c)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "text":
		for i, a := range arts {
			if i > 0 {
				fmt.Fprint(w, "\f\n")
			}
			writeArticleText(w, a)
		}
	default:
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(cols, "\t")))
		for _, a := range arts {
			cells := make([]string, len(cols))
			for i, c := range cols {
				v := field(a, c)
				switch c {
				case "published", "first_seen", "fetched", "modified", "taken_down":
					if len(v) >= 16 {
						v = strings.Replace(v[:16], "T", " ", 1)
					}
					if c == "published" && v == "" && !a.FirstSeen.IsZero() {
						v = "undated, seen " + strings.Replace(fmtTimeEmpty(a.FirstSeen)[:16], "T", " ", 1)
					}
				case "title":
					v = clip(v, 80)
				case "text", "url":
					v = clip(v, 100)
				}
				cells[i] = safe(v, true)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		return tw.Flush()
	}
	return nil
}

// writeColumns writes each article as a JSON object of the columns cols
// names, keys in sorted order, each value as the whole row holds it
// (null where the row leaves it out). It encodes only those values, not
// the whole row.
func writeColumns(w io.Writer, cols []string, arts []*store.Article) error {
	keys := slices.Clone(cols)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var val bytes.Buffer
	enc := json.NewEncoder(&val)
	enc.SetEscapeHTML(false)
	var line []byte
	for _, a := range arts {
		row := jsonl.FromArticle(a)
		line = append(line[:0], '{')
		for i, k := range keys {
			if i > 0 {
				line = append(line, ',')
			}
			line = strconv.AppendQuote(line, k) // a column name: plain ASCII
			line = append(line, ':')
			var v any = row.Value(k)
			if k == "words" {
				v = field(a, k)
			}
			val.Reset()
			if err := enc.Encode(v); err != nil {
				return err
			}
			line = append(line, bytes.TrimSuffix(val.Bytes(), []byte("\n"))...)
		}
		line = append(line, '}', '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}
