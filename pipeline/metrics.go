package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/feedvault/feedvault/fetcher"
)

// Metrics receives what the pipeline does, for monitoring. The web
// package implements it under 'daemon --http'; the pipeline knows only
// this interface. Methods are called from many goroutines.
type Metrics interface {
	// Polled is one poll of a feed: class is "" on success, else the
	// failure class (as in feedvault feeds).
	Polled(outlet, class string)
	// Fetched is one HTTP fetch: kind is "feed" or "page", n the body
	// bytes received, class "" on success.
	Fetched(kind string, d time.Duration, n int, class string)
	// Archived is a new article stored.
	Archived(outlet string)
}

type noMetrics struct{}

func (noMetrics) Polled(string, string)                      {}
func (noMetrics) Fetched(string, time.Duration, int, string) {}
func (noMetrics) Archived(string)                            {}

// PagesInFlight is the number of page fetches running now.
func (p *Pipeline) PagesInFlight() int { return len(p.pages) }

// get fetches through the shared client and reports the fetch.
func (p *Pipeline) get(ctx context.Context, kind string, req fetcher.Request) (*fetcher.Response, error) {
	start := time.Now()
	resp, err := p.fc.Get(ctx, req)
	if ctx.Err() != nil && err != nil {
		return resp, err // shutting down: not a fetch to count
	}
	n, class := 0, ""
	if resp != nil {
		n = len(resp.Body)
	}
	if err != nil {
		class = "other"
		var fe *fetcher.Error
		if errors.As(err, &fe) {
			class = string(fe.Class)
		}
	}
	p.opt.Metrics.Fetched(kind, time.Since(start), n, class)
	if kind == "page" && err == nil {
		p.opt.Progress.Count("pages")
	}
	return resp, err
}
