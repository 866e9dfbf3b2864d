package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/feedvault/feedvault/config"
)

const importHelp = `
Usage: feedvault import [--db PATH] FILE.jsonl

Archives articles from another tool, or from a feedvault export: one JSON
object per line with
  url        (required) the article's URL
  outlet     (required) the outlet's short name
  title, published (RFC 3339), text
  html       (optional) the raw page, kept for re-extraction
  authors    (optional) a list of names
  language   (optional)
Unknown fields are errors. An article already archived under its URL is
updated, not duplicated, so importing a file twice adds nothing. A bad line
stops the import with its line number; the lines before it are archived.
FILE may be - for standard input. Works while the daemon runs (it does the
writing).

Examples:
  feedvault import old-archive.jsonl
  feedvault export --format jsonl --out all.jsonl && feedvault import --db copy.db all.jsonl
`

func cmdImport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "import", importHelp)
	dbPath := fs.String("db", defaultDB(), "archive file (created if missing)")
	pos, code := parseFlags(e, fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "feedvault import: name one FILE.jsonl (or -)")
		fs.Usage()
		return exitFatal
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
	var rep ImportReport
	via, err := runOp(ctx, *dbPath, "import", nil, importParams{Name: name}, in, &rep)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "imported %d lines: %d new articles, %d already archived (via %s)\n", rep.Lines, rep.New, rep.Existing, via)
	return exitOK
}

// loadOptionalConfig loads the config when the file exists: maintenance
// commands use outlets' rules when there are some.
func loadOptionalConfig(path string) (*config.Config, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, nil
	}
	return config.Load(path)
}
