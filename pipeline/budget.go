package pipeline

import (
	"bytes"
	"context"
	"unicode/utf8"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
)

// The pipeline's work is reserved on the fetcher's memory budget (see
// fetcher.Budget), on top of the fetched body that it holds from the
// fetch until the article is stored.
const (
	// ExtractCost is the extractor's working memory per byte of page:
	// a page of dense paragraphs measured 32× its size live (48× with the
	// garbage, at GOGC=100); ordinary news pages use less, 4–8×.
	ExtractCost = 32
	// ParseCost is the feed parser's working memory per byte of feed.
	ParseCost = 3
	// FlagCut marks an article whose page was too big to extract whole
	// within the memory budget: its text comes from the first
	// MaxExtractBytes of the page, which is archived whole.
	FlagCut = "extract_cut"
	// maxChallengeBytes: a bot-challenge page is a few KB; a bigger page
	// served for a feed is not extracted to find out.
	maxChallengeBytes = 1 << 20
)

// MaxExtractBytes is how much of a page is extracted under a budget of
// budget bytes: as much as half the budget (the work pool) allows.
func MaxExtractBytes(budget int64) int {
	return int(fetcher.NewBudget(budget).WorkSize() / ExtractCost)
}

// extract runs the extractor within the budget's work pool. A page too
// big for the pool is extracted from its first bytes (cut before a tag)
// and flagged FlagCut. It waits even when ctx ends (others' extractions
// take seconds at most), so that the page being finished is not lost.
func (p *Pipeline) extract(ctx context.Context, in extractor.Input, r *extractor.CompiledRules) *extractor.Result {
	return extractWithin(ctx, p.budget, in, r)
}

// extractWithin is extract on budget b.
func extractWithin(ctx context.Context, b *fetcher.Budget, in extractor.Input, r *extractor.CompiledRules) *extractor.Result {
	limit := int(b.WorkSize() / ExtractCost)
	body, cut := cutPage(in.Body, limit)
	in.Body = body
	release, err := b.Work(context.WithoutCancel(ctx), int64(len(body))*ExtractCost)
	if err != nil {
		panic(err) // cannot happen: the context is never cancelled
	}
	defer release()
	res := extractor.ExtractCompiled(in, r)
	if cut {
		res.Flags = append(res.Flags, FlagCut)
	}
	return res
}

// parseWork reserves the feed parser's working memory for a body of n
// bytes and returns its release.
func (p *Pipeline) parseWork(ctx context.Context, n int) func() {
	release, err := p.budget.Work(context.WithoutCancel(ctx), int64(n)*ParseCost)
	if err != nil {
		panic(err) // cannot happen: the context is never cancelled
	}
	return release
}

// cutPage returns the first limit bytes of page or fewer, ending before
// a tag's '<' when one is in the second half, and never inside a UTF-8
// sequence; and whether it cut.
func cutPage(page []byte, limit int) ([]byte, bool) {
	if len(page) <= limit {
		return page, false
	}
	b := page[:max(limit, 0)]
	if i := bytes.LastIndexByte(b, '<'); i > len(b)/2 {
		return b[:i], true
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return b, true
}
