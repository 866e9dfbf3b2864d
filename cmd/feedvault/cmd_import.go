package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/feedvault/feedvault/jsonl"
)

const importHelp = `
Usage: feedvault import [--db PATH] FILE.jsonl

Archives articles from a feedvault export, or from another tool: exactly
one JSON object per line with
  url        (required) the article's URL
  outlet     (required) the outlet's short name, by feeds.yaml's rule:
             lower-case letters, digits, '.', '_', '-' (e.g. themoscowtimes)
  title, published (RFC 3339), text, authors (a list), language
  html       (optional) the raw page as a string, kept for re-extraction
and any other field a feedvault jsonl export writes (every stored field;
raw, the raw page in base64; revision_history and sightings). The id of
an export line is ignored: the archive gives its own. A line without
first_seen comes from another tool: it is first seen now and flagged
"imported".

An article already archived under its URL is updated, not duplicated, so
importing a file twice adds nothing; when its text, title or byline
changed, the archived version is kept as a revision. Sightings merge.
Unknown fields, a second object on a line and anything after the object
are errors. A bad line stops the import with its line number; every line
before it is archived. FILE may be - for standard input. Works while the
daemon runs (it does the writing). On a terminal, progress (bytes read
of the file, rate, ETA) is drawn on standard error; none otherwise.

Examples:
  feedvault import old-archive.jsonl
  feedvault export --format jsonl --history --raw --out all.jsonl && feedvault import --db copy.db all.jsonl
`

func cmdImport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "import", importHelp)
	dbPath := fs.String("db", defaultDB(), "archive file (created if missing)")
	pos, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "feedvault import: name one FILE.jsonl (or -)")
		fs.Usage()
		return fail(e, errUsage)
	}
	var in io.Reader = e.stdin
	name := "stdin"
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fail(e, fmt.Errorf("import: %w", err))
		}
		defer f.Close()
		in, name = f, pos[0]
	}
	size := 0
	if f, ok := in.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = int(fi.Size())
		}
	}
	tp, stopProgress := startProgress(e, "importing", "bytes", size)
	if tp != nil {
		in = io.TeeReader(in, tp)
	}
	var rep jsonl.ImportReport
	via, err := runOp(ctx, e.log, *dbPath, "import", nil, importParams{Name: name}, in, &rep)
	stopProgress()
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "imported %d lines: %d new articles, %d already archived (via %s)\n", rep.Lines, rep.New, rep.Existing, via)
	return exitOK
}
