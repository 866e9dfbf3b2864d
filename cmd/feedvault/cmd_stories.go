package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/store"
	"github.com/feedvault/feedvault/stories"
)

const storiesHelp = `
Usage: feedvault stories [QUERY] [flags]
       feedvault stories backfill [--rebuild] [--db PATH]

Lists groups of articles that tell the same story in the same words:
wire copy reprinted by several outlets, light rewrites of one agency
text, one page archived under two URLs. Each group shows its outlets in
the order they first had it (who published first), its size, the lowest
similarity at which a member joined (0..1, the estimated share of
4-word sequences in common) and the news agencies credited in its
bylines, datelines or closing credits. Newest groups first.

Articles are grouped as they are archived: MinHash signatures of their
text over 4-word shingles, compared through LSH bands, kept in the
archive. A member joins the group of the most alike earlier article when
their 4-word sequences overlap at least 35% (estimated Jaccard; credit,
copyright and newsletter lines and the last 25 words are left out, as
outlets put their own sign-offs there). Articles under 25 words are not
grouped. Different articles on the same event share names and stock
phrases but few 4-word sequences, and stay apart. Articles are not
regrouped when later copies arrive: a group never merges with another.

QUERY and the filters select groups with at least one matching member
(the query language of 'feedvault query').

'stories backfill' files the articles archived before grouping existed
(or imported): oldest first, so groups come out as if they had arrived
in that order. --rebuild drops every group and files all articles again.
It runs in the daemon when one holds the archive.

Examples:
  feedvault stories --since 2024-10-01 --min 3
  feedvault stories '"north korea" troops' --format jsonl | jq '.outlets'
  feedvault stories backfill
  feedvault show 42            # lists the other members of 42's group
  feedvault query troops --collapse
  feedvault count troops --by story
`

func cmdStories(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 && args[0] == "backfill" {
		return cmdStoriesBackfill(ctx, e, args[1:])
	}
	fs := newFlags(e, "stories", storiesHelp)
	ff := addFilterFlags(fs)
	minSize := fs.Int("min", 2, "list groups of at least this many articles (1: single articles too)")
	limit := fs.Int("limit", 50, "at most this many groups (0: all)")
	format := fs.String("format", "", "table or jsonl (default: table on a terminal, else jsonl)")
	dbPath := fs.String("db", defaultDB(), "archive file")
	pos, perr := parseQueryFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	f, err := pickFormat(e, *format, "stories", "table", "jsonl")
	if err != nil {
		return fail(e, err)
	}
	if *minSize < 1 || *limit < 0 {
		return fail(e, fmt.Errorf("stories: --min must be at least 1 and --limit at least 0"))
	}
	q, err := ff.request(pos)
	if err != nil {
		return fail(e, fmt.Errorf("stories: %w", err))
	}
	var groups []storyGroup
	if err := analysis(ctx, *dbPath, "stories", storiesParams{Query: q, Min: *minSize, Limit: *limit}, &groups); err != nil {
		return fail(e, fmt.Errorf("stories: %w", err))
	}
	if f == "jsonl" {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, g := range groups {
			enc.Encode(g)
		}
		return exitOK
	}
	if len(groups) == 0 {
		fmt.Fprintln(e.stderr, "no story groups match (articles archived before grouping existed need 'feedvault stories backfill')")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STORY\tSIZE\tFIRST SEEN\tSIM\tAGENCIES\tOUTLETS (first first)\tTITLE")
	for _, g := range groups {
		title := ""
		if len(g.Members) > 0 {
			title = g.Members[0].Title
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%.2f\t%s\t%s\t%s\n", g.Story, g.Size, fmtTime(g.First), g.MinSim,
			safe(strings.Join(g.Agencies, ","), true), safe(strings.Join(g.Outlets, " > "), true), clip(safe(title, true), 60))
	}
	tw.Flush()
	if *limit > 0 && len(groups) == *limit {
		fmt.Fprintf(e.stderr, "feedvault: showing the newest %d groups; there may be more (use --limit 0 for all)\n", *limit)
	}
	return exitOK
}

func cmdStoriesBackfill(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "stories backfill", storiesHelp)
	rebuild := fs.Bool("rebuild", false, "drop every group and file all articles again")
	dbPath := fs.String("db", defaultDB(), "archive file")
	if perr := parseNoArgs(e, fs, args); perr != nil {
		return fail(e, perr)
	}
	var rep stories.BackfillReport
	via, err := runOp(ctx, e.log, *dbPath, "stories-backfill", nil, map[string]bool{"Rebuild": *rebuild}, nil, &rep)
	if err != nil {
		return fail(e, err) // says "stories: backfill: …"
	}
	fmt.Fprintf(e.stdout, "filed %d articles (%d joined an earlier copy); %d were filed before (via %s)\n", rep.Articles, rep.Grouped, rep.Skipped, via)
	return exitOK
}

// pickFormat resolves --format: the first allowed format on a terminal,
// jsonl otherwise.
func pickFormat(e *env, f, cmd string, allowed ...string) (string, error) {
	if f == "" {
		f = "jsonl"
		if isTerminal(e.stdout) {
			f = allowed[0]
		}
	}
	for _, a := range allowed {
		if a == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("%s: unknown --format %q (want %s)", cmd, f, strings.Join(allowed, ", "))
}

// showStory finds the group of article id for show; a failure is
// reported and leaves the rest of show alone.
func showStory(ctx context.Context, e *env, dbPath string, id uint64) *storyInfo {
	var si storyInfo
	if err := analysis(ctx, dbPath, "story", map[string]uint64{"ID": id}, &si); err != nil {
		fmt.Fprintf(e.stderr, "feedvault: show: story group: %v\n", err)
		return nil
	}
	if !si.Filed {
		return nil
	}
	return &si
}

// writeStory lists the other members of the article's group.
func writeStory(w io.Writer, si *storyInfo) {
	if si == nil {
		fmt.Fprintln(w, "\n--- story: not grouped yet (run 'feedvault stories backfill') ---")
		return
	}
	if len(si.Info.Agencies) > 0 {
		fmt.Fprintf(w, "\n--- agency credit: %s ---\n", strings.Join(si.Info.Agencies, ", "))
	}
	if si.Group.Size < 2 {
		fmt.Fprintln(w, "\n--- story: no copy of this text in another article ---")
		return
	}
	fmt.Fprintf(w, "\n--- story %d: %d articles, first seen order ---\n", si.Group.Story, si.Group.Size)
	for _, m := range si.Group.Members {
		mark := " "
		if m.ID == si.Info.ID {
			mark = "*"
		}
		sim := "first"
		if m.ID != si.Group.Story {
			sim = "sim " + strconv.FormatFloat(m.Similarity, 'f', 2, 64)
		}
		fmt.Fprintf(w, "%s %-8d %s  %-10s %-16s %s\n", mark, m.ID, fmtTime(m.FirstSeen), sim, safe(m.Outlet, true), clip(safe(m.Title, true), 70))
	}
}

// collapser keeps one article per story group across the pages of a
// listing: the first one listed. Articles not grouped yet are kept.
type collapser struct {
	ctx    context.Context
	dbPath string
	seen   map[uint64]bool
}

func newCollapser(ctx context.Context, dbPath string, on bool) *collapser {
	if !on {
		return nil
	}
	return &collapser{ctx: ctx, dbPath: dbPath, seen: map[uint64]bool{}}
}

func (c *collapser) keep(arts []*store.Article) ([]*store.Article, error) {
	if c == nil || len(arts) == 0 {
		return arts, nil
	}
	ids := make([]uint64, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	var groups map[uint64]uint64
	if err := analysis(c.ctx, c.dbPath, "story-groups", map[string][]uint64{"IDs": ids}, &groups); err != nil {
		return nil, fmt.Errorf("collapse: %w", err)
	}
	out := arts[:0:0]
	for _, a := range arts {
		g, ok := groups[a.ID]
		if ok && c.seen[g] {
			continue
		}
		if ok {
			c.seen[g] = true
		}
		out = append(out, a)
	}
	return out, nil
}

// countByStory counts the matching articles per story group: one row a
// group, keyed by the group's id. Articles not grouped yet count under
// their own id.
func countByStory(ctx context.Context, r archiveapi.Reader, dbPath string, q archiveapi.QueryRequest) ([]store.CountRow, error) {
	counts := map[uint64]int{}
	err := archiveapi.Pages(ctx, r, q, 1000, func(arts []*store.Article) error {
		ids := make([]uint64, len(arts))
		for i, a := range arts {
			ids[i] = a.ID
		}
		var groups map[uint64]uint64
		if err := analysis(ctx, dbPath, "story-groups", map[string][]uint64{"IDs": ids}, &groups); err != nil {
			return err
		}
		for _, id := range ids {
			g, ok := groups[id]
			if !ok {
				g = id
			}
			counts[g]++
		}
		return nil
	})
	rows := make([]store.CountRow, 0, len(counts))
	for g, n := range counts {
		rows = append(rows, store.CountRow{Key: strconv.FormatUint(g, 10), Count: n})
	}
	sortRows(rows)
	return rows, err
}

// sortRows orders story rows biggest first, then by id.
func sortRows(rows []store.CountRow) {
	slices.SortFunc(rows, func(a, b store.CountRow) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		ai, _ := strconv.ParseUint(a.Key, 10, 64)
		bi, _ := strconv.ParseUint(b.Key, 10, 64)
		return cmp.Compare(ai, bi)
	})
}

// byStory is count's --by value for story groups.
const byStory = "story"

// countRows counts through the reader, or per story group.
func countRows(ctx context.Context, r archiveapi.Reader, dbPath string, q archiveapi.QueryRequest, by string) ([]store.CountRow, error) {
	if by == byStory {
		return countByStory(ctx, r, dbPath, q)
	}
	return r.Count(ctx, q, by)
}
