// RunOnce, Daemon and the per-feed schedule: when a feed is polled next.

package pipeline

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/feedvault/feedvault/feedparse"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// RunOnce polls every feed once (those held back by a server's
// Retry-After excepted), archives what is new, and returns when all of it
// is done or ctx ends.
func (p *Pipeline) RunOnce(ctx context.Context) Report {
	var (
		mu    sync.Mutex
		total Report
		slots = make(chan struct{}, p.opt.FeedWorkers)
	)
	// A long first crawl keeps the index fresh for queries meanwhile.
	flushDone := make(chan struct{})
	flushStopped := make(chan struct{})
	go func() {
		defer close(flushStopped)
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-flushDone:
				return
			case <-t.C:
				p.flush()
			}
		}
	}()
	defer func() { close(flushDone); <-flushStopped }()
	jobs := p.jobs()
	p.opt.Progress.Total(len(jobs))
	each(ctx, slots, len(jobs), func(i int) {
		r := p.PollFeed(ctx, jobs[i].outlet, jobs[i].url, true)
		p.opt.Progress.Done(1)
		mu.Lock()
		total.add(r)
		mu.Unlock()
	})
	if ctx.Err() == nil {
		total.add(p.RetryPending(ctx, 200))
	}
	if ctx.Err() == nil {
		total.add(p.RefetchDue(ctx, 500))
	}
	p.flush()
	return total
}

// flush moves newly archived articles' words into the index. Queries
// find them before that too; the index only makes them fast.
func (p *Pipeline) flush() {
	if n, err := p.st.FlushIndex(0); err != nil {
		p.log.Error("index flush", "err", err)
	} else if n > 0 {
		p.log.Debug("indexed", "articles", n)
	}
}

// Daemon polls each feed on its own schedule until ctx ends. A feed's
// next poll, backoff and Retry-After are kept in the archive, so a
// restarted daemon picks up where it left off.
func (p *Pipeline) Daemon(ctx context.Context) { p.DaemonReloading(ctx, nil) }

// DaemonReloading is Daemon, taking new outlets from reload (a config
// read again on SIGHUP). On a reload the feed loops finish the polls they
// are in and stop, the outlets are replaced, and the loops start again
// over the new ones: a feed kept is polled when it was due (its schedule
// is in the archive), a new feed at once, a removed one no more. Once
// per cycle (Options.CycleLog) it logs one info line: feeds polled,
// failed, new articles, over how long.
func (p *Pipeline) DaemonReloading(ctx context.Context, reload <-chan []Outlet) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, p.opt.FeedWorkers)
	cyc := &cycle{start: time.Now()}
	wg.Add(1)
	go func() {
		defer wg.Done()
		retry := time.NewTicker(5 * time.Minute)
		defer retry.Stop()
		refetch := time.NewTicker(time.Minute)
		defer refetch.Stop()
		index := time.NewTicker(10 * time.Second)
		defer index.Stop()
		logT := time.NewTicker(p.cycleEvery())
		defer logT.Stop()
		for {
			select {
			case <-ctx.Done():
				p.flush()
				return
			case <-retry.C:
				cyc.add(p.RetryPending(ctx, 200))
			case <-refetch.C:
				cyc.add(p.RefetchDue(ctx, 500))
			case <-index.C:
				p.flush()
			case <-logT.C:
				p.logCycle(cyc)
			}
		}
	}()
	defer wg.Wait()
	for {
		stop := make(chan struct{})
		var loops sync.WaitGroup
		for _, j := range p.jobs() {
			loops.Add(1)
			go func() {
				defer loops.Done()
				p.feedLoop(ctx, stop, j, slots, cyc)
			}()
		}
		select {
		case <-ctx.Done():
			loops.Wait()
			return
		case outlets := <-reload:
			close(stop)
			loops.Wait() // the polls in progress end first
			p.SetOutlets(outlets)
		}
	}
}

func (p *Pipeline) feedLoop(ctx context.Context, stop <-chan struct{}, j feedJob, slots chan struct{}, cyc *cycle) {
	for {
		st, err := p.st.Feed(j.url)
		if err != nil {
			p.log.Error("read feed state", "feed", j.url, "err", err)
			st = &store.FeedState{URL: j.url}
		}
		wait := time.Until(st.NextPoll)
		if !st.NextPoll.IsZero() && wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-stop:
				t.Stop()
				return
			case <-t.C:
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		case <-stop:
			return
		}
		cyc.add(p.PollFeed(ctx, j.outlet, j.url, false))
		<-slots
		if ctx.Err() != nil {
			return
		}
	}
}

// succeedFeed records a good poll and schedules the next one. The
// interval adapts between a quarter and four times the outlet's interval:
// shorter after a poll that brought new items, longer after one that did
// not. A feed's <ttl> is a floor, and its skipHours/skipDays are honoured.
func (p *Pipeline) succeedFeed(st *store.FeedState, o *Outlet, now time.Time, gotNew bool, feed *feedparse.Feed) {
	st.LastSuccess = now
	st.LastError, st.ErrorClass = "", ""
	st.ConsecutiveFailures = 0
	cur := time.Duration(st.Interval)
	if cur <= 0 {
		cur = o.Interval
	}
	lo, hi := max(o.Interval/4, time.Minute), min(o.Interval*4, 24*time.Hour)
	if gotNew {
		cur = cur * 7 / 10
	} else {
		cur = cur * 13 / 10
	}
	cur = min(max(cur, lo), hi)
	if feed != nil && feed.TTL > cur {
		cur = min(feed.TTL, 24*time.Hour)
	}
	st.Interval = store.Duration(cur)
	next := now.Add(jitter(cur))
	if feed != nil {
		next = skipTimes(next, feed.SkipHours, feed.SkipDays)
	}
	st.NextPoll = next
}

// skipTimes moves t forward, hour by hour, out of the hours (GMT) and
// days a feed asks not to be polled in.
func skipTimes(t time.Time, hours []int, days []time.Weekday) time.Time {
	if len(hours) == 0 && len(days) == 0 {
		return t
	}
	skipH := map[int]bool{}
	for _, h := range hours {
		skipH[h] = true
	}
	skipD := map[time.Weekday]bool{}
	for _, d := range days {
		skipD[d] = true
	}
	for i := 0; i < 8*24; i++ {
		u := t.UTC()
		if !skipH[u.Hour()] && !skipD[u.Weekday()] {
			return t
		}
		t = u.Truncate(time.Hour).Add(time.Hour)
	}
	return t // every hour skipped: the hint is nonsense, poll anyway
}

func (p *Pipeline) failFeed(st *store.FeedState, o *Outlet, err error, now time.Time) {
	st.ConsecutiveFailures++
	st.LastError = err.Error()
	st.ErrorClass = classify(err)
	var fe *fetcher.Error
	if errors.As(err, &fe) {
		st.LastStatus = fe.Status
		if fe.RetryAfter > 0 {
			st.HoldUntil = now.Add(fe.RetryAfter)
		}
	}
	// Exponential backoff, capped; never disabled for good.
	back := o.Interval
	for i := 1; i < st.ConsecutiveFailures && back < p.opt.MaxBackoff; i++ {
		back *= 2
	}
	back = min(back, p.opt.MaxBackoff)
	st.NextPoll = now.Add(jitter(back))
	if st.HoldUntil.After(st.NextPoll) {
		st.NextPoll = st.HoldUntil
	}
}

// classify names the class of a feed failure for feedvault feeds.
func classify(err error) string {
	var fe *fetcher.Error
	switch {
	case errors.As(err, &fe):
		return string(fe.Class)
	case errors.Is(err, feedparse.ErrNotFeed):
		return "not_feed"
	case errors.Is(err, feedparse.ErrParse):
		return "parse"
	}
	return "other"
}
