package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/feedvault/feedvault/redact"
	"github.com/feedvault/feedvault/store"
)

const feedsHelp = `
Usage: feedvault feeds [--config FILE] [--db PATH] [--shard k/N] [--format table|jsonl]
       feedvault feeds import-opml [--dry-run] LIST   (see its --help)
       feedvault feeds export-opml [--out FILE]       (see its --help)

Lists each configured feed with its health: status, last poll, last
success, consecutive failures, last error, articles archived, next poll.
The config is found as 'run' finds it: --config, else $FEEDVAULT_CONFIG,
else ./feeds.yaml, else feeds.yaml beside the archive (--db).
On a terminal the table fits its width: the feed URL and the error are
cut (with …), then NEXT POLL, LAST OK and ARTICLES left out; piped, its
lines are whole. The table's LAST ERROR is the
cause (class: what went wrong), without the feed's URL again; jsonl's
last_error is the error as stored.
jsonl rows also carry the error class, the current poll interval and the
last 20 poll events (time, HTTP status, class, error, items, new, duration).
A feed that has failed for a while, or never succeeded, stands out in the
STATUS column. Works while the daemon runs.

With --shard k/N it lists only the feeds shard k of N polls (see 'run
--help'), with their health in that shard's archive; the archive of a
shard lists its own feeds without it.

Examples:
  feedvault feeds
  feedvault feeds import-opml --dry-run feedly.opml
  feedvault feeds --shard 2/4 --format jsonl | jq -r .url
  feedvault feeds --format jsonl | jq 'select(.consecutive_failures > 0)'
`

type feedRow struct {
	Outlet              string        `json:"outlet"`
	URL                 string        `json:"url"`
	Status              string        `json:"status"`
	LastPoll            *string       `json:"last_poll"`
	LastSuccess         *string       `json:"last_success"`
	NextPoll            *string       `json:"next_poll"`
	HoldUntil           *string       `json:"hold_until,omitempty"`
	LastHTTPStatus      int           `json:"last_http_status,omitempty"`
	LastError           string        `json:"last_error"`
	ErrorClass          string        `json:"error_class,omitempty"`
	ConsecutiveFailures int           `json:"consecutive_failures"`
	Articles            int           `json:"articles"`
	LastItems           int           `json:"last_items"`
	Truncated           int           `json:"truncated,omitempty"`
	Interval            string        `json:"interval,omitempty"`
	Events              []store.Event `json:"events,omitempty"`
}

func cmdFeeds(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "import-opml":
			return cmdImportOPML(ctx, e, args[1:])
		case "export-opml":
			return cmdExportOPML(ctx, e, args[1:])
		}
	}
	fs := newFlags(e, "feeds", feedsHelp)
	cfgPath := addConfigFlag(fs)
	dbPath := fs.String("db", defaultDB(), "archive file")
	format := fs.String("format", "", "table or jsonl (default: table on a terminal, else jsonl)")
	shardSpec := addShardFlag(fs, "list only the feeds of shard k of N, e.g. 2/4, with the health in its archive")
	if perr := parseNoArgs(e, fs, args); perr != nil {
		return fail(e, perr)
	}
	sh, shardDBPath, err := shardFlags(fs, *shardSpec, *dbPath)
	if err != nil {
		return fail(e, fmt.Errorf("feeds: %w", err))
	}
	*dbPath = shardDBPath
	f := *format
	if f == "" {
		f = "jsonl"
		if isTerminal(e.stdout) {
			f = "table"
		}
	}
	if f != "table" && f != "jsonl" {
		return fail(e, fmt.Errorf("feeds: unknown --format %q (want table or jsonl)", f))
	}
	cfg, err := loadConfig(*cfgPath, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	states := map[string]*store.FeedState{}
	r, err := openReader(ctx, *dbPath)
	switch {
	case err == nil:
		list, err := r.Feeds(ctx)
		if err == nil && sh.IsZero() {
			sh, err = archiveShard(ctx, r) // a shard's archive lists its own feeds
		}
		r.Close()
		if err != nil {
			return fail(e, err)
		}
		for _, s := range list {
			states[s.URL] = s
		}
	case errors.Is(err, os.ErrNotExist) || !fileExists(*dbPath):
		// No archive yet: every feed is "never polled".
	default:
		return fail(e, err)
	}
	cfg = cfg.ForShard(sh)
	now := time.Now()
	var rows []feedRow
	for _, o := range cfg.Outlets {
		for _, u := range o.Feeds {
			st := states[u]
			if st == nil {
				st = &store.FeedState{URL: u}
			}
			rows = append(rows, feedRow{
				Outlet: o.Name, URL: redact.URL(u), Status: feedStatus(st, now),
				LastPoll: rfc3339(st.LastPoll), LastSuccess: rfc3339(st.LastSuccess), NextPoll: rfc3339(st.NextPoll),
				HoldUntil: rfc3339(st.HoldUntil), LastHTTPStatus: st.LastStatus, LastError: redact.String(st.LastError),
				ErrorClass: st.ErrorClass, ConsecutiveFailures: st.ConsecutiveFailures, Articles: st.Articles,
				LastItems: st.LastItems, Truncated: st.Truncated, Events: st.Events,
			})
			if st.Interval > 0 {
				rows[len(rows)-1].Interval = time.Duration(st.Interval).String()
			}
		}
	}
	if f == "jsonl" {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, row := range rows {
			enc.Encode(row)
		}
		return exitOK
	}
	// On a narrow terminal the URL and the error are cut first, then
	// NEXT POLL, LAST OK and ARTICLES left out.
	cols := []column{{"OUTLET", 0, 0}, {"FEED", 20, 0}, {"STATUS", 0, 0}, {"LAST POLL", 0, 0}, {"LAST OK", 0, 2},
		{"FAILS", 0, 0}, {"ARTICLES", 0, 1}, {"NEXT POLL", 0, 3}, {"LAST ERROR", 16, 0}}
	cells := make([][]string, len(rows))
	for i, row := range rows {
		cells[i] = []string{row.Outlet, row.URL, row.Status, ago(row.LastPoll, now), ago(row.LastSuccess, now),
			fmt.Sprint(row.ConsecutiveFailures), fmt.Sprint(row.Articles), ago(row.NextPoll, now),
			safe(errorCause(row.LastError), true)}
	}
	if err := writeTable(e.stdout, termWidth(e.stdout), cols, cells); err != nil {
		return fail(e, fmt.Errorf("feeds: %w", err))
	}
	return exitOK
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// feedStatus is one word a researcher can scan for.
func feedStatus(st *store.FeedState, now time.Time) string {
	switch {
	case st.LastPoll.IsZero():
		return "never-polled"
	case st.HoldUntil.After(now):
		return "held"
	case st.ConsecutiveFailures >= 5:
		return "DEAD?"
	case st.ConsecutiveFailures > 0 && st.ErrorClass == "blocked":
		return "BLOCKED"
	case st.ConsecutiveFailures > 0:
		return "failing"
	case st.Truncated > 0:
		return "ok-truncated"
	}
	return "ok"
}

// ago prints a time relative to now: "5m ago", "in 12m".
func ago(s *string, now time.Time) string {
	if s == nil {
		return "-"
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return *s
	}
	d := now.Sub(t)
	suffix := " ago"
	if d < 0 {
		d, suffix = -d, ""
		return "in " + short(d)
	}
	return short(d) + suffix
}

func short(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
