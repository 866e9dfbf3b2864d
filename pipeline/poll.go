// PollFeed: one poll of one feed.

package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/feedparse"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

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
		p.opt.Metrics.Polled(o.Name, ev.Class)
	}()
	feedHost := feedURL // a trust entry: the fetcher trusts its host:port only
	resp, err := p.get(ctx, "feed", fetcher.Request{
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
	defer resp.Release() // at the latest; the body is given back once parsed
	st.LastStatus = resp.Status
	if resp.NotModified {
		rep.NotModified = 1
		if err := p.notModified(st, o, feedURL, now, log); err != nil {
			rep.NotArchived, rep.ArchiveError = 1, err.Error()
		}
		log.Debug("not modified")
		return rep
	}
	sum := sha256.Sum256(resp.Body)
	hash := hex.EncodeToString(sum[:])
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	if hash == st.BodyHash && st.LastError == "" {
		// The server ignored our validators but sent the same bytes.
		rep.NotModified = 1
		if err := p.notModified(st, o, feedURL, now, log); err != nil {
			rep.NotArchived, rep.ArchiveError = 1, err.Error()
		}
		return rep
	}
	release := p.parseWork(ctx, len(resp.Body))
	feed, err := feedparse.ParseCapped(resp.Body, resp.ContentType, p.opt.MaxItemsPerPoll)
	release()
	if err != nil {
		if errors.Is(err, feedparse.ErrNotFeed) && p.isChallenge(ctx, resp) {
			err = &fetcher.Error{Class: fetcher.ClassBlocked, URL: resp.URL, Status: resp.Status, Err: errors.New("the server answered with a bot challenge page")}
		}
		p.failFeed(st, o, err, now)
		log.Warn("feed failed", "class", st.ErrorClass, "err", err)
		rep.FeedsFailed = 1
		return rep
	}
	// The items' pages are held on the budget as they are fetched; the
	// feed's body must not hold its share meanwhile.
	resp.Release()
	st.BodyHash = hash
	items := feed.Items
	base := resp.URL
	if base == "" {
		base = feedURL
	}
	resolveLinks(items, base)
	st.LastItems = feed.TotalItems
	st.Truncated = feed.TotalItems - len(items)
	if st.Truncated > 0 {
		log.Warn("feed has more items than max_items_per_poll; took the first ones", "items", feed.TotalItems, "taken", len(items))
	}
	rep.Items = len(items)

	// Archive items concurrently: at most PageWorkers goroutines per
	// feed, each taking a page slot when it has a page to fetch.
	var (
		mu       sync.Mutex
		seen     int
		ids      []uint64 // articles this poll listed, for the sightings
		failed   int      // items not archived (the store failed)
		firstErr error
		workers  = make(chan struct{}, p.opt.PageWorkers)
		full     diskFull
	)
	each(ctx, workers, len(items), func(i int) {
		r, id, known, err := p.archiveItem(ctx, o, feedURL, feedHost, items[i], &full, log)
		mu.Lock()
		defer mu.Unlock()
		rep.add(r)
		if known {
			seen++
		}
		if id != 0 {
			ids = append(ids, id)
		}
		if err != nil {
			failed++
			if firstErr == nil {
				firstErr = err
			}
		}
	})
	rep.Known = seen
	st.LastNew = rep.New
	st.Articles += rep.New
	if err := p.st.ObservePoll(feedURL, ids, now); err != nil {
		log.Error("record sightings", "err", err)
		failed++
		if firstErr == nil {
			firstErr = err
		}
	}
	rep.NotArchived = failed
	if firstErr != nil {
		rep.ArchiveError = firstErr.Error()
	}
	if ctx.Err() != nil || failed > 0 {
		// Interrupted, or items not archived: keep no validators, so the
		// next poll reads the feed again and finishes the job.
		st.BodyHash, st.ETag, st.LastModified = "", "", ""
		st.Listed = nil
	} else {
		st.Listed = sortedUnique(ids)
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
	if failed > 0 {
		// Nothing may be lost: the feed is read again after a backoff,
		// whatever its validators say, until every item is archived.
		st.ConsecutiveFailures = failuresBefore
		p.failFeed(st, o, fmt.Errorf("pipeline: %d of %d items not archived: %w", failed, len(items), firstErr), now)
		st.ErrorClass = "archive"
		rep.FeedsFailed = 1
		log.Error("items not archived; the feed will be read again", "items", failed, "err", firstErr)
	}
	return rep
}

// notModified records a poll whose feed did not change: the articles the
// last complete poll listed are listed still, and count as seen again.
func (p *Pipeline) notModified(st *store.FeedState, o *Outlet, feedURL string, now time.Time, log *slog.Logger) error {
	if err := p.st.ObservePoll(feedURL, st.Listed, now); err != nil {
		log.Error("record sightings", "err", err)
		return err
	}
	p.succeedFeed(st, o, now, false, nil)
	return nil
}

func sortedUnique(ids []uint64) []uint64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// isChallenge reports a bot-challenge interstitial (Cloudflare and the
// like) served where a feed was expected. Such a page is small: a big
// page is not extracted to find out.
func (p *Pipeline) isChallenge(ctx context.Context, resp *fetcher.Response) bool {
	if len(resp.Body) > maxChallengeBytes {
		return false
	}
	none, err := extractor.Compile(extractor.Rules{})
	if err != nil {
		return false
	}
	res := p.extract(ctx, extractor.Input{Body: resp.Body, ContentType: resp.ContentType, URL: resp.URL}, none)
	return res.HasFlag(extractor.FlagChallenge)
}

func (p *Pipeline) saveFeed(st *store.FeedState, log *slog.Logger) {
	if err := p.st.PutFeed(st); err != nil {
		log.Error("save feed state", "err", err)
	}
}
