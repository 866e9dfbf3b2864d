package web

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// buildGenerated writes n generated articles: ten outlets over two years, text
// of ~200 words drawn from a skewed vocabulary, so that common words
// match many articles and rare ones few.
func buildGenerated(b *testing.B, n int) string {
	b.Helper()
	db := filepath.Join(b.TempDir(), "bench.db")
	st, err := store.Open(db, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 5000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%d", i)
	}
	// Topic words at ranks that give realistic shares of articles: "the"
	// in all, "north" in ~7%, "troops" ~5%, "korea" ~1%, "kursk" ~0.4%.
	for rank, w := range map[int]string{0: "the", 150: "summit", 200: "north", 300: "troops", 400: "election", 600: "border",
		1000: "sanctions", 1500: "korea", 2500: "kazan", 3000: "kursk"} {
		vocab[rank] = w
	}
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 2000
	for done := 0; done < n; done += batch {
		var arts []*store.Article
		for i := done; i < min(n, done+batch); i++ {
			var t strings.Builder
			for w := 0; w < 200; w++ {
				t.WriteString(vocab[zipf.Uint64()])
				if w%20 == 19 {
					t.WriteString(".\n\n")
				} else {
					t.WriteByte(' ')
				}
			}
			pub := start.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
			a := &store.Article{URL: fmt.Sprintf("https://o%d.example/%d", i%10, i), Outlet: fmt.Sprintf("outlet%d", i%10),
				Title: vocab[zipf.Uint64()] + " " + vocab[zipf.Uint64()] + " " + vocab[zipf.Uint64()], Text: t.String(),
				Published: pub, FirstSeen: pub.Add(time.Hour)}
			if err := st.Prepare(a, nil); err != nil {
				b.Fatal(err)
			}
			arts = append(arts, a)
		}
		if _, err := st.PutMany(arts, nil); err != nil {
			b.Fatal(err)
		}
	}
	for {
		k, err := st.FlushIndex(20000)
		if err != nil {
			b.Fatal(err)
		}
		if k == 0 {
			break
		}
	}
	return db
}

// percentile of the durations, p in [0,1].
func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// BenchmarkWorkbench50k measures whole requests (handler, archive reads,
// template) on 50,000 articles read from the file, as 'serve' does with
// no daemon. Targets: search page p95 <= 150 ms; the attention chart
// over all the articles <= 300 ms.
func BenchmarkWorkbench50k(b *testing.B) {
	f := fixture{db: buildGenerated(b, 50000)}
	s := newTestServer(b, Options{Reader: f.open(b)})
	cases := []struct {
		name    string
		targets []string
	}{
		{"search", []string{"/?q=troops", "/?q=%22north+korea%22", "/?q=kursk+OR+kazan&outlet=outlet3", "/?q=sanctions+-election", "/?q=korea*", "/", "/?q=border&since=2024-01-01&until=2024-06-30"}},
		{"attention-all-week", []string{"/attention?by=week"}},
		{"attention-all-day-share", []string{"/attention?by=day&measure=share"}},
		{"attention-query-week-share", []string{"/attention?q=troops&by=week&measure=share"}},
		{"attention-query-month-stacked", []string{"/attention?q=the&by=month&mode=stacked"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			i := 0
			cpu0 := cpuTime()
			for b.Loop() {
				t0 := time.Now()
				rec := get(b, s, c.targets[i%len(c.targets)])
				took = append(took, time.Since(t0))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", c.targets[i%len(c.targets)], rec.Code)
				}
				i++
			}
			b.ReportMetric(float64(percentile(took, 0.95).Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(percentile(took, 0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(took)), "cpu-ms/op")
		})
	}
}
