package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/pipeline"
)

const runHelp = `
Usage: feedvault run [--config FILE] [--db PATH] [--shard k/N]

Polls every configured feed once, fetches each new item's page, extracts
and archives it, then exits: the command for cron. A feed whose server
asked us to wait (Retry-After) is skipped until then.

While it runs it answers reads (query, show, feeds) on the archive's
socket. If another feedvault holds the archive it exits at once with
"busy" and status 2.

The config is --config, else $FEEDVAULT_CONFIG, else ./feeds.yaml, else
feeds.yaml beside the archive (--db). On a terminal, progress (feeds
polled of all, pages fetched, articles archived, rate, ETA) is drawn on
standard error; none is drawn when standard error is not a terminal.

` + shardHelp + `

Exit status: 0 all feeds polled; 1 some feeds or pages failed (the
summary says so and names the 'feedvault feeds' command that shows
which); 2 could not run (bad config, archive busy or damaged).

Examples:
  feedvault run
  feedvault run --config feeds.yaml --db /srv/news/feedvault.db
  */15 * * * * cd /srv/news && feedvault run >>run.log 2>&1
  feedvault run --shard 2/4 --db /srv/news/shard2.db
`

func cmdRun(ctx context.Context, e *env, args []string) int {
	stopProgress := func() {}
	defer func() { stopProgress() }()
	progress := writerHooks{before: func(_ *config.Config, popt *pipeline.Options) error {
		tp, stop := startProgress(e, "polling", "feeds", 0, "pages", "archived")
		popt.Progress, stopProgress = tp.asProgress(), stop
		return nil
	}}
	s, p, _, serr := startWriter(ctx, e, "run", runHelp, args, progress)
	if serr != nil {
		stopProgress() // gone before the error is printed
		stopProgress = func() {}
		return fail(e, serr)
	}
	rep := p.RunOnce(ctx)
	cerr := s.close()
	stopProgress()
	stopProgress = func() {}
	if cerr != nil {
		return fail(e, cerr)
	}
	e.log.Info("run finished", "feeds", rep.Feeds, "failed", rep.FeedsFailed, "skipped", rep.FeedsSkipped,
		"not_modified", rep.NotModified, "items", rep.Items, "new", rep.New, "updated", rep.Updated, "pages_failed", rep.PagesFailed, "not_archived", rep.NotArchived)
	fmt.Fprintf(e.stdout, "feeds %d (failed %d, not modified %d, skipped %d), items %d, new articles %d, pages failed %d, not archived %d\n",
		rep.Feeds, rep.FeedsFailed, rep.NotModified, rep.FeedsSkipped, rep.Items, rep.New, rep.PagesFailed, rep.NotArchived)
	if ctx.Err() != nil {
		return partial(e, "run interrupted; what was archived is kept")
	}
	if rep.NotArchived > 0 {
		// The archive refused items (a full disk): that, not the feeds,
		// is what to fix.
		then := "once the archive can take them"
		if h := fsHintIn(rep.ArchiveError); h != "" {
			then = "once the archive can take them: " + h
		}
		fmt.Fprintf(e.stderr, "feedvault: %d items not archived: %s; their feeds are read again on the next run, %s\n",
			rep.NotArchived, rep.ArchiveError, then)
	}
	switch {
	case rep.FeedsFailed > 0:
		return partial(e, "%d of %d feeds failed; '%s' shows which, and why", rep.FeedsFailed, rep.Feeds, feedsCommand(s.dbPath, s.cfgPath))
	case rep.PagesFailed > 0 || rep.NotArchived > 0:
		// Said above (the summary line, and the archive's refusal).
		return exitCode(&partialError{fmt.Errorf("%d pages failed, %d items not archived", rep.PagesFailed, rep.NotArchived)})
	}
	return exitOK
}

// feedsCommand is the 'feedvault feeds' command line that shows the
// feeds of this archive and config, for messages.
func feedsCommand(dbPath, cfgPath string) string {
	cmd := "feedvault feeds"
	if dbPath != defaultDB() {
		cmd += " --db " + shellQuote(dbPath)
	}
	if found, _ := findConfig("", dbPath); cfgPath != "" && found != cfgPath {
		cmd += " --config " + shellQuote(cfgPath)
	}
	return cmd
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
