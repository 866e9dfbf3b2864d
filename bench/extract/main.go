// Command bench compares feedvault's extractor with go-trafilatura and
// go-readability on the same pages, in one run, scored as the referees in
// ../shared/eval score them. It lives in its own module so that the main
// module does not depend on the competitors.
//
//	cd bench && go run ./extract -dev ../../shared/testdata/extraction/dev -appeals ../../shared/testdata/appeals
//
// Speed is pages per second on one goroutine over the dev pages, best of
// -rounds rounds.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/extractor/quality"
	trafilatura "github.com/markusmobius/go-trafilatura"
)

type page struct {
	name string
	html []byte
	url  *url.URL
	body string
	keep []string
	drop []string
}

type contender struct {
	name    string
	extract func(p *page) string
}

func main() {
	dev := flag.String("dev", "../../shared/testdata/extraction/dev", "pages with articleBody ground truth")
	appeals := flag.String("appeals", "../../shared/testdata/appeals", "pages with keep/drop lists")
	rounds := flag.Int("rounds", 3, "timing rounds over the dev pages (best is reported)")
	only := flag.String("only", "", "run only this contender (feedvault, go-trafilatura, go-readability)")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	devPages, err := load(*dev)
	if err != nil {
		fail(err)
	}
	appealPages, err := load(*appeals)
	if err != nil {
		fail(err)
	}
	rules, _ := extractor.Compile(extractor.Rules{})
	contenders := []contender{
		{"feedvault " + extractor.Version, func(p *page) string {
			u := ""
			if p.url != nil {
				u = p.url.String()
			}
			return extractor.ExtractCompiled(extractor.Input{Body: p.html, URL: u}, rules).Text
		}},
		{"go-trafilatura v1.12.2", func(p *page) string {
			r, err := trafilatura.Extract(bytes.NewReader(p.html), trafilatura.Options{OriginalURL: p.url, ExcludeComments: true, EnableFallback: true})
			if err != nil || r == nil {
				return ""
			}
			return r.ContentText
		}},
		{"go-readability v2.1.3", func(p *page) string {
			a, err := readability.FromReader(bytes.NewReader(p.html), p.url)
			if err != nil || a.Node == nil {
				return ""
			}
			var b strings.Builder
			a.RenderText(&b)
			return b.String()
		}},
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "| extractor\t| dev F1\t| precision\t| recall\t| appeals keep recall\t| appeals leakage\t| pages/s (1 core)\t|\n")
	fmt.Fprintf(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|---\t|\n")
	for _, c := range contenders {
		if *only != "" && !strings.HasPrefix(c.name, *only) {
			continue
		}
		var ts []quality.Triple
		for i := range devPages {
			ts = append(ts, quality.Match(devPages[i].body, c.extract(&devPages[i])))
		}
		p, r, f1 := quality.Aggregate(ts)
		var kept, keeps, leaked, drops int
		for i := range appealPages {
			ap := &appealPages[i]
			k, _, l, d := quality.Appeals(c.extract(ap), ap.keep, ap.drop)
			kept += k
			keeps += len(ap.keep)
			leaked += len(l)
			drops += d
		}
		best := time.Duration(0)
		for round := 0; round < *rounds; round++ {
			start := time.Now()
			for i := range devPages {
				c.extract(&devPages[i])
			}
			if d := time.Since(start); best == 0 || d < best {
				best = d
			}
		}
		fmt.Fprintf(tw, "| %s\t| %.3f\t| %.3f\t| %.3f\t| %.3f\t| %.3f\t| %.0f\t|\n", c.name, f1, p, r,
			ratio(kept, keeps), ratio(leaked, drops), float64(len(devPages))/best.Seconds())
	}
	tw.Flush()
	fmt.Printf("\n%d dev pages, %d appeal pages; %s, GOMAXPROCS=1, best of %d rounds\n", len(devPages), len(appealPages), runtime.Version(), *rounds)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func load(dir string) ([]page, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no pages in %s (is ../shared beside the checkout?)", dir)
	}
	var out []page
	for _, f := range files {
		h, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var meta struct {
			URL         string   `json:"url"`
			ArticleBody string   `json:"articleBody"`
			Keep        []string `json:"keep"`
			Drop        []string `json:"drop"`
		}
		jf, err := os.Open(strings.TrimSuffix(f, ".html") + ".json")
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(jf)
		jf.Close()
		if err := json.Unmarshal(b, &meta); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		u, _ := url.Parse(meta.URL)
		out = append(out, page{name: filepath.Base(f), html: h, url: u, body: meta.ArticleBody, keep: meta.Keep, drop: meta.Drop})
	}
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
