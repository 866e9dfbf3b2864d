package parquetexport

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// BenchmarkWrite writes articles of 20 outlets over 4 months, newest
// first, as an export does. go test -bench Write -benchmem ./parquetexport
func BenchmarkWrite(b *testing.B) {
	const n = 5000
	arts := make([]*store.Article, n)
	for i := range arts {
		t := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * 35 * time.Minute)
		arts[i] = &store.Article{ID: uint64(i + 1), URL: fmt.Sprintf("https://outlet%02d.example/news/%d", i%20, i),
			Outlet: fmt.Sprintf("outlet%02d", i%20), Feed: fmt.Sprintf("https://outlet%02d.example/rss", i%20),
			Title: fmt.Sprintf("Story %d about troops near the border", i), Authors: []string{"Ann Reporter"},
			Published: t, FirstSeen: t.Add(time.Minute), Fetched: t.Add(2 * time.Minute), Language: "en",
			Status: 200, ContentType: "text/html", ExtractorVersion: "3", RawSize: 180000,
			Headers: map[string]string{"Date": t.Format(time.RFC1123)},
			Text:    strings.Repeat(fmt.Sprintf("Thousands of troops gathered near the border %d, officials said. ", i), 40)}
	}
	b.ResetTimer()
	for range b.N {
		w, err := Create(filepath.Join(b.TempDir(), "x"), Options{Label: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range arts {
			if err := w.Write(a); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := w.Finish(); err != nil {
			b.Fatal(err)
		}
		w.Abort()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/article")
}
