package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/feedvault/feedvault/store"
)

const countHelp = `
Usage: feedvault count [QUERY] --by day|week|month|outlet|story [flags]

Counts the articles that match QUERY (all when none), by day, ISO week or
month of publication (of first sighting with --seen), or by outlet. Takes
the same query and filters as 'feedvault query'.

Articles whose feed and page gave no publication date are not counted on
the day feedvault first saw them: they get one row of their own, keyed
"undated", after the dated rows. With --seen every article counts on the
day it was first seen, and there is no undated row. (--since and --until
place undated articles by first-seen time.)

--by story counts per story group (copies of one text, see 'feedvault
stories'): one row per group, keyed by the group's id, biggest first; the
number of rows is the number of distinct stories.
` + queryLanguageHelp + `
Formats: table (the default on a terminal), jsonl (one object per bucket,
with the bucket key under its name: {"day":"2024-10-29","count":12}), csv.

Examples:
  feedvault count '"north korea" troops' --by day --since 2024-10-01
  feedvault count --by outlet --format csv > per-outlet.csv
  feedvault count --by week --outlet meduza --format jsonl
`

func cmdCount(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "count", countHelp)
	ff := addFilterFlags(fs)
	by := fs.String("by", store.ByDay, "day, week, month, outlet or story")
	format := fs.String("format", "", "table, jsonl or csv (default: table on a terminal, else jsonl)")
	dbPath := fs.String("db", defaultDB(), "archive file")
	pos, perr := parseQueryFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	switch *by {
	case store.ByDay, store.ByWeek, store.ByMonth, store.ByOutlet, byStory:
	default:
		return fail(e, fmt.Errorf("count: unknown --by %q (want day, week, month, outlet or story)", *by))
	}
	f := *format
	if f == "" {
		f = "jsonl"
		if isTerminal(e.stdout) {
			f = "table"
		}
	}
	if f != "table" && f != "jsonl" && f != "csv" {
		return fail(e, fmt.Errorf("count: unknown --format %q (want table, jsonl or csv)", f))
	}
	q, err := ff.request(pos)
	if err != nil {
		return fail(e, fmt.Errorf("count: %w", err))
	}
	noteQuery(e, q.Query)
	r, err := openReader(ctx, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	rows, err := countRows(ctx, r, *dbPath, q, *by)
	if err == nil {
		// One outlet that counted something exists; else noteOutlets
		// looks.
		found := map[string]bool{}
		for _, row := range rows {
			if row.Count > 0 && len(q.Outlets) == 1 {
				found[q.Outlets[0]] = true
			}
			if *by == store.ByOutlet {
				found[row.Key] = true
			}
		}
		err = noteOutlets(ctx, e, r, q.Outlets, found)
	}
	r.Close()
	if err != nil {
		return fail(e, err)
	}
	switch f {
	case "jsonl":
		enc := json.NewEncoder(e.stdout)
		for _, row := range rows {
			enc.Encode(map[string]any{*by: row.Key, "count": row.Count})
		}
	case "csv":
		w := csv.NewWriter(e.stdout)
		w.Write([]string{*by, "count"})
		for _, row := range rows {
			w.Write([]string{row.Key, strconv.Itoa(row.Count)})
		}
		w.Flush()
	default:
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
		total := 0
		fmt.Fprintf(tw, "%s\tcount\t\n", *by)
		for _, row := range rows {
			fmt.Fprintf(tw, "%s\t%d\t\n", safe(row.Key, true), row.Count)
			total += row.Count
		}
		fmt.Fprintf(tw, "total\t%d\t\n", total)
		tw.Flush()
	}
	return exitOK
}
