package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/pipeline"
	"github.com/feedvault/feedvault/store"
)

// session is an archive held read-write, with its read socket served.
type session struct {
	dbPath   string
	cfgPath  string          // the config run and daemon loaded
	defaults config.Settings // its defaults, as running
	shard    config.Shard    // the feeds it polls (zero: all)
	st       *store.Store
	cancel   context.CancelFunc
	done     chan error
}

// openWriter takes the archive read-write, or fails at once with a busy
// message naming the holder. It then serves reads on the socket.
func openWriter(ctx context.Context, e *env, dbPath, mode string, ops map[string]archiveapi.Op) (*session, error) {
	st, err := store.Open(dbPath, store.Options{Timeout: 200 * time.Millisecond, Logger: e.log})
	if errors.Is(err, store.ErrBusy) {
		return nil, busyError(ctx, dbPath)
	}
	if err != nil {
		return nil, err
	}
	srv, err := archiveapi.ListenLimits(st, dbPath, mode, ops, archiveapi.DefaultLimits(), e.log.With("component", "socket"))
	if err != nil {
		st.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &session{st: st, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- srv.Serve(sctx) }()
	return s, nil
}

// close stops serving reads, then closes the archive.
func (s *session) close() error {
	s.cancel()
	serr := <-s.done
	if err := s.st.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return serr
}

func busyError(ctx context.Context, dbPath string) error {
	if r, err := archiveapi.Dial(ctx, dbPath); err == nil {
		defer r.Close()
		if st, err := r.Status(ctx); err == nil {
			return fmt.Errorf("busy: %s is held by feedvault %s (pid %d, since %s); not starting a second writer: queries and maintenance commands go through it; to run this, stop it first (kill -TERM %d)",
				dbPath, st.Mode, st.PID, st.Started.Format(time.RFC3339), st.PID)
		}
	}
	return heldByOther(dbPath, "not starting a second writer; try again when it ends")
}

// pipelineOptions turns the validated config into the pipeline's typed values.
func pipelineOptions(cfg *config.Config) (pipeline.Options, fetcher.Options, error) {
	d := cfg.Defaults
	opt := pipeline.Options{
		MaxItemsPerPoll: d.MaxItemsPerPoll,
		MaxFeedBytes:    d.MaxFeedBytes,
		MaxPageBytes:    d.MaxPageBytes,
		FeedWorkers:     d.Concurrency,
		PageWorkers:     d.Concurrency,
	}
	for _, o := range cfg.Outlets {
		rules, err := extractor.Compile(extractor.Rules{Content: o.Extract.Content, Remove: o.Extract.Remove})
		if err != nil {
			return opt, fetcher.Options{}, fmt.Errorf("%s:%d: outlet %s: %w", cfg.Path, o.Line, o.Name, err)
		}
		opt.Outlets = append(opt.Outlets, pipeline.Outlet{
			Name: o.Name, Language: o.Language, Feeds: o.Feeds, Interval: o.Interval, Robots: o.Robots, Rules: rules,
			PerHostConns: o.PerHostConns, PerHostDelay: o.PerHostDelay,
		})
	}
	fo := fetcher.Options{
		UserAgent:    d.UserAgent,
		Timeout:      d.Timeout,
		PerHostConns: d.PerHostConns,
		PerHostDelay: d.PerHostDelay,
		Budget:       fetcher.NewBudget(d.MemoryBudget),
	}
	return opt, fo, nil
}

// writerHooks let a command add to startWriter: flags of its own, and a
// look at the config and pipeline options before the archive is opened
// (an error there ends the command).
type writerHooks struct {
	flags  func(fs *flag.FlagSet)
	before func(cfg *config.Config, popt *pipeline.Options) error
}

// startWriter is what run and daemon share: their flags, the config, the
// archive held read-write with its socket served, and the pipeline.
// An error ends the command (see fail).
func startWriter(ctx context.Context, e *env, name, help string, args []string, hooks ...writerHooks) (s *session, p *pipeline.Pipeline, dbPath string, err error) {
	fs := newFlags(e, name, help)
	cfgPath := addConfigFlag(fs)
	db := fs.String("db", defaultDB(), "archive file (created if missing)")
	shardSpec := addShardFlag(fs, "poll only shard k of N of the feeds, e.g. 2/4, into that shard's archive")
	for _, h := range hooks {
		if h.flags != nil {
			h.flags(fs)
		}
	}
	pos, err := parseFlags(e, fs, args)
	if err != nil {
		return nil, nil, "", err
	}
	if len(pos) > 0 {
		return nil, nil, "", fmt.Errorf("%s: unexpected argument %q", name, pos[0])
	}
	sh, dbp, err := shardFlags(fs, *shardSpec, *db)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", name, err)
	}
	*db = dbp
	cfg, err := loadConfig(*cfgPath, *db)
	if err != nil {
		return nil, nil, "", err
	}
	popt, fopt, err := pipelineOptions(cfg.ForShard(sh))
	if err != nil {
		return nil, nil, "", err
	}
	setMemoryLimit(cfg.Defaults.MemoryBudget)
	for _, h := range hooks {
		if h.before != nil {
			if err := h.before(cfg, &popt); err != nil {
				return nil, nil, "", err
			}
		}
	}
	s, err = openWriter(ctx, e, *db, name, maintenanceOps(cfg))
	if err != nil {
		return nil, nil, "", err
	}
	if err := s.st.ClaimShard(sh.String()); err != nil {
		s.close()
		return nil, nil, "", err
	}
	if !sh.IsZero() {
		feeds := 0
		for _, o := range popt.Outlets {
			feeds += len(o.Feeds)
		}
		e.log.Info("polling one shard of the feeds", "shard", sh.String(), "feeds", feeds, "db", *db)
	}
	s.dbPath, s.cfgPath, s.defaults, s.shard = *db, cfg.Path, cfg.Defaults, sh
	fopt.Logger = e.log.With("component", "fetcher")
	popt.Logger = e.log
	return s, pipeline.New(s.st, fetcher.New(fopt), popt), *db, nil
}
