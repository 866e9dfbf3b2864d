package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/pipeline"
	"github.com/feedvault/feedvault/web"
)

const daemonHelp = `
Usage: feedvault daemon [--config FILE] [--db PATH] [--shard k/N] [--http ADDR [--token-file FILE]]

Polls each feed on its own schedule (the outlet's interval, with jitter;
backing off on failures; honouring Retry-After) until SIGINT or SIGTERM,
then lets in-flight work finish or abandons it cleanly, closes the archive
and exits 0.

It holds the archive for as long as it runs and answers reads on the
socket DB.sock beside the archive's real file (symbolic links resolved),
so 'feedvault query', 'show' and 'feeds' work while it runs with nothing
to configure: they find it from --db alone, through any link to the
archive. When that path is too long for a socket, the socket goes in
$XDG_RUNTIME_DIR/feedvault, or /tmp/feedvault-UID (mode 0700). Only
processes of the daemon's own user are answered, and the CLI talks only
to a daemon of its own user. A 'feedvault run' against the same archive
exits with "busy".

` + shardHelp + `

With --http it also serves the research workbench (see 'feedvault serve
--help') on ADDR, with the pipeline's metrics on /metrics: polls, errors
by class, articles archived, fetch latency, bytes fetched, queues. ADDR
other than loopback needs --token or --token-file. If the workbench
cannot listen, the daemon stops with an error.

Examples:
  feedvault daemon
  FEEDVAULT_LOG=debug feedvault daemon --db /srv/news/feedvault.db
  feedvault daemon --http 127.0.0.1:8080
  feedvault daemon --shard 2/4 --db /srv/news/shard2.db
`

func cmdDaemon(ctx context.Context, e *env, args []string) int {
	var (
		hf      *httpFlags
		token   string
		rules   func(string) *extractor.CompiledRules
		cfgPath string
		p       *pipeline.Pipeline
	)
	metrics := web.NewMetrics(true, func() int { return p.PagesInFlight() })
	hooks := writerHooks{
		flags: func(fs *flag.FlagSet) {
			hf = addHTTPFlags(fs, "http", "", "also serve the workbench and /metrics on this address, e.g. 127.0.0.1:8080")
		},
		before: func(cfg *config.Config, popt *pipeline.Options) error {
			if *hf.addr == "" {
				return nil
			}
			var err error
			if token, err = hf.resolve(); err != nil {
				return fmt.Errorf("daemon: %w", err)
			}
			m, err := outletRules(cfg)
			if err != nil {
				return err
			}
			rules = func(o string) *extractor.CompiledRules { return m[o] }
			cfgPath = cfg.Path
			popt.Metrics = metrics
			return nil
		},
	}
	s, pl, dbPath, serr := startWriter(ctx, e, "daemon", daemonHelp, args, hooks)
	if serr != nil {
		return fail(e, serr)
	}
	p = pl
	e.log.Info("daemon started", "db", dbPath)
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	wbErr := make(chan error, 1)
	if *hf.addr != "" {
		go func() {
			err := serveWorkbench(dctx, e.log, dbPath, *hf.addr, token, cfgPath, rules, metrics)
			if err != nil && dctx.Err() == nil {
				stop() // the daemon was asked to serve: it does not go on without
			}
			wbErr <- err
		}()
	} else {
		wbErr <- nil
	}
	p.Daemon(dctx) // returns once every poll has stopped
	stop()
	werr := <-wbErr
	if err := s.close(); err != nil {
		return fail(e, err)
	}
	if werr != nil && ctx.Err() == nil {
		return fail(e, werr)
	}
	e.log.Info("daemon stopped cleanly")
	return exitOK
}
