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
	// ScriptCost is the extractor's working memory per byte inside a
	// <script> or <style> element or a comment: one text node, which it
	// copies once and never reads as text. Inline scripts and data are
	// most of many news pages' bytes.
	ScriptCost = 2
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

// MaxExtractBytes is how much of a page of markup alone (no scripts) is
// extracted under a budget of budget bytes: as much as half the budget
// (the work pool) allows.
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
	if binaryBody(in.Body, in.ContentType) {
		// A PDF, an image: kept as fetched; the HTML extractor would
		// make text of its bytes (on a first fetch, a re-fetch and a
		// reextract alike).
		return &extractor.Result{Flags: []string{FlagNotHTML}, Version: extractor.Version}
	}
	body, cost, cut := fitPage(in.Body, b.WorkSize())
	in.Body = body
	release, err := b.Work(context.WithoutCancel(ctx), cost)
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

// fitPage returns page, or its longest beginning whose extraction cost
// is within limit (cut as cutPage cuts), with that cost, and whether it
// cut. Markup costs ExtractCost a byte; the insides of <script> and
// <style> elements and of comments cost ScriptCost.
func fitPage(page []byte, limit int64) ([]byte, int64, bool) {
	var cost int64
	for i := 0; i < len(page); {
		from, to, ok := cheapSpan(page, i)
		if !ok {
			from, to = len(page), len(page)
		}
		// markup up to the span
		if cost+int64(from-i)*ExtractCost > limit {
			return cutAt(page, i, cost, limit)
		}
		cost += int64(from-i) * ExtractCost
		// the span itself
		if cost+int64(to-from)*ScriptCost > limit {
			b, _ := cutPage(page, from)
			return b, limit, true
		}
		cost += int64(to-from) * ScriptCost
		i = to
	}
	return page, cost, false
}

// cutAt cuts page within the markup that starts at i, where cost has
// been spent, at the byte where limit is reached. A cut page is reserved
// the whole limit.
func cutAt(page []byte, i int, cost, limit int64) ([]byte, int64, bool) {
	b, _ := cutPage(page, i+int((limit-cost)/ExtractCost))
	return b, limit, true
}

// cheapSpan looks at page from i for the next element whose inside the
// extractor does not parse into nodes (<script>, <style>, a comment). It
// returns the inside's bounds [from, to): the markup before it ends at
// from. ok is false when there is none. An element left open runs to the
// end of the page.
func cheapSpan(page []byte, i int) (from, to int, ok bool) {
	for j := i; j < len(page); j++ {
		j0 := bytes.IndexByte(page[j:], '<')
		if j0 < 0 {
			break
		}
		j += j0
		rest := page[j:]
		if bytes.HasPrefix(rest, []byte("<!--")) {
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return j + 4, len(page), true
			}
			return j + 4, j + 4 + end, true
		}
		for _, name := range []string{"script", "style"} {
			if len(rest) > len(name)+1 && bytes.EqualFold(rest[1:1+len(name)], []byte(name)) && endsName(rest[1+len(name)]) {
				gt := bytes.IndexByte(rest, '>')
				if gt < 0 {
					return 0, 0, false
				}
				in := j + gt + 1
				return in, in + closeTag(page[in:], name), true
			}
		}
	}
	return 0, 0, false
}

func endsName(c byte) bool {
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// closeTag is the offset in b of "</name" in any case, or len(b).
func closeTag(b []byte, name string) int {
	for k := 0; ; {
		j := bytes.Index(b[k:], []byte("</"))
		if j < 0 {
			return len(b)
		}
		k += j
		if len(b) >= k+2+len(name) && bytes.EqualFold(b[k+2:k+2+len(name)], []byte(name)) {
			return k
		}
		k += 2
	}
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
