package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/store"
)

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	n := len(*s)
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	if len(*s) == n {
		// --outlet "$EMPTY" would otherwise select every outlet
		return fmt.Errorf("no name in %q", v)
	}
	return nil
}

// noteQuery says on stderr what in the query may not mean what it seems
// to (query.Notes: "or" in lower case is a word).
func noteQuery(e *env, q string) {
	for _, n := range query.Notes(q) {
		fmt.Fprintf(e.stderr, "feedvault: note: query: %s\n", n)
	}
}

// noteOutlets says on stderr which --outlet names no article in the
// archive is from (names are exact, "Meduza" is not "meduza"), so that an
// empty or short result is not taken for the archive's answer. found
// holds the outlets the answer itself had (they exist); the archive's
// feeds name most others; only a name outside both costs a count over
// the articles.
func noteOutlets(ctx context.Context, e *env, r archiveapi.Reader, names []string, found map[string]bool) error {
	missing := false
	for _, n := range names {
		missing = missing || !found[n]
	}
	if !missing {
		return nil
	}
	known := map[string]bool{}
	for n := range found {
		known[n] = true
	}
	feeds, err := r.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("outlets: %w", err)
	}
	for _, f := range feeds {
		known[f.Outlet] = true
	}
	counted := false
	for _, n := range names {
		if known[n] || counted {
			continue
		}
		rows, err := r.Count(ctx, archiveapi.QueryRequest{}, store.ByOutlet)
		if err != nil {
			return fmt.Errorf("outlets: %w", err)
		}
		for _, row := range rows {
			known[row.Key] = true
		}
		counted = true
	}
	for _, n := range names {
		if known[n] {
			continue
		}
		var like []string
		for k := range known {
			if strings.EqualFold(k, n) {
				like = append(like, fmt.Sprintf("%q", k))
			}
		}
		slices.Sort(like)
		hint := "see 'feedvault count --by outlet'"
		if len(like) > 0 {
			hint = "names are exact: " + strings.Join(like, ", ")
		}
		fmt.Fprintf(e.stderr, "feedvault: note: no article in the archive is from outlet %q (%s)\n", n, hint)
	}
	return nil
}

// filterFlags are the selection flags shared by query, count and export.
type filterFlags struct {
	outlets      stringList
	since, until *string
	seen, edited *bool
}

func addFilterFlags(fs *flag.FlagSet) *filterFlags {
	f := &filterFlags{}
	fs.Var(&f.outlets, "outlet", "only this outlet (repeatable, or comma-separated)")
	f.since = fs.String("since", "", "on or after this date: YYYY-MM-DD (UTC) or RFC 3339")
	f.until = fs.String("until", "", "on or before this date (a whole day when YYYY-MM-DD)")
	f.seen = fs.Bool("seen", false, "dates and order on first-seen time instead of published time")
	f.edited = fs.Bool("edited", false, "only articles edited after publication (with revisions)")
	return f
}

// request builds the query request from the flags and the query words.
func (f *filterFlags) request(words []string) (archiveapi.QueryRequest, error) {
	q := archiveapi.QueryRequest{Query: strings.Join(words, " "), Outlets: f.outlets, Seen: *f.seen, Edited: *f.edited}
	var err error
	if *f.since != "" {
		if q.Since, err = query.ParseDate(*f.since, false); err != nil {
			return q, fmt.Errorf("--since: %w", err)
		}
	}
	if *f.until != "" {
		if q.Until, err = query.ParseDate(*f.until, true); err != nil {
			return q, fmt.Errorf("--until: %w", err)
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return q, fmt.Errorf("--until %s is before --since %s", *f.until, *f.since)
	}
	return q, nil
}

const queryLanguageHelp = `
Query language (words match whole, in any case and any script, without
stemming; over title and text):
  troops border          both words
  "north korea"          the words next to each other (also “…” «…»)
  troops OR soldiers     either (OR binds tighter than the implicit AND)
  -moscow  NOT moscow    without the word (-(a OR b): without any)
  korea*                 any word starting with korea
  title:summit           in the title (also title:"a phrase",
                         title:(a OR b) = title:a OR title:b)
  author:smith           in an author's name
  outlet:meduza          from this outlet
  (a OR b) c             grouping
OR, NOT and AND are operators only in capitals; in lower case, words.
A query may start with '-': 'feedvault query -korea' lists what does not
mention korea. A -word that is also one of the command's flags (-outlet,
-limit, ...) is the flag; put the query after -- to search for it:
'feedvault query -- -outlet'. A misspelt --flag (two dashes) is an error.
`
