package stories

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// cpuTime is the CPU time this process has used, all threads: on a
// shared machine it says more than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// corpus makes n articles from the evaluation generator (fresh seeds):
// about a sixth are copies of another.
func corpus(n int) []*store.Article {
	var out []*store.Article
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for seed := uint64(1000); len(out) < n; seed++ {
		for _, it := range generateEval(seed) {
			if len(out) == n {
				break
			}
			out = append(out, &store.Article{URL: fmt.Sprintf("https://%s.example/%d/%d", it.Outlet, seed, it.ID), Outlet: it.Outlet,
				Title: it.Title, Text: it.Text, FirstSeen: t0.Add(time.Duration(len(out)) * time.Second)})
		}
	}
	return out
}

func archive(b *testing.B, st *store.Store, arts []*store.Article, raws [][]byte) {
	b.Helper()
	for i := 0; i < len(arts); i += 2000 {
		j := min(i+2000, len(arts))
		var rs [][]byte
		if raws != nil {
			rs = raws[i:j]
		} else {
			rs = make([][]byte, j-i)
		}
		for k, a := range arts[i:j] {
			if err := st.Prepare(a, rs[k]); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := st.PutMany(arts[i:j], rs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSign is the CPU cost of one signature (about 250 words).
func BenchmarkSign(b *testing.B) {
	arts := corpus(1000)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Sign(Text(arts[i%len(arts)]))
	}
}

// BenchmarkGroup50k files 50,000 generated articles already in an
// archive (the backfill path): the target is 10 s in all, and reports
// the share of articles that joined a group.
func BenchmarkGroup50k(b *testing.B) {
	arts := corpus(50000)
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), "a.db"), store.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		archive(b, st, arts, nil)
		b.StartTimer()
		cpu := cpuTime()
		rep, err := Backfill(context.Background(), st, false)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
		b.ReportMetric(float64(rep.Grouped)/float64(rep.Articles), "grouped/article")
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkIncremental is the cost of filing one new article into an
// archive that holds 52,000 filed ones (target: 1 ms). NoSync: the fsync
// of the commit is the disk's, not grouping's, and the pipeline pays it
// for the article itself anyway.
//   - put/plain and put/story: Put of a new article, without and with
//     its story (Article.FileStory), from one goroutine: the difference
//     is what filing adds to archiving. Both include the 2 ms Put's
//     Batch waits for company.
//   - put-parallel/plain and put-parallel/story: the same from 64
//     goroutines, as a daemon's page workers do: the wait is shared.
//   - file: an archived article filed in a transaction of its own
//     (PutStories, no Batch wait): the filing alone, commit included.
//   - add: stories.Add, a Batch transaction of its own after the
//     article's (how the pipeline filed before filing moved into Put).
func BenchmarkIncremental(b *testing.B) {
	arts := corpus(52000)
	st, err := store.Open(filepath.Join(b.TempDir(), "a.db"), store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	archive(b, st, arts, nil)
	if _, err := Backfill(context.Background(), st, false); err != nil {
		b.Fatal(err)
	}
	fresh := corpus(52000 + 5000)[52000:]
	archive(b, st, fresh, nil)
	n := 0
	newArticle := func(i int, story bool) *store.Article {
		a := *fresh[i%len(fresh)]
		a.ID, a.URL = 0, fmt.Sprintf("%s/new/%d", a.URL, n)
		n++
		if story {
			a.FileStory(Filer)
		}
		return &a
	}
	for _, story := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "story"}[story]
		b.Run("put/"+name, func(b *testing.B) {
			defer cpuPerOp(b)()
			for i := 0; b.Loop(); i++ {
				if _, _, err := st.Put(newArticle(i, story), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, story := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "story"}[story]
		b.Run("put-parallel/"+name, func(b *testing.B) {
			defer cpuPerOp(b)()
			var mu sync.Mutex
			b.SetParallelism(32)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					a := newArticle(n, story)
					mu.Unlock()
					if _, _, err := st.Put(a, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
	b.Run("file", func(b *testing.B) {
		defer cpuPerOp(b)()
		for i := 0; b.Loop(); i++ {
			a := fresh[i%len(fresh)]
			if _, err := st.PutStories([]store.StoryEntry{entry(a)}, chooseFor, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("add", func(b *testing.B) {
		defer cpuPerOp(b)()
		for i := 0; b.Loop(); i++ {
			if _, err := Add(st, fresh[i%len(fresh)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuPerOp reports the CPU time per operation of the benchmark it is
// deferred in: defer cpuPerOp(b)().
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

// BenchmarkArchiveGrowth archives real pages (raw HTML and their text,
// from ../shared) and reports how much the story buckets add to the
// compacted archive (target: 5%).
func BenchmarkArchiveGrowth(b *testing.B) {
	var arts []*store.Article
	var raws [][]byte
	for _, dir := range []string{"dev", "wcxb-articles"} {
		d := filepath.Join("..", "..", "shared", "testdata", "extraction", dir)
		files, _ := filepath.Glob(filepath.Join(d, "*.json"))
		for _, f := range files {
			js, err1 := os.ReadFile(f)
			html, err2 := os.ReadFile(strings.TrimSuffix(f, ".json") + ".html")
			var v struct {
				URL  string `json:"url"`
				Body string `json:"articleBody"`
			}
			if err1 != nil || err2 != nil || json.Unmarshal(js, &v) != nil || v.Body == "" {
				continue
			}
			arts = append(arts, &store.Article{URL: fmt.Sprintf("https://x.example/%d", len(arts)), Outlet: "x", Text: v.Body, FirstSeen: time.Now()})
			raws = append(raws, html)
		}
	}
	if len(arts) == 0 {
		b.Skip("../shared/testdata/extraction is absent: no real pages to measure growth on")
	}
	for b.Loop() {
		st, err := store.Open(filepath.Join(b.TempDir(), "a.db"), store.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range arts {
			a.ID = 0
		}
		archive(b, st, arts, raws)
		_, before, err := st.Compact()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Backfill(context.Background(), st, false); err != nil {
			b.Fatal(err)
		}
		_, after, err := st.Compact()
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
		b.ReportMetric(100*float64(after-before)/float64(before), "growth_%")
		b.ReportMetric(float64(len(arts)), "pages")
		b.ReportMetric(float64(after-before)/float64(len(arts)), "bytes/article")
	}
}
