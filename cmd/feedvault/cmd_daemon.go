package main

import (
	"context"
	"fmt"

	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/pipeline"
)

const daemonHelp = `
Usage: feedvault daemon [--config FILE] [--db PATH]

Polls each feed on its own schedule (the outlet's interval, with jitter;
backing off on failures; honouring Retry-After) until SIGINT or SIGTERM,
then lets in-flight work finish or abandons it cleanly, closes the archive
and exits 0.

It holds the archive for as long as it runs and answers reads on the
socket DB.sock beside it, so 'feedvault query', 'show' and 'feeds' work
while it runs with nothing to configure: they find it from --db alone.
A 'feedvault run' against the same archive exits with "busy".

Examples:
  feedvault daemon
  FEEDVAULT_LOG=debug feedvault daemon --db /srv/news/feedvault.db
`

func cmdDaemon(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "daemon", daemonHelp)
	cfgPath := fs.String("config", defaultConfig(), "config file")
	dbPath := fs.String("db", defaultDB(), "archive file (created if missing)")
	pos, code := parseFlags(e, fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		return fail(e, fmt.Errorf("daemon: unexpected argument %q", pos[0]))
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return fail(e, err)
	}
	popt, fopt, err := pipelineOptions(cfg)
	if err != nil {
		return fail(e, err)
	}
	s, err := openWriter(ctx, e, *dbPath, "daemon", maintenanceOps(cfg))
	if err != nil {
		return fail(e, err)
	}
	fopt.Logger = e.log.With("component", "fetcher")
	popt.Logger = e.log
	p := pipeline.New(s.st, fetcher.New(fopt), popt)
	e.log.Info("daemon started", "db", *dbPath, "outlets", len(popt.Outlets))
	p.Daemon(ctx) // returns once every poll has stopped
	if err := s.close(); err != nil {
		return fail(e, err)
	}
	e.log.Info("daemon stopped cleanly")
	return exitOK
}
