package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/pipeline"
	"github.com/feedvault/feedvault/store"
)

const backupHelp = `
Usage: feedvault backup [--db PATH] DEST

Writes a consistent copy of the archive to DEST (a new file), from one read
transaction: while the daemon runs it keeps archiving, and the copy holds
everything committed before the backup began. The copy is written beside
DEST first, synced, checked to open as a feedvault archive, then renamed.

Example:
  feedvault backup /backups/feedvault-$(date +%F).db
`

func cmdBackup(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "backup", backupHelp)
	dbPath := fs.String("db", defaultDB(), "archive file")
	pos, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "feedvault backup: name one DEST file")
		fs.Usage()
		return fail(e, errUsage)
	}
	dest := pos[0]
	if _, err := os.Stat(dest); err == nil {
		return fail(e, fmt.Errorf("backup: %s exists; name a new file", dest))
	}
	r, err := openReader(ctx, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	tmp := dest + ".partial"
	f, err := createPartial(tmp, 0o600, e.stderr)
	if err != nil {
		r.Close()
		return fail(e, fmt.Errorf("backup: %w", err))
	}
	defer f.release() // once the copy has its name, or is removed
	start := time.Now()
	n, err := r.Backup(ctx, f)
	r.Close()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if verr := verifyArchive(tmp); verr != nil {
			// The copy holds the archive's pages as they are: a damaged
			// page is the archive's.
			err = fmt.Errorf("%s is damaged: its copy does not check (%w); run 'feedvault check --db %s', then 'feedvault recover'", *dbPath, verr, *dbPath)
		}
	}
	if err == nil {
		err = publish(tmp, dest)
	}
	if err != nil {
		os.Remove(tmp)
		return fail(e, fmt.Errorf("backup: %w", err))
	}
	fmt.Fprintf(e.stdout, "backed up %d bytes to %s in %s\n", n, dest, time.Since(start).Round(time.Millisecond))
	return exitOK
}

// verifyArchive opens a file as an archive, read-only, and checks it.
func verifyArchive(path string) error {
	st, err := store.Open(path, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer st.Close()
	problems, err := st.Check()
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("the copy does not check: %s", problems[0])
	}
	return nil
}

const checkHelp = `
Usage: feedvault check [--db PATH]

Verifies the archive: bbolt's page-level check, and feedvault's own
invariants (every article decodes and has its index entries). Prints the
problems found; exit status 1 when there are any. Works while the daemon
runs.

A damaged file (truncated, overwritten, empty) is not opened: check says
what is damaged and counts what can still be read; 'feedvault recover'
copies that into a new archive.
`

func cmdCheck(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "check", checkHelp)
	dbPath := fs.String("db", defaultDB(), "archive file")
	if perr := parseNoArgs(e, fs, args); perr != nil {
		return fail(e, perr)
	}
	r, err := openReader(ctx, *dbPath)
	if errors.Is(err, store.ErrDamaged) {
		return checkDamaged(e, *dbPath, err)
	}
	if err != nil {
		return fail(e, err)
	}
	defer r.Close()
	problems, err := r.Check(ctx)
	if errors.Is(err, store.ErrDamaged) {
		r.Close()
		return checkDamaged(e, *dbPath, err)
	}
	if err != nil {
		return fail(e, err)
	}
	st, _ := r.Status(ctx)
	for _, p := range problems {
		fmt.Fprintln(e.stdout, safe(p, true))
	}
	if len(problems) > 0 {
		return partial(e, "check: %d problems in %s", len(problems), *dbPath)
	}
	fmt.Fprintf(e.stdout, "ok: %d articles, %d feeds, %d revisions, %d pages not fetched yet (via %s)\n",
		st.Stats.Articles, st.Stats.Feeds, st.Stats.Revisions, st.Stats.NotFetched, r.Via())
	return exitOK
}

// checkDamaged reports on an archive too damaged to open: what is
// damaged, and what can be saved.
func checkDamaged(e *env, dbPath string, damage error) int {
	fmt.Fprintf(e.stdout, "damaged: %s\n", safe(store.DamageDetail(damage), true))
	rep, err := store.Salvage(dbPath, "")
	if err != nil {
		return fail(e, fmt.Errorf("check: %w", err))
	}
	printSalvage(e, rep, "readable")
	if rep.Articles > 0 || rep.Feeds > 0 {
		fmt.Fprintf(e.stdout, "to copy what is readable into a new archive: feedvault recover --db %s NEW.db\n", dbPath)
	}
	return partial(e, "check: %s is damaged", dbPath)
}

func printSalvage(e *env, rep store.SalvageReport, verb string) {
	fmt.Fprintf(e.stdout, "%s: %d articles, %d raw pages, %d revisions, %d sightings, %d feed states\n",
		verb, rep.Articles, rep.Raw, rep.Revisions, rep.Sightings, rep.Feeds)
	if rep.Scanned > 0 {
		fmt.Fprintf(e.stdout, "  %d of the articles were found by reading the file page by page: each may be an earlier version\n", rep.Scanned)
	}
	if rep.LostCount == 0 {
		fmt.Fprintln(e.stdout, "unreadable: nothing")
		return
	}
	fmt.Fprintf(e.stdout, "unreadable: %d articles; %d parts in all:\n", rep.Unreadable, rep.LostCount)
	for _, l := range rep.Lost {
		fmt.Fprintf(e.stdout, "  %s\n", safe(l, true))
	}
	if n := rep.LostCount - len(rep.Lost); n > 0 {
		fmt.Fprintf(e.stdout, "  … and %d more\n", n)
	}
}

const compactHelp = `
Usage: feedvault compact [--db PATH]

Rewrites the archive without its free pages, and swaps it into place. While
the daemon runs, the daemon does it: writes wait for the few seconds it
takes. Prints the size before and after.
`

func cmdCompact(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "compact", compactHelp)
	dbPath := fs.String("db", defaultDB(), "archive file")
	if perr := parseNoArgs(e, fs, args); perr != nil {
		return fail(e, perr)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fail(e, fmt.Errorf("compact: %w", err))
	}
	var res map[string]int64
	via, err := runOp(ctx, e.log, *dbPath, "compact", nil, nil, nil, &res)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "compacted %s: %d → %d bytes (via %s)\n", *dbPath, res["before"], res["after"], via)
	return exitOK
}

const reindexHelp = `
Usage: feedvault reindex [--db PATH]

Rebuilds the full-text index from the archived articles. The archive stays
the source of truth; the index can always be rebuilt. Works while the
daemon runs. On a terminal, the elapsed time is shown on standard error.
`

func cmdReindex(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "reindex", reindexHelp)
	dbPath := fs.String("db", defaultDB(), "archive file")
	if perr := parseNoArgs(e, fs, args); perr != nil {
		return fail(e, perr)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fail(e, fmt.Errorf("reindex: %w", err))
	}
	var res map[string]int
	start := time.Now()
	_, stopProgress := startProgress(e, "reindexing", "", 0)
	via, err := runOp(ctx, e.log, *dbPath, "reindex", nil, nil, nil, &res)
	stopProgress()
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "reindexed %d articles in %s (via %s)\n", res["articles"], time.Since(start).Round(time.Millisecond), via)
	return exitOK
}

const reextractHelp = `
Usage: feedvault reextract [--outlet NAME]... [--config FILE] [--db PATH]

Runs the current extractor on the raw pages stored with the articles (of
these outlets, or all), with no fetch, and records the new extractor
version. Outlets' extract rules come from the config, found as 'run'
finds it (--config, $FEEDVAULT_CONFIG, ./feeds.yaml, feeds.yaml beside
--db); with none found, the generic rules; a --config that does not
exist is an error. On a terminal, progress is drawn on standard error.
Articles archived from the feed alone, or imported without html, are
counted and left as they are. Re-extraction is not an edit: it makes no
revision. Works while the daemon runs (with the daemon's config).
`

func cmdReextract(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "reextract", reextractHelp)
	var outlets stringList
	fs.Var(&outlets, "outlet", "only this outlet (repeatable)")
	cfgPath := addConfigFlag(fs)
	dbPath := fs.String("db", defaultDB(), "archive file")
	if perr := parseNoArgs(e, fs, args); perr != nil {
		return fail(e, perr)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fail(e, fmt.Errorf("reextract: %w", err))
	}
	cfg, err := loadOptionalConfig(*cfgPath, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	var rep pipeline.ReextractReport
	start := time.Now()
	unit := "articles"
	if terminalFile(e.stderr) != nil && writerServing(ctx, *dbPath) {
		unit = "" // the daemon does it: only the time taken is known here
	}
	tp, stopProgress := startProgress(e, "re-extracting", unit, 0, "changed")
	via, err := runOpWith(ctx, e.log, *dbPath, "reextract", cfg, tp.asProgress(), map[string]any{"Outlets": []string(outlets)}, nil, &rep)
	stopProgress()
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "re-extracted %d articles (%d changed, %d without a stored page) in %s (via %s)\n",
		rep.Articles, rep.Changed, rep.NoRaw, time.Since(start).Round(time.Millisecond), via)
	return exitOK
}

// writerServing tells whether a daemon or a run holds the archive and
// answers on its socket (a maintenance op then runs there).
func writerServing(ctx context.Context, dbPath string) bool {
	r, err := archiveapi.Dial(ctx, dbPath)
	if err != nil {
		return false
	}
	r.Close()
	return true
}
