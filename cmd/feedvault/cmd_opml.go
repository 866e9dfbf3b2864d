package main

import (
	"context"
	"fmt"
	"github.com/google/renameio/v2"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
)

const importOPMLHelp = `
Usage: feedvault feeds import-opml [--config FILE] [--dry-run] LIST

Adds the feeds of LIST to the config: an OPML file exported by a feed
reader (Feedly, Inoreader, Miniflux, NetNewsWire, ...), or a CSV of feeds
with a header (a Media Cloud feeds export: a feed_url column, or url with
feeds_id; media_name or source for the outlet; primary_language).

feeds.yaml is edited, not rewritten: every line in it stays as it is,
comments and order included. A feed already in it under any form of its
URL (http or https, www., a trailing slash) is skipped. A new feed on the
site of one outlet already there is added to that outlet's feeds; the
others are grouped by site into new outlets, appended to the outlets list
and named from their titles, with the list's category (a folder in the
reader) as a comment above. Reader categories are topics, not outlets.
The result is validated like any config before it is written, and it is
written atomically (a new file renamed over the old).

A Media Cloud source list (homepages, no feed URLs) is refused: finding a
site's feeds means fetching it. Export the collection's feeds instead.

--dry-run prints the change as a unified diff and writes nothing.
A running daemon applies the new config on SIGHUP (kill -HUP PID).

Examples:
  feedvault feeds import-opml --dry-run feedly.opml
  feedvault feeds import-opml subscriptions.xml && kill -HUP $(pidof feedvault)
  feedvault feeds import-opml mediacloud-feeds.csv
`

const exportOPMLHelp = `
Usage: feedvault feeds export-opml [--config FILE] [--out FILE]

Writes the config's outlets and feeds as OPML 2.0, for a feed reader or
another feedvault: one outline per outlet holding its feeds. The outlet's
name goes in a feedvault:outlet attribute, so that import-opml of the file
gives back the same outlets. Standard output unless --out FILE.

Examples:
  feedvault feeds export-opml > feeds.opml
  feedvault feeds export-opml --config /srv/news/feeds.yaml --out feeds.opml
`

func cmdImportOPML(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "feeds import-opml", importOPMLHelp)
	cfgFlag := addConfigFlag(fs)
	dbPath := fs.String("db", defaultDB(), "archive file: where to look for the config beside it, and for a running daemon")
	dry := fs.Bool("dry-run", false, "print the change as a unified diff; write nothing")
	pos, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "feedvault feeds import-opml: name one LIST file (OPML or CSV)")
		fs.Usage()
		return fail(e, errUsage)
	}
	path, tried := findConfig(*cfgFlag, *dbPath)
	if path == "" {
		return fail(e, fmt.Errorf("import-opml: no feeds.yaml found (looked for %s); give --config FILE", quoteList(tried)))
	}
	list, err := os.ReadFile(pos[0])
	if err != nil {
		return fail(e, fmt.Errorf("import-opml: %w", err))
	}
	var feeds []config.Imported
	if isCSV(pos[0], list) {
		feeds, err = config.ParseSourceCSV(pos[0], list)
	} else {
		feeds, err = config.ParseOPML(pos[0], list)
	}
	if err != nil {
		return fail(e, fmt.Errorf("import-opml: %w", err))
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return fail(e, fmt.Errorf("import-opml: %w", err))
	}
	out, rep, err := config.AddFeeds(path, src, feeds)
	if err != nil {
		return fail(e, fmt.Errorf("import-opml: %w", err))
	}
	for _, bad := range rep.Invalid {
		fmt.Fprintf(e.stderr, "feedvault: import-opml: skipped %s\n", bad)
	}
	summary := fmt.Sprintf("%d feeds in %s: %d new (%d new outlets), %d already in %s, %d skipped",
		len(feeds), pos[0], rep.NewFeeds, len(rep.NewOutlets), rep.Known, path, len(rep.Invalid))
	if *dry {
		fmt.Fprint(e.stdout, udiff.Unified(path, path, string(src), string(out)))
		fmt.Fprintf(e.stderr, "feedvault: %s; --dry-run: nothing written\n", summary)
		return exitOK
	}
	if rep.NewFeeds == 0 {
		fmt.Fprintf(e.stdout, "%s; %s is unchanged\n", summary, path)
		return exitOK
	}
	if err := writeAtomic(path, out); err != nil {
		return fail(e, fmt.Errorf("import-opml: %w", err))
	}
	fmt.Fprintf(e.stdout, "%s; %s written\n", summary, path)
	if r, err := archiveapi.Dial(ctx, *dbPath); err == nil {
		if st, err := r.Status(ctx); err == nil && st.Mode == "daemon" {
			fmt.Fprintf(e.stdout, "the daemon (pid %d) polls the new feeds once told: kill -HUP %d\n", st.PID, st.PID)
		}
		r.Close()
	}
	return exitOK
}

// isCSV tells a CSV list from OPML: by its name, else by its first bytes.
func isCSV(name string, b []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return true
	}
	s := strings.TrimSpace(strings.TrimPrefix(string(b[:min(len(b), 512)]), "\xef\xbb\xbf"))
	return s != "" && s[0] != '<'
}

// writeAtomic replaces path with b (renameio: a new file beside it,
// synced, given the old one's mode, renamed over it). A crash leaves the
// old file or the new one, never half of one.
func writeAtomic(path string, b []byte) error {
	return renameio.WriteFile(path, b, 0o644, renameio.WithExistingPermissions())
}

func cmdExportOPML(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "feeds export-opml", exportOPMLHelp)
	cfgFlag := addConfigFlag(fs)
	dbPath := fs.String("db", defaultDB(), "archive file: where to look for the config beside it")
	outPath := fs.String("out", "", "write to this file instead of standard output")
	pos, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(pos) > 0 {
		return fail(e, fmt.Errorf("export-opml: unexpected argument %q", pos[0]))
	}
	cfg, err := loadConfig(*cfgFlag, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	var w io.Writer = e.stdout
	if *outPath != "" && *outPath != "-" {
		var b strings.Builder
		if err := config.WriteOPML(&b, cfg, time.Now()); err != nil {
			return fail(e, fmt.Errorf("export-opml: %w", err))
		}
		if err := writeAtomic(*outPath, []byte(b.String())); err != nil {
			return fail(e, fmt.Errorf("export-opml: %w", err))
		}
		return exitOK
	}
	if err := config.WriteOPML(w, cfg, time.Now()); err != nil {
		return fail(e, fmt.Errorf("export-opml: %w", err))
	}
	return exitOK
}
