// A running daemon's outlets replaced (a config reloaded), and its one
// log line per cycle.

package pipeline

import (
	"sync"
	"time"
)

// SetOutlets replaces the outlets the pipeline polls, as a reloaded
// config gives them. Polls already running keep the outlet they started
// with; hosts whose politeness limits are new or changed get them.
func (p *Pipeline) SetOutlets(outlets []Outlet) {
	old := p.outlets()
	oldFeeds := map[string]bool{}
	type limits struct {
		conns int
		delay time.Duration
	}
	oldLimits := map[string]limits{}
	for _, o := range old {
		for _, f := range o.Feeds {
			oldFeeds[f] = true
			if o.PerHostConns > 0 || o.PerHostDelay > 0 {
				oldLimits[hostOf(f)] = limits{o.PerHostConns, o.PerHostDelay}
			}
		}
	}
	added, kept := 0, 0
	for _, o := range outlets {
		for _, f := range o.Feeds {
			if oldFeeds[f] {
				kept++
			} else {
				added++
			}
			// A host's limits are set again only when they changed: setting
			// them starts the host afresh (its slots and spacing).
			if l := (limits{o.PerHostConns, o.PerHostDelay}); (l.conns > 0 || l.delay > 0) && oldLimits[hostOf(f)] != l {
				p.fc.SetHostLimits(hostOf(f), o.PerHostConns, o.PerHostDelay)
				oldLimits[hostOf(f)] = l
			}
		}
	}
	p.mu.Lock()
	p.opt.Outlets = outlets
	p.mu.Unlock()
	p.log.Info("config reloaded", "outlets", len(outlets), "feeds", added+kept, "added", added, "removed", len(oldFeeds)-kept)
}

// outlets are the outlets polled now. The slice is replaced, never
// changed, so it may be read after the lock is let go.
func (p *Pipeline) outlets() []Outlet {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.opt.Outlets
}

// cycle sums what the daemon did since its last cycle line.
type cycle struct {
	mu    sync.Mutex
	rep   Report
	start time.Time
}

func (c *cycle) add(r Report) {
	c.mu.Lock()
	c.rep.add(r)
	c.mu.Unlock()
}

// take returns the sums and the cycle's length, and starts the next.
func (c *cycle) take(now time.Time) (Report, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, d := c.rep, now.Sub(c.start)
	c.rep, c.start = Report{}, now
	return r, d
}

// cycleEvery is how often the daemon logs its cycle line: Options.CycleLog,
// else the shortest outlet interval.
func (p *Pipeline) cycleEvery() time.Duration {
	if p.opt.CycleLog > 0 {
		return p.opt.CycleLog
	}
	d := time.Duration(0)
	for _, o := range p.outlets() {
		if o.Interval > 0 && (d == 0 || o.Interval < d) {
			d = o.Interval
		}
	}
	if d <= 0 {
		d = 15 * time.Minute
	}
	return d
}

func (p *Pipeline) logCycle(c *cycle) {
	r, d := c.take(time.Now())
	p.log.Info("poll cycle", "feeds_polled", r.Feeds, "failed", r.FeedsFailed, "not_modified", r.NotModified,
		"skipped", r.FeedsSkipped, "new", r.New, "updated", r.Updated, "pages_failed", r.PagesFailed,
		"not_archived", r.NotArchived, "duration", d.Round(time.Second))
}
