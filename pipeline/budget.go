package pipeline

import (
	"context"

	"golang.org/x/sync/semaphore"

	"github.com/feedvault/feedvault/extractor"
)

// ExtractBudget bounds the page bytes being extracted at once, over all
// page workers. Extraction holds about 17 times the page in memory (the
// DOM, the candidate texts), so sixteen 10 MB pages at once would take
// the process past 2.5 GB; under the budget, big pages take turns while
// ordinary pages (a few hundred KB) still run side by side. A page
// bigger than the budget runs alone.
const ExtractBudget = 12 << 20

// extractBudget is the budget's semaphore, weighted in bytes.
func newExtractBudget() *semaphore.Weighted { return semaphore.NewWeighted(ExtractBudget) }

// extract runs the extractor within the memory budget. It waits even
// when ctx ends (others' extractions take seconds at most), so that the
// page being finished is not lost and the budget still holds.
func (p *Pipeline) extract(ctx context.Context, in extractor.Input, r *extractor.CompiledRules) *extractor.Result {
	w := min(max(int64(len(in.Body)), 64<<10), ExtractBudget)
	if err := p.budget.Acquire(context.WithoutCancel(ctx), w); err != nil {
		panic(err) // cannot happen: the context is never cancelled and w <= the budget
	}
	defer p.budget.Release(w)
	return extractor.ExtractCompiled(in, r)
}
