package stories

import (
	"context"
	"fmt"

	"github.com/feedvault/feedvault/store"
)

// Text is what an article is compared on: its extracted text, else what
// the feed said. Titles are left out: reprints often change them.
func Text(a *store.Article) string {
	if a.Text != "" {
		return a.Text
	}
	return a.Summary
}

// Choose picks, among the candidates sharing a band with sig, the one
// most alike at or above Threshold, and returns its group.
func Choose(sig []uint32) func([]store.StoryCandidate) (uint64, float64) {
	return func(cands []store.StoryCandidate) (uint64, float64) {
		var best uint64
		bestSim := 0.0
		for _, c := range cands {
			if s := Similarity(sig, c.Sig); s >= Threshold && s > bestSim {
				best, bestSim = c.Group, s
			}
		}
		return best, bestSim
	}
}

// Add files an archived article (a.ID set) in its story group.
func Add(st *store.Store, a *store.Article) (store.StoryInfo, error) {
	e := store.StoryEntry{ID: a.ID, Rows: Rows, Agencies: Agencies(a)}
	sig, ok := Sign(Text(a))
	if ok {
		e.Sig = sig
	}
	info, err := st.PutStory(e, Choose(sig))
	if err != nil {
		return info, fmt.Errorf("stories: %w", err)
	}
	return info, nil
}

// BackfillReport sums up a backfill.
type BackfillReport struct {
	Articles int `json:"articles"` // articles filed now
	Skipped  int `json:"skipped"`  // filed before
	Grouped  int `json:"grouped"`  // of those filed now, joined an earlier article
}

// Backfill files every article not filed yet, oldest id first, so the
// groups come out as if the articles had arrived in that order. With
// rebuild, every story bucket is dropped first.
func Backfill(ctx context.Context, st *store.Store, rebuild bool) (BackfillReport, error) {
	var rep BackfillReport
	if rebuild {
		if err := st.ResetStories(); err != nil {
			return rep, err
		}
	}
	err := st.ArticleIDs(func(id uint64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if filed, err := st.StoryFiled(id); err != nil {
			return err
		} else if filed {
			rep.Skipped++
			return nil
		}
		a, err := st.Get(id)
		if err != nil {
			return err
		}
		info, err := Add(st, a)
		if err != nil {
			return err
		}
		rep.Articles++
		if info.Group != id {
			rep.Grouped++
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("stories: backfill: %w", err)
	}
	return rep, nil
}
