// One feed item: fetch its page, extract it, archive it.

package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/feedvault/feedvault/canon"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/feedparse"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// archiveItem archives one feed item unless the archive already has it.
// It returns the article's id (0 when there is none), whether it had been
// seen before, and an error when the store failed, that is when the item
// is neither archived nor queued for a retry.
func (p *Pipeline) archiveItem(ctx context.Context, o *Outlet, feedURL, feedHost string, it feedparse.Item, full *diskFull, log *slog.Logger) (rep Report, id uint64, known bool, err error) {
	link := canon.URL(it.Link)
	if link == "" && it.GUID == "" {
		// A post that is all text: known by its content.
		if it.GUID = contentGUID(it); it.GUID == "" {
			return rep, 0, false, nil // nothing to archive
		}
	}
	urls := []string{link, canon.Key(it.Link)}
	guids := []string{it.GUID}
	id, found, err := p.st.FindFrom(o.Name, feedURL, link, urls, guids)
	if err != nil {
		log.Error("lookup", "url", link, "err", err)
		return rep, 0, false, err
	}
	if found {
		notFetched, err := p.st.NotFetched(id)
		if err != nil {
			return rep, id, true, err
		}
		if !notFetched {
			return rep, id, true, nil
		}
		// The page failed before: try it again now.
	}
	select {
	case p.pages <- struct{}{}:
	case <-ctx.Done():
		return rep, id, found, nil
	}
	defer func() { <-p.pages }()
	if err := full.refused(); err != nil {
		return rep, id, found, err // its page could not be stored either
	}

	now := p.now().UTC()
	a := &store.Article{
		URL: link, Outlet: o.Name, Feed: feedURL, GUIDs: nonEmpty(it.GUID),
		Aliases: nonEmpty(canon.Key(it.Link)), Title: it.Title, Authors: it.Authors,
		Published: it.Published, Modified: it.Updated, FirstSeen: now, Summary: it.Summary,
		Tags: it.Categories, Language: o.Language, FromFeed: fromFeed(it),
	}
	hints := extractor.Hints{Title: it.Title, Authors: it.Authors, Published: it.Published, Language: o.Language}
	raw, ferr := p.fetchInto(ctx, o, a, feedHost, hints, it.Content)
	defer raw.Release() // the page is held on the budget until it is stored
	if ferr != nil {
		if ctx.Err() != nil {
			return rep, id, found, nil
		}
		log.Warn("page not fetched; archived what the feed says", "url", link, "err", ferr)
		rep.PagesFailed = 1
	}
	if undateOutOfRange(a) {
		log.Warn("publication date outside the archive's range; archived undated", "url", link, "flag", FlagDateOutOfRange)
	}
	newID, created, err := p.st.Put(withStory(a), rawBody(raw))
	if err != nil {
		log.Error("archive", "url", link, "err", err)
		full.note(err)
		return rep, id, found, err
	}
	switch {
	case created:
		rep.New = 1
		p.opt.Metrics.Archived(o.Name)
		p.opt.Progress.Count("archived")
	case ferr == nil:
		rep.Updated = 1
	}
	return rep, newID, found, nil
}

// fetchInto fetches the page of a, extracts it and fills a in. On
// failure it sets a.FetchError and, when the feed carried the article's
// HTML, keeps the text of that meanwhile. It returns the raw page, held
// on the budget: the caller releases it once the article is stored.
func (p *Pipeline) fetchInto(ctx context.Context, o *Outlet, a *store.Article, feedHost string, hints extractor.Hints, feedHTML string) (*fetcher.Response, error) {
	if a.URL == "" {
		// No page to fetch (the item has no link): what the feed says
		// is the article; nothing failed, nothing to retry.
		a.Flags = append(a.Flags, FlagNoLink)
		p.textFromFeed(ctx, o, a, feedHTML)
		return nil, nil
	}
	raw, err := p.fetchPage(ctx, o, a.URL, feedHost)
	if err == nil {
		res := p.extract(ctx, extractor.Input{
			Body: raw.Body, ContentType: raw.ContentType, URL: raw.URL, Hints: hints,
		}, o.Rules)
		if res.HasFlag(extractor.FlagChallenge) {
			raw.Release()
			err = &fetcher.Error{Class: fetcher.ClassBlocked, URL: raw.URL, Status: raw.Status, Err: errors.New("the server answered with a bot challenge page")}
		} else {
			a.FetchError = ""
			applyResult(a, res, raw)
			return raw, nil
		}
	}
	a.FetchError = err.Error()
	p.textFromFeed(ctx, o, a, feedHTML)
	return nil, err
}

// textFromFeed gives a, whose page is not at hand, the text of the HTML
// the feed carried (content:encoded and the like), if any.
func (p *Pipeline) textFromFeed(ctx context.Context, o *Outlet, a *store.Article, feedHTML string) {
	if feedHTML != "" && a.Text == "" {
		res := p.extract(ctx, extractor.Input{Body: []byte(feedHTML), ContentType: "text/html; charset=utf-8", URL: a.URL}, o.Rules)
		a.Text = res.Text
		a.Flags = append(a.Flags, "text_from_feed")
	}
}

// diskFull remembers, for one poll of a feed, that the store refused an
// item for want of disk (a full disk, a used-up quota, a file-size
// limit): the feed's other new items are then not fetched, since their
// pages could not be stored either, and are left for the next poll,
// which reads the feed again (see PollFeed).
type diskFull struct{ err atomic.Pointer[error] }

// note records err when it is a want of disk.
func (d *diskFull) note(err error) {
	if store.IsNoRoom(err) {
		d.err.CompareAndSwap(nil, &err)
	}
}

// refused is the want of disk noted, or nil.
func (d *diskFull) refused() error {
	if e := d.err.Load(); e != nil {
		return *e
	}
	return nil
}

// rawBody is the body of a fetched page, or nil.
func rawBody(raw *fetcher.Response) []byte {
	if raw == nil {
		return nil
	}
	return raw.Body
}

// fetchPage fetches an article page, obeying robots.txt when the outlet does.
func (p *Pipeline) fetchPage(ctx context.Context, o *Outlet, link, feedHost string) (*fetcher.Response, error) {
	trusted := []string{feedHost}
	if o.Robots && !p.fc.Allowed(ctx, link, trusted) {
		return nil, &fetcher.Error{Class: fetcher.ClassRobots, URL: link, Err: errors.New("disallowed by robots.txt")}
	}
	return p.get(ctx, "page", fetcher.Request{URL: link, MaxBytes: p.opt.MaxPageBytes, Trusted: trusted,
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
	undateOutOfRange(a) // a page's date too (re-fetches and re-extractions come here)
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

// undateOutOfRange makes an article whose publication date lies outside
// store.OrderedRange undated, flagged FlagDateOutOfRange, and reports
// whether it did.
func undateOutOfRange(a *store.Article) bool {
	if store.InOrderedRange(a.Published) {
		return false
	}
	a.Published = time.Time{}
	a.Flags = append(a.Flags, FlagDateOutOfRange)
	return true
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
