package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

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

On SIGHUP it reads its config file again and validates it. A valid one
is applied once the polls in progress end: new outlets and feeds are
polled (new feeds at once), removed ones no more, changed extract rules,
intervals and politeness apply from the next poll. The defaults timeout,
user_agent, concurrency, max_items_per_poll, max_feed_bytes and
max_page_bytes need a restart (a reload that changes them says so). An invalid file changes nothing: the daemon logs each
problem (file:line:column: field: what) and goes on with the config it
has. Each cycle (the shortest outlet interval) it logs one info line:
feeds polled, failed, new articles, and the cycle's length.

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
  kill -HUP $(pidof feedvault)     # after editing feeds.yaml
  feedvault daemon --shard 2/4 --db /srv/news/shard2.db
`

func cmdDaemon(ctx context.Context, e *env, args []string) int {
	var (
		hf       *httpFlags
		ln       net.Listener // --http's, taken before the archive
		token    string
		rules    func(string) *extractor.CompiledRules
		cfgPath  string
		p        *pipeline.Pipeline
		logEvery *time.Duration
	)
	metrics := web.NewMetrics(true, func() int { return p.PagesInFlight() })
	hooks := writerHooks{
		flags: func(fs *flag.FlagSet) {
			hf = addHTTPFlags(fs, "http", "", "also serve the workbench and /metrics on this address, e.g. 127.0.0.1:8080")
			logEvery = fs.Duration("log-every", 0, "log the cycle line (feeds polled, failed, new articles) this often (default: the shortest outlet interval)")
		},
		before: func(cfg *config.Config, popt *pipeline.Options) error {
			if *logEvery < 0 {
				return fmt.Errorf("daemon: --log-every %s: give a positive duration such as 15m", *logEvery)
			}
			popt.CycleLog = *logEvery
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
			// The address first: one in use stops the daemon before it
			// takes the archive and polls, not after.
			if ln, err = web.Listen(*hf.addr); err != nil {
				return fmt.Errorf("daemon: --http: %w", err)
			}
			return nil
		},
	}
	s, pl, dbPath, serr := startWriter(ctx, e, "daemon", daemonHelp, args, hooks)
	if serr != nil {
		if ln != nil {
			ln.Close()
		}
		return fail(e, serr)
	}
	p = pl
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	reloads, reloaderDone := watchHUP(dctx, e, s.cfgPath, s.defaults, s.shard)
	defer func() { stop(); <-reloaderDone }()
	e.log.Info("daemon started", "db", dbPath, "config", s.cfgPath, "pid", os.Getpid())
	wbErr := make(chan error, 1)
	if *hf.addr != "" {
		go func() {
			err := serveWorkbench(dctx, e.log, dbPath, ln, token, cfgPath, rules, metrics)
			if err != nil && dctx.Err() == nil {
				stop() // the daemon was asked to serve: it does not go on without
			}
			wbErr <- err
		}()
	} else {
		wbErr <- nil
	}
	p.DaemonReloading(dctx, reloads) // returns once every poll has stopped
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

// watchHUP reads the config at cfgPath again on each SIGHUP until ctx
// ends, and sends the outlets of a valid one on the channel it returns.
// An invalid one is logged, problem by problem, and changes nothing. A
// sharded daemon keeps to its shard of the new file's feeds. done is
// closed when it has stopped.
func watchHUP(ctx context.Context, e *env, cfgPath string, running config.Settings, shard config.Shard) (<-chan []pipeline.Outlet, <-chan struct{}) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	out := make(chan []pipeline.Outlet)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
			}
			e.log.Info("SIGHUP: reading the config again", "config", cfgPath)
			cfg, outlets, err := reloadOutlets(cfgPath, shard)
			if err != nil {
				logConfigError(e, cfgPath, err)
				continue
			}
			if stale := restartOnly(running, cfg.Defaults); len(stale) > 0 {
				e.log.Warn("these defaults changed, and apply only after a restart", "config", cfgPath, "fields", strings.Join(stale, ","))
			}
			select {
			case out <- outlets:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, done
}

// reloadOutlets loads and validates the config, and compiles the rules
// of the shard's outlets.
func reloadOutlets(cfgPath string, shard config.Shard) (*config.Config, []pipeline.Outlet, error) {
	// A FIFO (or a device) would keep the reload waiting for a writer,
	// and the daemon with it when it is told to stop.
	if fi, err := os.Stat(cfgPath); err == nil && !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("config: %s is not a regular file (%s): a reload reads the file again; point --config at a file", cfgPath, fileKind(fi.Mode()))
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return nil, nil, err
	}
	popt, _, err := pipelineOptions(cfg.ForShard(shard))
	if err != nil {
		return nil, nil, err
	}
	return cfg, popt.Outlets, nil
}

// restartOnly names the defaults that differ between the running config
// and a reloaded one and that a reload does not apply: they shape the
// HTTP client and the pipeline's caps, made once at start. (interval,
// robots and the per-host limits apply: outlets carry them.)
func restartOnly(running, next config.Settings) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"timeout", running.Timeout == next.Timeout},
		{"user_agent", running.UserAgent == next.UserAgent},
		{"concurrency", running.Concurrency == next.Concurrency},
		{"max_items_per_poll", running.MaxItemsPerPoll == next.MaxItemsPerPoll},
		{"max_feed_bytes", running.MaxFeedBytes == next.MaxFeedBytes},
		{"max_page_bytes", running.MaxPageBytes == next.MaxPageBytes},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// logConfigError logs each problem of a config that did not load.
func logConfigError(e *env, cfgPath string, err error) {
	var ce *config.Error
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			e.log.Error("config reload failed; keeping the running config", "config", cfgPath, "problem", p)
		}
		return
	}
	e.log.Error("config reload failed; keeping the running config", "config", cfgPath, "err", err)
}

// fileKind names a file's type for messages.
func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "not a plain file"
}
