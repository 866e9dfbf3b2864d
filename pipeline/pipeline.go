// Package pipeline is the one place that knows the fetcher, the extractor
// and the store. It turns feed items into fetch jobs, fetched pages into
// extractor input, and extractor results into archived articles. It owns
// every goroutine it starts; all of them stop when the context is
// cancelled, and each call returns only after its goroutines have ended.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/feedvault/feedvault/canon"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/feedparse"
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
}

// Pipeline archives the configured outlets into a store.
type Pipeline struct {
	st    *store.Store
	fc    *fetcher.Client
	opt   Options
	log   *slog.Logger
	pages chan struct{} // page-fetch slots
	now   func() time.Time
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
	p := &Pipeline{st: st, fc: fc, opt: opt, log: opt.Logger.With("component", "pipeline"),
		pages: make(chan struct{}, opt.PageWorkers), now: time.Now}
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
	Known        int // items listed that were archived before (coverage)
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
}

type feedJob struct {
	outlet *Outlet
	url    string
}

func (p *Pipeline) jobs() []feedJob {
	var out []feedJob
	for i := range p.opt.Outlets {
		o := &p.opt.Outlets[i]
		for _, f := range o.Feeds {
			out = append(out, feedJob{o, f})
		}
	}
	return out
}

// RunOnce polls every feed once (those held back by a server's
// Retry-After excepted), archives what is new, and returns when all of it
// is done or ctx ends.
func (p *Pipeline) RunOnce(ctx context.Context) Report {
	var (
		mu    sync.Mutex
		total Report
		wg    sync.WaitGroup
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
	for _, j := range p.jobs() {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			r := p.PollFeed(ctx, j.outlet, j.url, true)
			mu.Lock()
			total.add(r)
			mu.Unlock()
		}()
	}
	wg.Wait()
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
func (p *Pipeline) Daemon(ctx context.Context) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, p.opt.FeedWorkers)
	wg.Add(1)
	go func() {
		defer wg.Done()
		retry := time.NewTicker(5 * time.Minute)
		defer retry.Stop()
		refetch := time.NewTicker(time.Minute)
		defer refetch.Stop()
		index := time.NewTicker(10 * time.Second)
		defer index.Stop()
		for {
			select {
			case <-ctx.Done():
				p.flush()
				return
			case <-retry.C:
				p.RetryPending(ctx, 200)
			case <-refetch.C:
				p.RefetchDue(ctx, 500)
			case <-index.C:
				p.flush()
			}
		}
	}()
	for _, j := range p.jobs() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.feedLoop(ctx, j, slots)
		}()
	}
	wg.Wait()
}

func (p *Pipeline) feedLoop(ctx context.Context, j feedJob, slots chan struct{}) {
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
			case <-t.C:
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		p.PollFeed(ctx, j.outlet, j.url, false)
		<-slots
		if ctx.Err() != nil {
			return
		}
	}
}

// PollFeed polls one feed and archives its new items. With respectHold
// false it still honours Retry-After (NextPoll covers that in the daemon).
func (p *Pipeline) PollFeed(ctx context.Context, o *Outlet, feedURL string, respectHold bool) Report {
	log := p.log.With("outlet", o.Name, "feed", feedURL)
	now := p.now().UTC()
	st, err := p.st.Feed(feedURL)
	if err != nil {
		log.Error("read feed state", "err", err)
		return Report{FeedsFailed: 1}
	}
	st.Outlet = o.Name
	if respectHold && st.HoldUntil.After(now) {
		log.Info("skipping: server asked us to wait", "until", st.HoldUntil.Format(time.RFC3339))
		return Report{FeedsSkipped: 1}
	}
	rep := Report{Feeds: 1}
	start := time.Now()
	defer func() {
		if ctx.Err() != nil && rep.Feeds == 0 {
			return
		}
		ev := store.Event{Time: now, Status: st.LastStatus, Items: rep.Items, New: rep.New, Duration: store.Duration(time.Since(start).Round(time.Millisecond))}
		if rep.FeedsFailed > 0 {
			ev.Class, ev.Error = st.ErrorClass, st.LastError
		}
		st.AddEvent(ev)
		p.saveFeed(st, log)
		p.recordPoll(st, ev, rep, log)
	}()
	feedHost := hostOf(feedURL)
	resp, err := p.fc.Get(ctx, fetcher.Request{
		URL: feedURL, ETag: st.ETag, LastModified: st.LastModified, MaxBytes: p.opt.MaxFeedBytes,
		Accept:  "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
		Trusted: []string{feedHost},
	})
	st.LastPoll = now
	if err != nil {
		if ctx.Err() != nil {
			rep = Report{} // shutting down: not the feed's fault
			return rep
		}
		p.failFeed(st, o, err, now)
		log.Warn("feed failed", "class", st.ErrorClass, "err", err)
		rep.FeedsFailed = 1
		return rep
	}
	st.LastStatus = resp.Status
	if resp.NotModified {
		rep.NotModified = 1
		p.succeedFeed(st, o, now, false, nil)
		log.Debug("not modified")
		return rep
	}
	sum := sha256.Sum256(resp.Body)
	hash := hex.EncodeToString(sum[:])
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	if hash == st.BodyHash && st.LastError == "" {
		// The server ignored our validators but sent the same bytes.
		rep.NotModified = 1
		p.succeedFeed(st, o, now, false, nil)
		return rep
	}
	feed, err := feedparse.ParseCapped(resp.Body, resp.ContentType, p.opt.MaxItemsPerPoll)
	if err != nil {
		if errors.Is(err, feedparse.ErrNotFeed) && isChallenge(resp) {
			err = &fetcher.Error{Class: fetcher.ClassBlocked, URL: resp.URL, Status: resp.Status, Err: errors.New("the server answered with a bot challenge page")}
		}
		p.failFeed(st, o, err, now)
		log.Warn("feed failed", "class", st.ErrorClass, "err", err)
		rep.FeedsFailed = 1
		return rep
	}
	st.BodyHash = hash
	items := feed.Items
	st.LastItems = feed.TotalItems
	st.Truncated = feed.TotalItems - len(items)
	if st.Truncated > 0 {
		log.Warn("feed has more items than max_items_per_poll; took the first ones", "items", feed.TotalItems, "taken", len(items))
	}
	rep.Items = len(items)

	// Archive items concurrently, bounded by the page slots.
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		seen int
	)
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, known := p.archiveItem(ctx, o, feedURL, feedHost, it, log)
			mu.Lock()
			rep.add(r)
			if known {
				seen++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	rep.Known = seen
	st.LastNew = rep.New
	st.Articles += rep.New
	if ctx.Err() != nil {
		// Interrupted: keep the validators of the last complete poll so
		// the next poll fetches the feed again and finishes the job.
		st.BodyHash, st.ETag, st.LastModified = "", "", ""
	}
	gap := seen == 0 && len(items) > 0 && !st.LastSuccess.IsZero()
	failuresBefore := st.ConsecutiveFailures
	if gap {
		log.Warn("possible gap: no item of this poll was seen before; polling sooner", "items", len(items))
	}
	p.succeedFeed(st, o, now, rep.New > 0, feed)
	if gap {
		st.NextPoll = now.Add(o.Interval / 4)
	}
	if st.Truncated > 0 {
		// Not a failure, but the researcher must know items were left out.
		st.LastError = fmt.Sprintf("feed lists %d items; took the first %d (max_items_per_poll)", feed.TotalItems, len(items))
		st.ErrorClass = "truncated"
	}
	if feed.Problem != "" {
		// Damaged, but what could be read was archived: record the damage.
		// It counts as a failure, without backoff: the feed does give items.
		st.LastError, st.ErrorClass = "feedparse: "+feed.Problem, "parse"
		st.ConsecutiveFailures = failuresBefore + 1
		rep.FeedsFailed = 1
		log.Warn("feed is damaged; archived the readable items", "problem", feed.Problem)
	}
	return rep
}

// isChallenge reports a bot-challenge interstitial (Cloudflare and the
// like) served where a feed was expected.
func isChallenge(resp *fetcher.Response) bool {
	res, err := extractor.Extract(extractor.Input{Body: resp.Body, ContentType: resp.ContentType, URL: resp.URL})
	return err == nil && res.HasFlag(extractor.FlagChallenge)
}

func (p *Pipeline) saveFeed(st *store.FeedState, log *slog.Logger) {
	if err := p.st.PutFeed(st); err != nil {
		log.Error("save feed state", "err", err)
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

// archiveItem archives one feed item unless the archive already has it.
// known reports that it had been seen before.
func (p *Pipeline) archiveItem(ctx context.Context, o *Outlet, feedURL, feedHost string, it feedparse.Item, log *slog.Logger) (rep Report, known bool) {
	link := canon.URL(it.Link)
	if link == "" && it.GUID == "" {
		return rep, false
	}
	urls := []string{link, canon.Key(it.Link)}
	guids := []string{it.GUID}
	id, found, err := p.st.Find(o.Name, urls, guids)
	if err != nil {
		log.Error("lookup", "url", link, "err", err)
		return rep, false
	}
	if found {
		if err := p.st.Observe(id, feedURL, p.now().UTC()); err != nil {
			log.Error("observe", "url", link, "err", err)
		}
		if notFetched, err := p.st.NotFetched(id); err != nil || !notFetched {
			return rep, true
		}
		// The page failed before: try it again now.
	}
	select {
	case p.pages <- struct{}{}:
	case <-ctx.Done():
		return rep, found
	}
	defer func() { <-p.pages }()

	now := p.now().UTC()
	a := &store.Article{
		URL: link, Outlet: o.Name, Feed: feedURL, GUIDs: nonEmpty(it.GUID),
		Aliases: nonEmpty(canon.Key(it.Link)), Title: it.Title, Authors: it.Authors,
		Published: it.Published, Modified: it.Updated, FirstSeen: now, Summary: it.Summary,
		Tags: it.Categories, Language: o.Language,
	}
	hints := extractor.Hints{Title: it.Title, Authors: it.Authors, Published: it.Published, Language: o.Language}
	body, ferr := p.fetchInto(ctx, o, a, feedHost, hints, it.Content)
	if ferr != nil {
		if ctx.Err() != nil {
			return rep, found
		}
		log.Warn("page not fetched; archived what the feed says", "url", link, "err", ferr)
		rep.PagesFailed = 1
	}
	_, created, err := p.st.Put(a, body)
	if err != nil {
		log.Error("archive", "url", link, "err", err)
		rep.PagesFailed = 1
		return rep, found
	}
	if created || ferr == nil {
		p.fileStory(a, log)
	}
	switch {
	case created:
		rep.New = 1
	case ferr == nil:
		rep.Updated = 1
	}
	return rep, found
}

// fetchInto fetches the page of a, extracts it and fills a in. On
// failure it sets a.FetchError and, when the feed carried the article's
// HTML, keeps the text of that meanwhile. It returns the raw page.
func (p *Pipeline) fetchInto(ctx context.Context, o *Outlet, a *store.Article, feedHost string, hints extractor.Hints, feedHTML string) ([]byte, error) {
	raw, err := p.fetchPage(ctx, o, a.URL, feedHost)
	if err == nil {
		res := extractor.ExtractCompiled(extractor.Input{
			Body: raw.Body, ContentType: raw.ContentType, URL: raw.URL, Hints: hints,
		}, o.Rules)
		if res.HasFlag(extractor.FlagChallenge) {
			err = &fetcher.Error{Class: fetcher.ClassBlocked, URL: raw.URL, Status: raw.Status, Err: errors.New("the server answered with a bot challenge page")}
		} else {
			a.FetchError = ""
			applyResult(a, res, raw)
			return raw.Body, nil
		}
	}
	a.FetchError = err.Error()
	if feedHTML != "" && a.Text == "" {
		res := extractor.ExtractCompiled(extractor.Input{Body: []byte(feedHTML), ContentType: "text/html; charset=utf-8", URL: a.URL}, o.Rules)
		a.Text = res.Text
		a.Flags = append(a.Flags, "text_from_feed")
	}
	return nil, err
}

// outletsByName maps outlet names to their configuration.
func (p *Pipeline) outletsByName() map[string]*Outlet {
	m := map[string]*Outlet{}
	for i := range p.opt.Outlets {
		m[p.opt.Outlets[i].Name] = &p.opt.Outlets[i]
	}
	return m
}

// eachWithPage runs fn(i) for i in [0, n), each in its own goroutine
// holding a page-fetch slot, and returns when all have ended. It starts
// no more once ctx ends.
func (p *Pipeline) eachWithPage(ctx context.Context, n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case p.pages <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-p.pages }()
			fn(i)
		}()
	}
	wg.Wait()
}

// RetryPending fetches again, at most limit, the pages that failed
// before and are due (see store.Pending for the schedule).
func (p *Pipeline) RetryPending(ctx context.Context, limit int) Report {
	var rep Report
	due, err := p.st.DuePending(p.now().UTC(), limit)
	if err != nil {
		p.log.Error("pending pages", "err", err)
		return rep
	}
	outlets := p.outletsByName()
	var mu sync.Mutex
	p.eachWithPage(ctx, len(due), func(i int) {
		d := due[i]
		o := outlets[d.Outlet]
		if o == nil {
			return // the outlet left feeds.yaml
		}
		a, err := p.st.Get(d.ID)
		if err != nil || a.FetchError == "" {
			return
		}
		hints := extractor.Hints{Title: a.Title, Authors: a.Authors, Published: a.Published, Language: a.Language}
		body, ferr := p.fetchInto(ctx, o, a, hostOf(a.Feed), hints, "")
		if ferr != nil && ctx.Err() != nil {
			return
		}
		if _, _, err := p.st.Put(a, body); err != nil {
			p.log.Error("archive", "url", a.URL, "err", err)
			return
		}
		if ferr == nil {
			p.fileStory(a, p.log)
		}
		mu.Lock()
		defer mu.Unlock()
		if ferr != nil {
			rep.PagesFailed++
			p.log.Info("page still not fetched", "url", a.URL, "err", ferr, "attempt", d.Attempts+1)
		} else {
			rep.Updated++
			p.log.Info("page fetched on retry", "url", a.URL)
		}
	})
	return rep
}

// RefetchDue fetches again, at most limit, the articles whose re-fetch is
// due (1 h, 6 h, 24 h, 3 d and 7 d after first seen): a changed text,
// title or byline becomes a revision; a 404 or 410 marks the article
// taken down.
func (p *Pipeline) RefetchDue(ctx context.Context, limit int) Report {
	var rep Report
	due, err := p.st.DueRefetch(p.now().UTC(), limit)
	if err != nil {
		p.log.Error("refetch schedule", "err", err)
		return rep
	}
	outlets := p.outletsByName()
	var mu sync.Mutex
	p.eachWithPage(ctx, len(due), func(i int) {
		d := due[i]
		cur, err := p.st.Get(d.ID)
		if err != nil {
			return
		}
		o := outlets[cur.Outlet]
		res := store.RefetchResult{}
		if o != nil {
			fresh := *cur
			raw, ferr := p.fetchPage(ctx, o, cur.URL, hostOf(cur.Feed))
			var fe *fetcher.Error
			switch {
			case ferr == nil:
				r := extractor.ExtractCompiled(extractor.Input{Body: raw.Body, ContentType: raw.ContentType, URL: raw.URL}, o.Rules)
				if !r.HasFlag(extractor.FlagChallenge) {
					applyResult(&fresh, r, raw)
					res = store.RefetchResult{Status: raw.Status, Article: &fresh, Raw: raw.Body}
				}
			case errors.As(ferr, &fe) && (fe.Status == 404 || fe.Status == 410):
				res.Status = fe.Status
			case ctx.Err() != nil:
				return
			}
		}
		// An outlet gone from feeds.yaml, or a failed fetch: the stage
		// passes with no change.
		revised, err := p.st.Revise(d.ID, d.Stage, res)
		if err != nil {
			p.log.Error("revise", "id", d.ID, "err", err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if revised {
			rep.Revised++
			p.log.Info("article edited since first seen; revision kept", "url", cur.URL, "id", d.ID)
		}
		if res.Status == 404 || res.Status == 410 {
			p.log.Info("article taken down", "url", cur.URL, "id", d.ID, "status", res.Status)
		}
	})
	return rep
}

// ReextractReport sums up a re-extraction.
type ReextractReport struct {
	Articles int `json:"articles"` // re-extracted from their stored raw page
	Changed  int `json:"changed"`  // whose text changed
	NoRaw    int `json:"no_raw"`   // without a stored page (archived from the feed, or imported)
}

// Reextract runs the current extractor on the stored raw pages of the
// outlets' articles (all when outlets is empty), with no fetch, and
// records the extractor version. rules gives each outlet's compiled rules.
func Reextract(ctx context.Context, st *store.Store, rules map[string]*extractor.CompiledRules, outlets []string) (ReextractReport, error) {
	var (
		rep   ReextractReport
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
	)
	empty, _ := extractor.Compile(extractor.Rules{})
	jobs := make(chan *store.Article)
	for w := 0; w < runtime.GOMAXPROCS(0)*2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range jobs {
				changed, hasRaw, err := reextractOne(st, a, rules, empty)
				mu.Lock()
				switch {
				case err != nil && first == nil:
					first = err
				case !hasRaw:
					rep.NoRaw++
				default:
					rep.Articles++
					if changed {
						rep.Changed++
					}
				}
				mu.Unlock()
			}
		}()
	}
	err := st.ForEach(outlets, func(a *store.Article) error {
		select {
		case jobs <- a:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if err == nil {
		err = first
	}
	if err != nil {
		return rep, err
	}
	_, err = st.FlushIndex(0)
	return rep, err
}

func reextractOne(st *store.Store, a *store.Article, rules map[string]*extractor.CompiledRules, empty *extractor.CompiledRules) (changed, hasRaw bool, err error) {
	raw, err := st.Raw(a.ID)
	if err != nil {
		return false, false, nil
	}
	r := rules[a.Outlet]
	if r == nil {
		r = empty
	}
	res := extractor.ExtractCompiled(extractor.Input{Body: raw, ContentType: a.ContentType, URL: a.FinalURL,
		Hints: extractor.Hints{Title: a.Title, Authors: a.Authors, Published: a.Published, Language: a.Language}}, r)
	fresh := *a
	applyResult(&fresh, res, &fetcher.Response{Status: a.Status, URL: a.FinalURL, ContentType: a.ContentType, Fetched: a.Fetched})
	fresh.URL, fresh.Aliases = a.URL, a.Aliases // the article keeps its identity
	return fresh.Text != a.Text, true, st.Replace(&fresh)
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

// fetchPage fetches an article page, obeying robots.txt when the outlet does.
func (p *Pipeline) fetchPage(ctx context.Context, o *Outlet, link, feedHost string) (*fetcher.Response, error) {
	trusted := []string{feedHost}
	if o.Robots && !p.fc.Allowed(ctx, link, trusted) {
		return nil, &fetcher.Error{Class: fetcher.ClassRobots, URL: link, Err: errors.New("disallowed by robots.txt")}
	}
	return p.fc.Get(ctx, fetcher.Request{URL: link, MaxBytes: p.opt.MaxPageBytes, Trusted: trusted,
		Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"})
}

// applyResult copies an extraction into the article. The page's metadata
// wins over the feed's, field by field, where the page has it.
func applyResult(a *store.Article, res *extractor.Result, raw *fetcher.Response) {
	a.Text = res.Text
	if res.Title != "" {
		a.Title = res.Title
	}
	if len(res.Authors) > 0 {
		a.Authors = res.Authors
	}
	if !res.Published.IsZero() {
		a.Published = res.Published.UTC()
	}
	if !res.Modified.IsZero() {
		a.Modified = res.Modified.UTC()
	}
	if res.Language != "" {
		a.Language = res.Language
	}
	if len(res.Tags) > 0 {
		a.Tags = res.Tags
	}
	a.Description, a.Section, a.Image, a.Flags = res.Description, res.Section, res.Image, res.Flags
	a.Status, a.FinalURL, a.ContentType, a.Fetched = raw.Status, raw.URL, raw.ContentType, raw.Fetched
	if h := provenanceHeaders(raw); len(h) > 0 {
		a.Headers = h
	}
	a.ExtractorVersion = res.Version
	a.Aliases = append(a.Aliases, canon.URL(raw.URL), canon.Key(raw.URL))
	// The page's own rel=canonical, when on the same site, becomes the
	// article's URL; the feed's link stays an alias.
	if res.Canonical != "" && canon.SameSite(res.Canonical, raw.URL) {
		if c := canon.URL(res.Canonical); c != a.URL {
			a.Aliases = append(a.Aliases, a.URL, canon.Key(c))
			a.URL = c
		}
	}
}

// provenanceHeaders keeps the response headers a researcher may cite.
func provenanceHeaders(raw *fetcher.Response) map[string]string {
	if raw.Header == nil {
		return nil
	}
	out := map[string]string{}
	for _, k := range []string{"ETag", "Last-Modified", "Date", "Content-Language", "X-Robots-Tag", "Content-Type"} {
		if v := raw.Header.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}
