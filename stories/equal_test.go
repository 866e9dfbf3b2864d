package stories

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// refGroups files sigs (by id, in id order) by the documented rule with
// plain maps: each band bucket lists every id; an article is compared
// with the newest store.MaxBandPeers of each of its buckets and joins
// the group of the most alike at or above Threshold (the lowest id on a
// tie). It is the oracle for the store's two ways of filing.
func refGroups(ids []uint64, sigs map[uint64][]uint32) map[uint64]store.StoryInfo {
	type key struct {
		band int
		h    uint64
	}
	buckets := map[key][]uint64{}
	out := map[uint64]store.StoryInfo{}
	for _, id := range ids {
		info := store.StoryInfo{ID: id, Group: id}
		sig := sigs[id]
		if sig == nil {
			out[id] = info
			continue
		}
		bands := store.StoryBands(sig, Rows)
		seen := map[uint64]bool{}
		var cands []uint64
		for i, h := range bands {
			b := buckets[key{i, h}]
			for _, p := range b[max(0, len(b)-store.MaxBandPeers):] {
				if !seen[p] {
					seen[p] = true
					cands = append(cands, p)
				}
			}
		}
		slices.Sort(cands)
		best := 0.0
		for _, c := range cands {
			if s := Similarity(sig, sigs[c]); s >= Threshold && s > best {
				best, info.Group, info.Similarity = s, out[c].Group, s
			}
		}
		for i, h := range bands {
			buckets[key{i, h}] = append(buckets[key{i, h}], id)
		}
		out[id] = info
	}
	return out
}

// articlesFor makes the articles of the evaluation set and n more from
// the generator (crowded buckets: its texts share stock phrases).
func articlesFor(t testing.TB, n int) []*store.Article {
	var arts []*store.Article
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, it := range loadEval(t) {
		a := &store.Article{URL: fmt.Sprintf("https://%s.example/%d", it.Outlet, it.ID), Outlet: it.Outlet, Title: it.Title,
			Text: it.Text, FirstSeen: base.Add(time.Duration(it.ID) * time.Minute)}
		if it.Byline != "" {
			a.Authors = []string{it.Byline}
		}
		arts = append(arts, a)
	}
	return append(arts, corpus(n)...)
}

func filed(t *testing.T, st *store.Store, ids []uint64) map[uint64]store.StoryInfo {
	t.Helper()
	out := map[uint64]store.StoryInfo{}
	for _, id := range ids {
		si, ok, err := st.Story(id)
		if err != nil || !ok {
			t.Fatalf("article %d: filed %v, %v", id, ok, err)
		}
		si.Agencies = nil // compared apart
		out[id] = si
	}
	return out
}

func diffGroups(t *testing.T, name string, got, want map[uint64]store.StoryInfo) {
	t.Helper()
	bad := 0
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if g := got[id]; g.ID != want[id].ID || g.Group != want[id].Group || g.Similarity != want[id].Similarity {
			if bad++; bad <= 5 {
				t.Errorf("%s: article %d filed %+v, want %+v", name, id, g, want[id])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d articles filed differently", name, bad, len(want))
	}
}

// Filing each article in Put's transaction, filing them one by one
// afterwards, and backfilling (with its cache, large or so small that
// it empties after every transaction, and in transactions of odd sizes)
// all give the groups of the plain-map oracle.
func TestIncrementalAndBackfillAgree(t *testing.T) {
	arts := articlesFor(t, 1000)
	put := func(st *store.Store, hook bool) []uint64 {
		var ids []uint64
		if !hook { // one transaction
			cp := make([]*store.Article, len(arts))
			for i, src := range arts {
				a := *src
				cp[i] = &a
			}
			if _, err := st.PutMany(cp, nil); err != nil {
				t.Fatal(err)
			}
			for _, a := range cp {
				ids = append(ids, a.ID)
			}
			return ids
		}
		for _, src := range arts {
			a := *src
			a.FileStory(Filer)
			id, _, err := st.Put(&a, nil)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		return ids
	}
	// The oracle, on the signatures of the stored (cleaned) articles.
	ref := openTemp(t)
	ids := put(ref, false)
	sigs := map[uint64][]uint32{}
	for _, id := range ids {
		a, err := ref.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if sig, ok := Sign(Text(a)); ok {
			sigs[id] = sig
		}
	}
	want := refGroups(ids, sigs)
	grouped := 0
	for _, si := range want {
		if si.Group != si.ID {
			grouped++
		}
	}
	if grouped < len(arts)/10 {
		t.Fatalf("only %d of %d articles join a group: the set does not test grouping", grouped, len(arts))
	}

	t.Run("in Put", func(t *testing.T) {
		st := openTemp(t)
		diffGroups(t, "in Put", filed(t, st, put(st, true)), want)
	})
	t.Run("one by one", func(t *testing.T) {
		for _, id := range ids {
			a, err := ref.Get(id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Add(ref, a); err != nil {
				t.Fatal(err)
			}
		}
		diffGroups(t, "one by one", filed(t, ref, ids), want)
	})
	for _, tc := range []struct {
		name  string
		chunk int
		cache int
	}{
		{"backfill", BackfillChunk, 0},
		{"backfill, small transactions", 37, 0},
		{"backfill, cache emptied every transaction", 101, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openTemp(t)
			put(st, false)
			rep, err := backfill(context.Background(), st, false, tc.chunk, store.NewStoryCache(tc.cache))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Articles != len(arts) || rep.Grouped != grouped {
				t.Errorf("report %+v, want %d articles, %d grouped", rep, len(arts), grouped)
			}
			diffGroups(t, tc.name, filed(t, st, ids), want)
		})
	}
	t.Run("backfill after a partial one", func(t *testing.T) {
		st := openTemp(t)
		put(st, false)
		// The first third filed one by one, the rest by a backfill that
		// finds band buckets in the archive.
		for _, id := range ids[:len(ids)/3] {
			a, _ := st.Get(id)
			if _, err := Add(st, a); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := Backfill(context.Background(), st, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Skipped != len(ids)/3 || rep.Articles != len(ids)-len(ids)/3 {
			t.Errorf("report %+v", rep)
		}
		diffGroups(t, "partial", filed(t, st, ids), want)
	})
}

// A backfill's cache does not hide a story another writer filed between
// two of its transactions: a later copy still joins it.
func TestBackfillSeesOtherFilings(t *testing.T) {
	st := openTemp(t)
	text := func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, seed))
		vocab := strings.Fields("harbour railway budget council minister strike exports court ruling storm village school hospital bridge election vote police market price energy winter water")
		var b strings.Builder
		for i := range 120 {
			b.WriteString(vocab[r.IntN(len(vocab))])
			if i%12 == 11 {
				b.WriteString(".\n")
			} else {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	var ids []uint64
	for i, tx := range []string{text(1), text(2), text(3)} {
		id, _, err := st.Put(&store.Article{URL: fmt.Sprintf("https://o.example/%d", i), Outlet: "o", Text: tx}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	cache := store.NewStoryCache(0)
	entries := func(ids ...uint64) []store.StoryEntry {
		var es []store.StoryEntry
		for _, id := range ids {
			a, _ := st.Get(id)
			es = append(es, entry(a))
		}
		return es
	}
	if _, err := st.PutStories(entries(ids[0]), chooseFor, cache); err != nil {
		t.Fatal(err)
	}
	// The daemon archives and files a new article meanwhile.
	wire := &store.Article{URL: "https://p.example/wire", Outlet: "p", Text: text(2)}
	wire.FileStory(Filer)
	wireID, _, err := st.Put(wire, nil)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := st.PutStories(entries(ids[1], ids[2]), chooseFor, cache)
	if err != nil {
		t.Fatal(err)
	}
	if infos[0].Group != wireID {
		t.Errorf("the railway copy joined group %d, want the other writer's article %d", infos[0].Group, wireID)
	}
	if infos[1].Group != ids[2] {
		t.Errorf("an unrelated article joined group %d", infos[1].Group)
	}
}

// Put files the story in its own transaction when asked, and only when
// the article is new or its page was fetched: a failed re-fetch that
// keeps the stored copy files nothing.
func TestPutFilesStory(t *testing.T) {
	st := openTemp(t)
	text := ""
	for i := range 10 {
		text += fmt.Sprintf("Paragraph %d of a wire story about the harbour strike and its effect on exports. ", i)
	}
	a := &store.Article{URL: "https://o.example/1", Outlet: "o", Text: text}
	a.FileStory(Filer)
	id, _, err := st.Put(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	si, ok, err := st.Story(id)
	if err != nil || !ok || si.Group != id {
		t.Fatalf("after Put: story %+v, filed %v, %v", si, ok, err)
	}
	copyID, _, err := st.Put(func() *store.Article {
		c := &store.Article{URL: "https://p.example/1", Outlet: "p", Text: text}
		c.FileStory(Filer)
		return c
	}(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if si, _, _ := st.Story(copyID); si.Group != id {
		t.Errorf("copy filed in group %d, want %d", si.Group, id)
	}
	// A failed re-fetch of the copy keeps its text and its group.
	failed := &store.Article{URL: "https://p.example/1", Outlet: "p", Summary: "other words entirely", FetchError: "timeout"}
	failed.FileStory(Filer)
	if _, _, err := st.Put(failed, nil); err != nil {
		t.Fatal(err)
	}
	if si, _, _ := st.Story(copyID); si.Group != id {
		t.Errorf("after a failed re-fetch the copy is in group %d, want %d", si.Group, id)
	}
	// Without FileStory, Put files nothing.
	plainID, _, err := st.Put(&store.Article{URL: "https://q.example/1", Outlet: "q", Text: text}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := st.Story(plainID); ok {
		t.Error("Put without FileStory filed a story")
	}
}
