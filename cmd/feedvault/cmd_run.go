package main

import (
	"context"
	"fmt"
	"os"
)

const runHelp = `
Usage: feedvault run [--config FILE] [--db PATH] [--shard k/N]

Polls every configured feed once, fetches each new item's page, extracts
and archives it, then exits: the command for cron. A feed whose server
asked us to wait (Retry-After) is skipped until then.

While it runs it answers reads (query, show, feeds) on the archive's
socket. If another feedvault holds the archive it exits at once with
"busy" and status 2.

` + shardHelp + `

Exit status: 0 all feeds polled; 1 some feeds or pages failed (see
'feedvault feeds'); 2 could not run (bad config, archive busy or damaged).

Examples:
  feedvault run
  feedvault run --config feeds.yaml --db /srv/news/feedvault.db
  */15 * * * * cd /srv/news && feedvault run >>run.log 2>&1
  feedvault run --shard 2/4 --db /srv/news/shard2.db
`

func cmdRun(ctx context.Context, e *env, args []string) int {
	s, p, _, serr := startWriter(ctx, e, "run", runHelp, args)
	if serr != nil {
		return fail(e, serr)
	}
	rep := p.RunOnce(ctx)
	if err := s.close(); err != nil {
		return fail(e, err)
	}
	e.log.Info("run finished", "feeds", rep.Feeds, "failed", rep.FeedsFailed, "skipped", rep.FeedsSkipped,
		"not_modified", rep.NotModified, "items", rep.Items, "new", rep.New, "updated", rep.Updated, "pages_failed", rep.PagesFailed, "not_archived", rep.NotArchived)
	fmt.Fprintf(e.stdout, "feeds %d (failed %d, not modified %d, skipped %d), items %d, new articles %d, pages failed %d, not archived %d\n",
		rep.Feeds, rep.FeedsFailed, rep.NotModified, rep.FeedsSkipped, rep.Items, rep.New, rep.PagesFailed, rep.NotArchived)
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "feedvault: run interrupted; what was archived is kept")
		return exitPartial
	}
	if rep.FeedsFailed > 0 || rep.PagesFailed > 0 || rep.NotArchived > 0 {
		return exitPartial
	}
	return exitOK
}
