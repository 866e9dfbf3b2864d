package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/feedvault/feedvault/coverage"
	"github.com/feedvault/feedvault/query"
)

const coverageHelp = `
Usage: feedvault coverage [--since DATE] [--until DATE] [--outlet NAME] [--format table|jsonl|csv]

Says how complete the archive is, per feed and per outlet, over a period
(default: everything recorded until now):
  polls, failures      polls made, and those that failed (network, HTTP, parse)
  articles             articles archived for the first time
  gaps, ~missed        polls where no listed item had been seen before: the
                       feed's window overflowed between two polls, so items
                       may be missing; ~missed estimates how many (the feed's
                       item rate over the week before × the time since the
                       previous good poll − the items listed; at least 1)
  silent               spans where the feed answered (200 or 304) but brought
                       nothing new for 4 times its usual gap between new
                       items, and at least 12 hours; "now" if still silent
  low days             days with fewer than half the articles of the source's
                       norm: the median of the same weekday over the 8 weeks
                       before (needs 4 such days with polls)
The history is what the daemon or 'feedvault run' recorded at each poll;
polls before this feature existed are not known. Works while the daemon
runs. jsonl gives one object per feed, then per outlet ("kind"), with the
gaps, silent spans and every day with its norm (-1: not enough history).

Examples:
  feedvault coverage --since 2024-10-01 --until 2024-10-31
  feedvault coverage --outlet meduza --format jsonl | jq '.days[] | select(.articles < .norm/2)'
  feedvault coverage --format csv > coverage.csv
`

func cmdCoverage(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "coverage", coverageHelp)
	var outlets stringList
	fs.Var(&outlets, "outlet", "only this outlet (repeatable, or comma-separated)")
	since := fs.String("since", "", "from this date: YYYY-MM-DD (UTC) or RFC 3339")
	until := fs.String("until", "", "to this date (a whole day when YYYY-MM-DD); default now")
	format := fs.String("format", "", "table, jsonl or csv (default: table on a terminal, else jsonl)")
	dbPath := fs.String("db", defaultDB(), "archive file")
	pos, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(pos) > 0 {
		return fail(e, fmt.Errorf("coverage: unexpected argument %q (coverage takes no query)", pos[0]))
	}
	f, err := pickFormat(e, *format, "coverage", "table", "jsonl", "csv")
	if err != nil {
		return fail(e, err)
	}
	var p coverageParams
	p.Outlets = outlets
	if *since != "" {
		if p.Since, err = query.ParseDate(*since, false); err != nil {
			return fail(e, fmt.Errorf("coverage: --since: %w", err))
		}
	}
	if *until != "" {
		if p.Until, err = query.ParseDate(*until, true); err != nil {
			return fail(e, fmt.Errorf("coverage: --until: %w", err))
		}
	}
	if !p.Since.IsZero() && !p.Until.IsZero() && !p.Until.After(p.Since) {
		return fail(e, fmt.Errorf("coverage: --until %s is before --since %s", *until, *since))
	}
	var rep coverage.Report
	if err := analysis(ctx, *dbPath, "coverage", p, &rep); err != nil {
		return fail(e, fmt.Errorf("coverage: %w", err))
	}
	type kinded struct {
		Kind string `json:"kind"`
		coverage.Source
	}
	all := make([]kinded, 0, len(rep.Feeds)+len(rep.Outlets))
	for _, s := range rep.Feeds {
		all = append(all, kinded{"feed", s})
	}
	for _, s := range rep.Outlets {
		all = append(all, kinded{"outlet", s})
	}
	switch f {
	case "jsonl":
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, s := range all {
			enc.Encode(s)
		}
	case "csv":
		w := csv.NewWriter(e.stdout)
		w.Write([]string{"kind", "outlet", "feed", "polls", "failures", "not_modified", "articles", "gaps", "est_missed", "silent_spans", "silent_now", "low_days", "days"})
		for _, s := range all {
			w.Write([]string{s.Kind, s.Outlet, s.Feed, strconv.Itoa(s.Polls), strconv.Itoa(s.Failures), strconv.Itoa(s.NotModified),
				strconv.Itoa(s.Articles), strconv.Itoa(len(s.Gaps)), strconv.Itoa(s.EstMissed), strconv.Itoa(len(s.Silent)),
				strconv.FormatBool(s.SilentNow()), strconv.Itoa(s.LowDays()), strconv.Itoa(len(s.Days))})
		}
		w.Flush()
	default:
		if len(all) == 0 {
			fmt.Fprintln(e.stderr, "no polls recorded for these outlets and dates")
			return exitOK
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "OUTLET\tFEED\tPOLLS\tFAILED\tARTICLES\tGAPS\t~MISSED\tSILENT\tLOW DAYS")
		for _, s := range all {
			feed := s.Feed
			if s.Kind == "outlet" {
				feed = "(all feeds)"
			}
			silent := strconv.Itoa(len(s.Silent))
			if s.SilentNow() {
				silent += " (now)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d/%d\n", safe(s.Outlet, true), clip(safe(feed, true), 50), s.Polls, s.Failures,
				s.Articles, len(s.Gaps), s.EstMissed, silent, s.LowDays(), len(s.Days))
		}
		tw.Flush()
		for _, s := range rep.Feeds {
			for _, g := range s.Gaps {
				fmt.Fprintf(e.stdout, "gap     %s  %s: %d items listed, none seen before (previous poll %s); ~%d missed\n",
					safe(s.Outlet, true), fmtTime(g.Time), g.Listed, fmtTime(g.After), g.Estimate)
			}
			for _, sp := range s.Silent {
				end := "now"
				if !sp.End.IsZero() {
					end = fmtTime(sp.End)
				}
				fmt.Fprintf(e.stdout, "silent  %s  %s → %s: %d answers with nothing new (usual gap %s)  %s\n",
					safe(s.Outlet, true), fmtTime(sp.Start), end, sp.Polls, time.Duration(sp.Usual), safe(s.Feed, true))
			}
		}
	}
	return exitOK
}
