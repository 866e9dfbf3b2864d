package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
)

const queryHelp = `
Usage: feedvault query [TEXT] [flags]

Lists archived articles, newest first (by published time; by first-seen
time when the outlet gave none). TEXT keeps articles whose title or text
contains every word of it, as whole words, in any case and any script.

Works while the daemon runs: it answers through its socket.

Formats: table (the default on a terminal), jsonl (the default otherwise:
one JSON object per line with id, url, outlet, title, authors, published,
fetched, text, ...), csv.

Examples:
  feedvault query "north korea troops" --since 2024-10-01
  feedvault query --outlet themoscowtimes --outlet meduza --limit 0 --format jsonl > mt.jsonl
  feedvault query Пхеньян --format csv > pyongyang.csv
`

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}

// dateFlag reads YYYY-MM-DD (a whole day, UTC) or RFC 3339.
func parseDate(v string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: write 2024-10-29 or 2024-10-29T11:42:00Z", v)
	}
	if endOfDay {
		t = t.Add(24 * time.Hour)
	}
	return t, nil
}

func cmdQuery(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "query", queryHelp)
	var outlets stringList
	fs.Var(&outlets, "outlet", "only this outlet (repeatable, or comma-separated)")
	since := fs.String("since", "", "published on or after this date (YYYY-MM-DD or RFC 3339)")
	until := fs.String("until", "", "published on or before this date (a whole day when YYYY-MM-DD)")
	limit := fs.Int("limit", 50, "at most this many articles; 0 for all")
	format := fs.String("format", "", "table, jsonl or csv (default: table on a terminal, else jsonl)")
	dbPath := fs.String("db", defaultDB(), "archive file")
	pos, code := parseFlags(e, fs, args)
	if code >= 0 {
		return code
	}
	q := archiveapi.QueryRequest{Text: strings.Join(pos, " "), Outlets: outlets}
	var err error
	if *since != "" {
		if q.Since, err = parseDate(*since, false); err != nil {
			return fail(e, fmt.Errorf("query: --since: %w", err))
		}
	}
	if *until != "" {
		if q.Until, err = parseDate(*until, true); err != nil {
			return fail(e, fmt.Errorf("query: --until: %w", err))
		}
	}
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
	if f != "table" && f != "jsonl" && f != "csv" {
		return fail(e, fmt.Errorf("query: unknown --format %q (want table, jsonl or csv)", f))
	}
	if *limit > 0 {
		q.Limit = *limit + 1 // one more, to tell the user there is more
	}
	r, err := openReader(ctx, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	arts, err := r.Query(ctx, q)
	r.Close()
	if err != nil {
		return fail(e, err)
	}
	more := *limit > 0 && len(arts) > *limit
	if more {
		arts = arts[:*limit]
	}
	switch f {
	case "jsonl":
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, a := range arts {
			if err := enc.Encode(toRow(a)); err != nil {
				return fail(e, err)
			}
		}
	case "csv":
		w := csv.NewWriter(e.stdout)
		w.Write([]string{"id", "published", "outlet", "title", "authors", "url", "fetched", "text"})
		for _, a := range arts {
			w.Write([]string{strconv.FormatUint(a.ID, 10), fmtTimeEmpty(a.Published), a.Outlet, a.Title,
				strings.Join(a.Authors, "; "), a.URL, fmtTimeEmpty(a.Fetched), a.Text})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fail(e, err)
		}
	default:
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPUBLISHED\tOUTLET\tTITLE\tWORDS")
		for _, a := range arts {
			pub := "-"
			if t := a.SortTime(); !t.IsZero() {
				pub = t.UTC().Format("2006-01-02 15:04")
			}
			words := strconv.Itoa(len(strings.Fields(a.Text)))
			if a.FetchError != "" {
				words = "not fetched"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", a.ID, pub, safe(a.Outlet, true), clip(safe(a.Title, true), 80), words)
		}
		tw.Flush()
		if len(arts) == 0 {
			fmt.Fprintln(e.stderr, "no articles match")
		}
	}
	if more {
		fmt.Fprintf(e.stderr, "feedvault: showing the newest %d; more match (use --limit 0 for all)\n", *limit)
	}
	return exitOK
}

func fmtTimeEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
