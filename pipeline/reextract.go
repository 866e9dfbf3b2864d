// Reextract: the current extractor run on stored raw pages.

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// ReextractReport sums up a re-extraction.
type ReextractReport struct {
	Articles int `json:"articles"` // re-extracted from their stored raw page
	Changed  int `json:"changed"`  // whose text changed
	NoRaw    int `json:"no_raw"`   // without a stored page (archived from the feed, or imported)
}

// Reextract runs the current extractor on the stored raw pages of the
// outlets' articles (all when outlets is empty), with no fetch, and
// records the extractor version. rules gives each outlet's compiled rules.
// Extraction runs within a budget of fetcher.DefaultBudget, as in a run
// with the default memory_budget (pages past 2 MiB are cut and flagged).
func Reextract(ctx context.Context, st *store.Store, rules map[string]*extractor.CompiledRules, outlets []string) (ReextractReport, error) {
	return ReextractProgress(ctx, st, rules, outlets, fetcher.DefaultBudget, nil)
}

// ReextractProgress is Reextract within a memory budget of budget bytes
// (the config's memory_budget, so that a page a run extracted whole is
// not cut now; 0: fetcher.DefaultBudget), telling prog (nil: nothing)
// how far it is: the articles to do (all of the archive's when outlets
// is empty), each one done, each text "changed".
func ReextractProgress(ctx context.Context, st *store.Store, rules map[string]*extractor.CompiledRules, outlets []string, budget int64, prog Progress) (ReextractReport, error) {
	if prog == nil {
		prog = noProgress{}
	}
	if len(outlets) == 0 {
		if stats, err := st.Stats(); err == nil {
			prog.Total(stats.Articles)
		}
	}
	var (
		rep   ReextractReport
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
	)
	empty, _ := extractor.Compile(extractor.Rules{})
	work := fetcher.NewBudget(budget)
	jobs := make(chan *store.Article)
	for w := 0; w < runtime.GOMAXPROCS(0)*2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range jobs {
				changed, hasRaw, err := reextractOne(ctx, work, st, a, rules, empty)
				prog.Done(1)
				if changed {
					prog.Count("changed")
				}
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
	if errors.Is(err, context.Canceled) {
		return rep, fmt.Errorf("pipeline: reextract: interrupted after %d articles: %w (each one done is saved; run it again to re-extract them all)", rep.Articles+rep.NoRaw, err)
	}
	if err != nil {
		return rep, err
	}
	_, err = st.FlushIndex(0)
	return rep, err
}

func reextractOne(ctx context.Context, budget *fetcher.Budget, st *store.Store, a *store.Article, rules map[string]*extractor.CompiledRules, empty *extractor.CompiledRules) (changed, hasRaw bool, err error) {
	raw, err := st.Raw(a.ID)
	if err != nil {
		// No page to extract; a date outside the archive's range
		// (archived before the pipeline undated such dates) is mended
		// all the same, as check advises.
		if store.InOrderedRange(a.Published) {
			return false, false, nil
		}
		fresh := *a
		undateOutOfRange(&fresh)
		return false, false, st.Replace(&fresh)
	}
	r := rules[a.Outlet]
	if r == nil {
		r = empty
	}
	res := extractWithin(ctx, budget, extractor.Input{Body: raw, ContentType: a.ContentType, URL: a.FinalURL,
		Hints: extractor.Hints{Title: a.Title, Authors: a.Authors, Published: a.Published, Language: a.Language}}, r)
	fresh := *a
	applyResult(&fresh, res, &fetcher.Response{Status: a.Status, URL: a.FinalURL, ContentType: a.ContentType, Fetched: a.Fetched})
	fresh.URL, fresh.Aliases = a.URL, a.Aliases // the article keeps its identity
	return fresh.Text != a.Text, true, st.Replace(&fresh)
}
