package extractor

import (
	"os"
	"path/filepath"
	"testing"
)

const devDir = "../../shared/testdata/extraction/dev"

func loadPages(tb testing.TB, dir string) [][]byte {
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(files) == 0 {
		tb.Skipf("%s is absent: skipping the benchmark over real pages", dir)
	}
	var pages [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		pages = append(pages, b)
	}
	return pages
}

// BenchmarkExtractDev extracts every page of the dev set once per
// iteration; pages/s = 181 / (ns/op / 1e9).
func BenchmarkExtractDev(b *testing.B) {
	pages := loadPages(b, devDir)
	rules, _ := Compile(Rules{})
	var n int64
	for _, p := range pages {
		n += int64(len(p))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			ExtractCompiled(Input{Body: p}, rules)
		}
	}
	b.ReportMetric(float64(len(pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}
