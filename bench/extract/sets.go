package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/feedvault/feedvault/extractor/quality"
)

// page is one labelled page of a set.
type page struct {
	name string
	path string
	html []byte
	url  *url.URL
	body string
	keep []string
	drop []string
}

// set is a group of pages scored one way.
type set struct {
	name   string
	metric string // "shingles" (scrapinghub), "words" (WCXB) or "appeals"
	pages  []page
}

func loadDir(dir string) ([]page, error) {
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
		b, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".json")
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &meta); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		u, _ := url.Parse(meta.URL)
		out = append(out, page{name: strings.TrimSuffix(filepath.Base(f), ".html"), path: f, html: h, url: u,
			body: meta.ArticleBody, keep: meta.Keep, drop: meta.Drop})
	}
	return out, nil
}

// loadSets reads every set from the shared data directory. The WCXB pages
// are split by site (quality.Half): tuning and validation.
func loadSets(shared string) ([]set, error) {
	td := filepath.Join(shared, "testdata")
	dev, err := loadDir(filepath.Join(td, "extraction", "dev"))
	if err != nil {
		return nil, err
	}
	wcxb, err := loadDir(filepath.Join(td, "extraction", "wcxb-articles"))
	if err != nil {
		return nil, err
	}
	var tune, val []page
	for _, p := range wcxb {
		if quality.Half(p.url.String()) == quality.Tuning {
			tune = append(tune, p)
		} else {
			val = append(val, p)
		}
	}
	appeals, err := loadDir(filepath.Join(td, "appeals"))
	if err != nil {
		return nil, err
	}
	seed, err := loadDir(filepath.Join(td, "seed"))
	if err != nil {
		return nil, err
	}
	return []set{
		{"scrapinghub dev", "shingles", dev},
		{"WCXB tuning", "words", tune},
		{"WCXB validation", "words", val},
		{"appeals", "appeals", appeals},
		{"seed", "appeals", seed},
	}, nil
}

// scored is one extractor's figures on one set.
type scored struct {
	f1, p, r    float64 // shingles: the benchmark's summary; words: means over pages
	lost        int     // pages with page F1 below quality.LostBelow
	lostPages   []string
	perPage     []string // "page P R F1", for the words metric
	keep, keeps int
	leak, drops int
}

func score(s *set, extract func(*page) string) scored {
	var out scored
	var ts []quality.Triple
	var sp, sr, sf float64
	for i := range s.pages {
		p := &s.pages[i]
		text := extract(p)
		switch s.metric {
		case "shingles":
			t := quality.Match(p.body, text)
			ts = append(ts, t)
			if quality.PageF1(t) < quality.LostBelow {
				out.lost++
				out.lostPages = append(out.lostPages, p.name)
			}
		case "words":
			pp, rr, ff := quality.Words(p.body, text)
			sp, sr, sf = sp+pp, sr+rr, sf+ff
			out.perPage = append(out.perPage, fmt.Sprintf("%s %.3f %.3f %.3f", p.name, pp, rr, ff))
			if ff < quality.LostBelow {
				out.lost++
				out.lostPages = append(out.lostPages, fmt.Sprintf("%s (%.2f)", p.name, ff))
			}
		case "appeals":
			k, missed, l, d := quality.Appeals(text, p.keep, p.drop)
			out.keep += k
			out.keeps += len(p.keep)
			out.leak += len(l)
			out.drops += d
			if len(missed) > 0 || len(l) > 0 {
				out.lostPages = append(out.lostPages, fmt.Sprintf("%s (missed %d, leaked %q)", p.name, len(missed), l))
			}
		}
	}
	switch s.metric {
	case "shingles":
		out.p, out.r, out.f1 = quality.Aggregate(ts)
	case "words":
		n := float64(len(s.pages))
		out.p, out.r, out.f1 = sp/n, sr/n, sf/n
	}
	return out
}
