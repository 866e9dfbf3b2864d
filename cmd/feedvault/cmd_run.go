package main

import (
	"context"
	"fmt"
	"os"

	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/pipeline"
)

const runHelp = `
Usage: feedvault run [--config FILE] [--db PATH]

Polls every configured feed once, fetches each new item's page, extracts
and archives it, then exits: the command for cron. A feed whose server
asked us to wait (Retry-After) is skipped until then.

While it runs it answers reads (query, show, feeds) on the archive's
socket. If another feedvault holds the archive it exits at once with
"busy" and status 2.

Exit status: 0 all feeds polled; 1 some feeds or pages failed (see
'feedvault feeds'); 2 could not run (bad config, archive busy or damaged).

Examples:
  feedvault run
  feedvault run --config feeds.yaml --db /srv/news/feedvault.db
  */15 * * * * cd /srv/news && feedvault run >>run.log 2>&1
`

func cmdRun(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "run", runHelp)
	cfgPath := fs.String("config", defaultConfig(), "config file")
	dbPath := fs.String("db", defaultDB(), "archive file (created if missing)")
	pos, code := parseFlags(e, fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		return fail(e, fmt.Errorf("run: unexpected argument %q", pos[0]))
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return fail(e, err)
	}
	popt, fopt, err := pipelineOptions(cfg)
	if err != nil {
		return fail(e, err)
	}
	s, err := openWriter(ctx, e, *dbPath, "run", maintenanceOps(cfg))
	if err != nil {
		return fail(e, err)
	}
	fopt.Logger = e.log.With("component", "fetcher")
	popt.Logger = e.log
	p := pipeline.New(s.st, fetcher.New(fopt), popt)
	rep := p.RunOnce(ctx)
	if err := s.close(); err != nil {
		return fail(e, err)
	}
	e.log.Info("run finished", "feeds", rep.Feeds, "failed", rep.FeedsFailed, "skipped", rep.FeedsSkipped,
		"not_modified", rep.NotModified, "items", rep.Items, "new", rep.New, "updated", rep.Updated, "pages_failed", rep.PagesFailed)
	fmt.Fprintf(e.stdout, "feeds %d (failed %d, not modified %d, skipped %d), items %d, new articles %d, pages failed %d\n",
		rep.Feeds, rep.FeedsFailed, rep.NotModified, rep.FeedsSkipped, rep.Items, rep.New, rep.PagesFailed)
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "feedvault: run interrupted; what was archived is kept")
		return exitPartial
	}
	if rep.FeedsFailed > 0 || rep.PagesFailed > 0 {
		return exitPartial
	}
	return exitOK
}
