package extractor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// bigPage is a 5 MB article: a navigation bar, 50,000 words of paragraphs
// and related-link boxes between them.
func bigPage() []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>Big</title></head><body><nav>`)
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, `<a href="/%d">Section %d</a>`, i, i)
	}
	b.WriteString(`</nav><article><h1>Big</h1>`)
	words := strings.Fields("the council budget vote minister said regional report officials government north troops border talks treaty")
	for i := 0; b.Len() < 5<<20; i++ {
		b.WriteString("<p>")
		for j := 0; j < 80; j++ {
			b.WriteString(words[(i*7+j*3)%len(words)])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "he said in the %dth paragraph.</p>\n", i) // no two alike: repeats go

		if i%20 == 0 {
			fmt.Fprintf(&b, `<div class="related"><ul><li><a href="/r%d">Related story</a></li></ul></div>`, i)
		}
	}
	b.WriteString(`</article></body></html>`)
	return []byte(b.String())
}

// BenchmarkExtractLargePage reports time and allocation for one 5 MB
// page. Peak RSS of the whole process is measured with the CLI (README).
func BenchmarkExtractLargePage(b *testing.B) {
	p := bigPage()
	rules, _ := Compile(Rules{})
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ExtractCompiled(Input{Body: p}, rules)
	}
}

// BenchmarkLexicon is the wording check on a body paragraph with no
// boilerplate: the common case, run for every block.
func BenchmarkLexicon(b *testing.B) {
	text := "The regional council approved the new budget on Monday after a debate that lasted well into the night, officials said, and the governor welcomed the vote."
	for i := 0; i < b.N; i++ {
		boilerplateWording(text)
	}
}
