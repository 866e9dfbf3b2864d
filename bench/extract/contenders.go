package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/extractor/quality"
	trafilatura "github.com/markusmobius/go-trafilatura"
)

type contender struct {
	name    string
	extract func(p *page) string
}

func pageURL(p *page) string {
	if p.url == nil {
		return ""
	}
	return p.url.String()
}

func contenders() []contender {
	rules, _ := extractor.Compile(extractor.Rules{})
	return []contender{
		{"feedvault " + extractor.Version, func(p *page) string {
			return extractor.ExtractCompiled(extractor.Input{Body: p.html, URL: pageURL(p)}, rules).Text
		}},
		{"feedvault+net", func(p *page) string {
			o := extractor.ExtractCompiled(extractor.Input{Body: p.html, URL: pageURL(p)}, rules).Text
			r := readabilityText(p.html, p.url)
			if len(strings.Fields(o))*2 < len(strings.Fields(r)) {
				return r
			}
			return o
		}},
		{"feedvault+oracle", func(p *page) string {
			o := extractor.ExtractCompiled(extractor.Input{Body: p.html, URL: pageURL(p)}, rules).Text
			r := readabilityText(p.html, p.url)
			if p.body != "" {
				_, _, fo := quality.Words(p.body, o)
				_, _, fr := quality.Words(p.body, r)
				if fr > fo {
					return r
				}
			}
			return o
		}},
		{"go-trafilatura v1.12.2", func(p *page) string { return trafilaturaText(p.html, p.url) }},
		{"go-readability v2.1.3", func(p *page) string { return readabilityText(p.html, p.url) }},
	}
}

func trafilaturaText(h []byte, u *url.URL) string {
	r, err := trafilatura.Extract(bytes.NewReader(h), trafilatura.Options{OriginalURL: u, ExcludeComments: true, EnableFallback: true})
	if err != nil || r == nil {
		return ""
	}
	return r.ContentText
}

func readabilityText(h []byte, u *url.URL) string {
	a, err := readability.FromReader(bytes.NewReader(h), u)
	if err != nil || a.Node == nil {
		return ""
	}
	var b strings.Builder
	a.RenderText(&b)
	return b.String()
}

// batch is this command re-run as a competitor's batch process: it
// extracts files with one worker per core and writes JSON lines, as
// `feedvault extract --format jsonl` does.
func batch(which string, files []string) int {
	fn := readabilityText
	if which == "go-trafilatura" {
		fn = trafilaturaText
	}
	out := make([][]byte, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Go(func() {
			for i := range next {
				h, err := os.ReadFile(files[i])
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					continue
				}
				b, _ := json.Marshal(map[string]string{"file": files[i], "text": fn(h, nil)})
				out[i] = b
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, b := range out {
		os.Stdout.Write(append(b, '\n'))
	}
	return 0
}

// speed times whole processes over the dev pages, best of rounds.
func speed(pages []page, rounds int, only string) {
	dir, err := os.MkdirTemp("", "fvbench")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fv := filepath.Join(dir, "feedvault")
	build := exec.Command("go", "build", "-o", fv, "./cmd/feedvault")
	build.Dir = ".." // the main module: the bench runs from bench/
	if out, err := build.CombinedOutput(); err != nil {
		fail(fmt.Errorf("building feedvault: %v\n%s", err, out))
	}
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	var files []string
	for _, p := range pages {
		files = append(files, p.path)
	}
	cmds := []struct {
		name string
		argv []string
	}{
		{"feedvault extract --format jsonl", append([]string{fv, "extract", "--format", "jsonl"}, files...)},
		{"go-readability batch", append([]string{self, "-batch", "go-readability"}, files...)},
		{"go-trafilatura batch", append([]string{self, "-batch", "go-trafilatura"}, files...)},
	}
	fmt.Printf("\nSpeed: %d dev pages, one process each, %d cores, best of %d\n", len(files), runtime.NumCPU(), rounds)
	best := map[string]time.Duration{}
	for _, c := range cmds {
		if only != "" && !strings.HasPrefix(c.name, only) {
			continue
		}
		for r := 0; r < rounds; r++ {
			cmd := exec.Command(c.argv[0], c.argv[1:]...)
			cmd.Stderr = os.Stderr
			start := time.Now()
			if err := cmd.Run(); err != nil {
				fail(fmt.Errorf("%s: %w", c.name, err))
			}
			if d := time.Since(start); best[c.name] == 0 || d < best[c.name] {
				best[c.name] = d
			}
		}
		fmt.Printf("  %-34s %6.2f s  %5.0f pages/s\n", c.name, best[c.name].Seconds(), float64(len(files))/best[c.name].Seconds())
	}
	if f, r := best[cmds[0].name], best[cmds[1].name]; f > 0 && r > 0 {
		fmt.Printf("  feedvault / go-readability: %.2f×\n", r.Seconds()/f.Seconds())
	}
}

// dumpNet shows, for every page where the safety net fired, the page F1
// with and without it: the data for judging its trigger.
func dumpNet(sets []set) {
	rules, _ := extractor.Compile(extractor.Rules{})
	for _, s := range sets {
		if s.metric == "appeals" {
			continue
		}
		for i := range s.pages {
			p := &s.pages[i]
			on := extractor.ExtractCompiled(extractor.Input{Body: p.html, URL: pageURL(p)}, rules)
			if on.PathWhy == "" {
				continue
			}
			off := extractor.ExtractCompiled(extractor.Input{Body: p.html, URL: pageURL(p), NoSafetyNet: true}, rules)
			f := func(text string) float64 {
				if s.metric == "words" {
					_, _, f1 := quality.Words(p.body, text)
					return f1
				}
				return quality.PageF1(quality.Match(p.body, text))
			}
			fmt.Printf("%-16s %-12s on=%.2f off=%.2f %s | %s\n", s.name, p.name[:min(12, len(p.name))], f(on.Text), f(off.Text), on.Path, on.PathWhy)
		}
	}
}
