// Package pipeline is the one place that knows the fetcher, the extractor
// and the store. It turns feed items into fetch jobs, fetched pages into
// extractor input, and extractor results into archived articles. It owns
// every goroutine it starts; all of them stop when the context is
// cancelled, and each call returns only after its goroutines have ended.
package pipeline

import (
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// Outlet is one configured outlet, as the pipeline needs it.
type Outlet struct {
	Name     string
	Language string
	Feeds    []string
	Interval time.Duration
	Robots   bool // obey robots.txt for its article pages
	Rules    *extractor.CompiledRules
	// Politeness toward the hosts of its feeds; zero means the fetcher's defaults.
	PerHostConns int
	PerHostDelay time.Duration
}

// Options tune the pipeline.
type Options struct {
	Outlets         []Outlet
	MaxItemsPerPoll int
	MaxFeedBytes    int64
	MaxPageBytes    int64
	FeedWorkers     int // feeds polled at once (default 8)
	PageWorkers     int // page fetches at once, across feeds (default 8)
	MaxBackoff      time.Duration
	Logger          *slog.Logger
	Metrics         Metrics  // nil: none
	Progress        Progress // nil: none (progress.go)
	// CycleLog is how often the daemon logs its one line about the polls
	// since the last (0: the shortest outlet interval).
	CycleLog time.Duration
}

// Pipeline archives the configured outlets into a store.
type Pipeline struct {
	st     *store.Store
	fc     *fetcher.Client
	mu     sync.RWMutex // guards opt.Outlets, replaced on a reload (reload.go)
	opt    Options
	log    *slog.Logger
	pages  chan struct{}   // page-fetch slots
	budget *fetcher.Budget // the fetcher's memory budget, for the work on its bodies (budget.go)
	now    func() time.Time
}

// New wires a pipeline. The caller owns st and fc.
func New(st *store.Store, fc *fetcher.Client, opt Options) *Pipeline {
	if opt.FeedWorkers <= 0 {
		opt.FeedWorkers = 8
	}
	if opt.PageWorkers <= 0 {
		opt.PageWorkers = 8
	}
	if opt.MaxItemsPerPoll <= 0 {
		opt.MaxItemsPerPoll = 200
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 6 * time.Hour
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = noMetrics{}
	}
	if opt.Progress == nil {
		opt.Progress = noProgress{}
	}
	p := &Pipeline{st: st, fc: fc, opt: opt, log: opt.Logger.With("component", "pipeline"),
		pages: make(chan struct{}, opt.PageWorkers), now: time.Now, budget: fc.Budget()}
	for _, o := range opt.Outlets {
		if !o.Robots {
			p.log.Info("robots.txt is ignored for this outlet, as feeds.yaml says", "outlet", o.Name)
		}
		if o.PerHostConns > 0 || o.PerHostDelay > 0 {
			for _, f := range o.Feeds {
				fc.SetHostLimits(hostOf(f), o.PerHostConns, o.PerHostDelay)
			}
		}
	}
	return p
}

// Report sums up a pass.
type Report struct {
	Feeds        int // feeds polled
	FeedsFailed  int
	FeedsSkipped int // held back by Retry-After
	NotModified  int
	Items        int // items read from feeds
	New          int // articles archived for the first time
	Updated      int // articles fetched again (earlier fetch had failed)
	PagesFailed  int // articles archived from the feed alone; the page will be retried
	Revised      int // articles edited since first seen: a revision kept
	NotArchived  int // items the store failed to archive; their feed is read again
	Known        int // items listed that were archived before (coverage)
	// ArchiveError is the first store error behind NotArchived (a full
	// disk, a damaged archive), for the summary.
	ArchiveError string `json:",omitempty"`
}

func (r *Report) add(o Report) {
	r.Feeds += o.Feeds
	r.FeedsFailed += o.FeedsFailed
	r.FeedsSkipped += o.FeedsSkipped
	r.NotModified += o.NotModified
	r.Items += o.Items
	r.New += o.New
	r.Updated += o.Updated
	r.PagesFailed += o.PagesFailed
	r.Revised += o.Revised
	r.Known += o.Known
	r.NotArchived += o.NotArchived
	if r.ArchiveError == "" {
		r.ArchiveError = o.ArchiveError
	}
}

type feedJob struct {
	outlet *Outlet
	url    string
}

func (p *Pipeline) jobs() []feedJob {
	var out []feedJob
	outlets := p.outlets()
	for i := range outlets {
		o := &outlets[i]
		for _, f := range o.Feeds {
			out = append(out, feedJob{o, f})
		}
	}
	return out
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	return d - d/10 + rand.N(d/5+1)
}

func hostOf(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.ToLower(pu.Hostname())
}

// outletsByName maps outlet names to their configuration.
func (p *Pipeline) outletsByName() map[string]*Outlet {
	m := map[string]*Outlet{}
	outlets := p.outlets()
	for i := range outlets {
		m[outlets[i].Name] = &outlets[i]
	}
	return m
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
