package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/query"
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
	// 'feedvault query archive.db korea' searches for the words "archive
	// db": an archive is given with --db.
	for _, w := range strings.Fields(q) {
		if !strings.HasSuffix(w, ".db") {
			continue
		}
		if fi, err := os.Stat(w); err == nil && fi.Mode().IsRegular() {
			fmt.Fprintf(e.stderr, "feedvault: note: %q is searched for as words; to ask that archive, give --db %s\n", w, w)
		}
	}
}

// noteOutlets says on stderr which --outlet names no article in the
// archive is from (names are exact, "Meduza" is not "meduza"), so that an
// empty or short result is not taken for the archive's answer. found
// holds the outlets the answer itself had (they exist). For any other
// name it asks the archive for one article of that outlet, and, when
// there is none, for articles of names that differ only in case: with
// the outlets' postings (schema 3) each question reads a few pages, where
// a count by outlet read every docs entry (150 ms at 500,000 articles).
func noteOutlets(ctx context.Context, e *env, r archiveapi.Reader, names []string, found map[string]bool) error {
	for _, n := range names {
		if found[n] {
			continue
		}
		one, err := r.Query(ctx, archiveapi.QueryRequest{Outlets: []string{n}, Limit: 1, Listing: true})
		if err != nil {
			return fmt.Errorf("outlets: %w", err)
		}
		if len(one) > 0 {
			continue
		}
		hint := "see 'feedvault count --by outlet'"
		if like := outletsLike(ctx, r, n); len(like) > 0 {
			hint = "names are exact: " + strings.Join(like, ", ")
		}
		fmt.Fprintf(e.stderr, "feedvault: note: no article in the archive is from outlet %q (%s)\n", n, hint)
	}
	return nil
}

// outletsLike returns, quoted and sorted, the outlet names of the
// archive that equal n but for case (outlet: compares without case).
func outletsLike(ctx context.Context, r archiveapi.Reader, n string) []string {
	if strings.ContainsRune(n, '"') {
		return nil // outlet: cannot quote it
	}
	arts, err := r.Query(ctx, archiveapi.QueryRequest{Query: `outlet:"` + n + `"`, Listing: true, Limit: 200})
	if err != nil {
		return nil
	}
	var like []string
	for _, a := range arts {
		if q := fmt.Sprintf("%q", a.Outlet); a.Outlet != n && !slices.Contains(like, q) {
			like = append(like, q)
		}
	}
	slices.Sort(like)
	return like
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
