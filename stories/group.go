package stories

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/feedvault/feedvault/store"
)

// Text is what an article is compared on: its extracted text, else what
// the feed said, without the paragraphs that are boilerplate (credits,
// copyright, newsletter and follow-us lines), which outlets and agencies
// put on every article and would make different short texts look alike.
// Titles are left out: reprints often change them.
func Text(a *store.Article) string {
	t := a.Text
	if t == "" {
		t = a.Summary
	}
	var b strings.Builder
	dropped := false
	for p := range strings.SplitSeq(t, "\n") {
		if isBoilerplate(p) {
			dropped = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	if !dropped {
		return t
	}
	return b.String()
}

// Boilerplate paragraphs are short and hold one of these (lower-cased);
// credit lines start with one of creditLeads. Plain substring tests: a
// regular expression cost ten times the signature itself.
var (
	boilerWords = []string{"©", "copyright", "all rights reserved", "may not be published", "may not be reproduced",
		"subscribe", "newsletter", "follow us", "read more", "trust principles", "download our app", "download the app",
		"support independent journalism", "support our journalism"}
	creditLeads = []string{"reporting by", "writing by", "editing by", "additional reporting by"}
)

// isBoilerplate reports a paragraph (under 400 bytes) that is not the story.
func isBoilerplate(p string) bool {
	if len(p) > 400 || strings.TrimSpace(p) == "" {
		return false
	}
	l := strings.ToLower(strings.TrimSpace(p))
	for _, w := range boilerWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	for _, w := range creditLeads {
		if strings.HasPrefix(l, w) {
			return true
		}
	}
	return false
}

// Choose picks, among the candidates sharing a band with sig, the one
// most alike at or above Threshold; the store puts the new article in
// that one's group.
func Choose(sig []uint32) func([]store.StoryCandidate) (uint64, float64) {
	return func(cands []store.StoryCandidate) (uint64, float64) {
		var best uint64
		bestSim := 0.0
		for _, c := range cands {
			if s := Similarity(sig, c.Sig); s >= Threshold && s > bestSim {
				best, bestSim = c.ID, s
			}
		}
		return best, bestSim
	}
}

// entry computes what is filed for a.
func entry(a *store.Article) store.StoryEntry {
	e := store.StoryEntry{ID: a.ID, Rows: Rows, Agencies: Agencies(a)}
	if sig, ok := Sign(Text(a)); ok {
		e.Sig = sig
	}
	return e
}

func chooseFor(e store.StoryEntry) func([]store.StoryCandidate) (uint64, float64) {
	return Choose(e.Sig)
}

// Filer files an article in its story group in the transaction that
// archives it: a.FileStory(stories.Filer) before st.Put(a, raw).
func Filer(a *store.Article) (store.StoryEntry, func([]store.StoryCandidate) (uint64, float64)) {
	e := entry(a)
	return e, Choose(e.Sig)
}

// Add files an archived article (a.ID set) in its story group, in a
// transaction of its own: for an article stored without Filer.
func Add(st *store.Store, a *store.Article) (store.StoryInfo, error) {
	e := entry(a)
	info, err := st.PutStory(e, Choose(e.Sig))
	if err != nil {
		return info, fmt.Errorf("stories: %w", err)
	}
	return info, nil
}

// BackfillChunk is how many articles a backfill files per transaction.
// Band keys are random, so each transaction rewrites much of the band
// bucket: 1,000 cost half as much again in all as 4,096, and 8,192 no less
// (BenchmarkGroup50k's CPU time). A transaction holds other writers
// (the daemon's Puts) up while it runs: under a second of CPU.
const BackfillChunk = 4096

// BackfillReport sums up a backfill.
type BackfillReport struct {
	Articles int `json:"articles"` // articles filed now
	Skipped  int `json:"skipped"`  // filed before
	Grouped  int `json:"grouped"`  // of those filed now, joined an earlier article
}

// Backfill files every article not filed yet, oldest id first, so the
// groups come out as if the articles had arrived in that order. With
// rebuild, every story bucket is dropped first. Articles are read and
// signed on every core outside the write transaction, the next chunk
// while the last is filed, and filed BackfillChunk at a time in one
// transaction, with a store.StoryCache so that band buckets are not
// read again from the archive.
func Backfill(ctx context.Context, st *store.Store, rebuild bool) (BackfillReport, error) {
	rep, err := backfill(ctx, st, rebuild, BackfillChunk, store.NewStoryCache(0))
	if errors.Is(err, context.Canceled) {
		return rep, fmt.Errorf("stories: backfill: interrupted after filing %d articles: %w (what is filed stays filed; run 'feedvault stories backfill' again to file the rest)", rep.Articles, err)
	}
	if err != nil {
		return rep, fmt.Errorf("stories: backfill: %w", err)
	}
	return rep, nil
}

func backfill(ctx context.Context, st *store.Store, rebuild bool, chunk int, cache *store.StoryCache) (BackfillReport, error) {
	var rep BackfillReport
	if rebuild {
		if err := st.ResetStories(); err != nil {
			return rep, err
		}
	}
	// One goroutine reads and signs the next chunk while this one files
	// the last: filing is one writer, signing uses the other cores.
	type signed struct {
		entries []store.StoryEntry
		filed   int // passed over, filed before
		err     error
	}
	ctx, cancel := context.WithCancel(ctx)
	next := make(chan signed, 1)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	wg.Go(func() {
		defer close(next)
		for after := uint64(0); ; {
			var s signed
			var ids []uint64
			var more uint64
			ids, s.filed, more, s.err = st.UnfiledStories(after, chunk)
			if s.err == nil && len(ids) > 0 {
				s.entries, s.err = signAll(ctx, st, ids)
			}
			select {
			case next <- s:
			case <-ctx.Done():
				return
			}
			if s.err != nil || more == 0 {
				return
			}
			after = more
		}
	})
	for s := range next {
		if s.err != nil {
			return rep, s.err
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Skipped += s.filed
		if len(s.entries) == 0 {
			continue
		}
		infos, err := st.PutStories(s.entries, chooseFor, cache)
		if err != nil {
			return rep, err
		}
		for _, info := range infos {
			rep.Articles++
			if info.Group != info.ID {
				rep.Grouped++
			}
		}
	}
	return rep, ctx.Err()
}

// signAll reads and signs the articles ids on every core.
func signAll(ctx context.Context, st *store.Store, ids []uint64) ([]store.StoryEntry, error) {
	out := make([]store.StoryEntry, len(ids))
	workers := min(runtime.GOMAXPROCS(0), len(ids))
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ids) {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				a, err := st.Get(ids[i])
				if err != nil {
					errs[w] = fmt.Errorf("article %d: %w", ids[i], err)
					return
				}
				out[i] = entry(a)
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}
