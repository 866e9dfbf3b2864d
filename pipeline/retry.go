// Pages fetched again: failed pages retried, and the re-fetch schedule.

package pipeline

import (
	"context"
	"errors"
	"sync"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// each runs fn(i) for i in [0, n), each in its own goroutine holding one
// of slots' places (at most cap(slots) at once), and returns when all have
// ended. It starts no more once ctx ends.
func each(ctx context.Context, slots chan struct{}, n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
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
			fn(i)
		}()
	}
	wg.Wait()
}

// eachWithPage is each with a page-fetch slot per call.
func (p *Pipeline) eachWithPage(ctx context.Context, n int, fn func(i int)) {
	each(ctx, p.pages, n, fn)
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
		raw, ferr := p.fetchInto(ctx, o, a, a.Feed, hints, "")
		defer raw.Release()
		if ferr != nil && ctx.Err() != nil {
			return
		}
		if _, _, err := p.st.Put(withStory(a), rawBody(raw)); err != nil {
			p.log.Error("archive", "url", a.URL, "err", err)
			return
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
			raw, ferr := p.fetchPage(ctx, o, cur.URL, cur.Feed)
			defer raw.Release() // held until the revision is stored
			var fe *fetcher.Error
			switch {
			case ferr == nil:
				r := p.extract(ctx, extractor.Input{Body: raw.Body, ContentType: raw.ContentType, URL: raw.URL}, o.Rules)
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
