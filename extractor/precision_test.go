package extractor

import (
	"fmt"
	"strings"
	"testing"
)

// The siblings taken in with the article: a short box of plain prose
// before it is its lead; the same box after it is not the article's (an
// author's bio, a disclaimer, a pitch) and stays out.
func TestLeadBoxOnlyBeforeTheArticle(t *testing.T) {
	box := func(s string) string { return `<div class="intro-box"><p>` + s + `</p></div>` }
	var body strings.Builder
	for _, p := range articleParas[1:] {
		body.WriteString(`<p>` + p + `</p>`)
	}
	lead := "In short: the council passed the budget, fuel taxes rise, and schools get more money next year than this one."
	bio := "Jane Roe has covered regional politics for twelve years and lives in the capital with her two dogs and a cat."
	page := page("", chrome+`<div class="page">`+box(lead)+`<div class="article-body"><p>`+articleParas[0]+`</p>`+body.String()+`</div>`+box(bio)+`</div>`+footer)
	r := extract(t, page, Rules{})
	if !strings.Contains(r.Text, lead) {
		t.Errorf("lead before the article lost:\n%s", r.Text)
	}
	if strings.Contains(r.Text, "Jane Roe") {
		t.Errorf("box after the article kept as a lead:\n%s", r.Text)
	}
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q", p)
		}
	}
}

// A run of teaser cards (a title that links to another page of the site,
// a summary under it) after the article goes, with the heading that
// labels it. Cards that the article goes on after, that end a longer
// list of the same kind, that link off the site or to the page itself
// are the article's, and stay.
func TestTeaserRuns(t *testing.T) {
	card := func(href, title, summary string) string {
		return `<div class="card"><h3><a href="` + href + `">` + title + `</a></h3><p>` + summary + `</p></div>`
	}
	cards := func(n int, href func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(card(href(i), fmt.Sprintf("Other story number %d of the week", i), fmt.Sprintf("Summary %d: what happened in another town, told in two short sentences. It is not this article.", i)))
		}
		return b.String()
	}
	onsite := func(i int) string { return fmt.Sprintf("/news/other-%d", i) }
	article := func(inner string) string {
		return `<article><p>` + strings.Join(articleParas, `</p><p>`) + `</p>` + inner + `</article>`
	}
	guideText := `<p>` + strings.Repeat("How to read this guide: go chapter by chapter, and take notes as you go, because each part builds on the last one. ", 6) + `</p>`
	for _, tc := range []struct {
		name, body string
		gone       bool
	}{
		{"a grid under a heading after the article", article(`<div class="latest"><h2>Latest news</h2>` + cards(4, onsite) + `</div>`), true},
		{"each card in a wrapper of its own", article(`<h3>More like this</h3><div class="row"><div class="list">` + strings.ReplaceAll(cards(4, onsite), `</div><div class="card">`, `</div></div></div><div class="row"><div class="list"><div class="card">`) + `</div></div>`), true},
		{"a guide's chapters, the guide going on after them", article(`<div class="chapters">` + cards(4, onsite) + `</div>` + guideText), false},
		{"the last items of a longer list of the same kind", article(`<div class="card"><h3>A project from another blog</h3><p>Summary: a planter box made from one board, with a photo credit.</p></div>` + cards(4, onsite)), false},
		{"cards that link to other sites", article(`<div class="picks">` + cards(4, func(i int) string { return fmt.Sprintf("https://tool%d.example.com/", i) }) + `</div>`), false},
		{"questions that open their answers on the page", article(`<div class="faq">` + cards(4, func(i int) string { return fmt.Sprintf("#answer-%d", i) }) + `</div>`), false},
		{"only two cards", article(`<div class="latest">` + cards(2, onsite) + `</div>`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := extract(t, page("", chrome+tc.body+footer), Rules{})
			for _, p := range articleParas {
				if !strings.Contains(r.Text, p) {
					t.Errorf("lost %q", p)
				}
			}
			if got := !strings.Contains(r.Text, "Summary 1:"); got != tc.gone {
				t.Errorf("teasers removed = %v, want %v:\n%s", got, tc.gone, r.Text)
			}
			if tc.gone && (strings.Contains(r.Text, "Latest news") || strings.Contains(r.Text, "More like this")) {
				t.Errorf("the run's label kept:\n%s", r.Text)
			}
		})
	}
}

// A line that is only the page's own address (a "copy this link" box
// above the story) is not the article's; an address the article cites
// stays, alone on its line or not.
func TestOwnAddressLine(t *testing.T) {
	cited := "https://data.example.com/budget-2024.csv"
	for _, own := range []string{"https://news.example.org/a/1", "http://www.news.example.org/a/1?utm_source=share"} {
		t.Run(own, func(t *testing.T) {
			body := `<article><div class="page-content">` + own + `<p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p><p>The figures are at<br>` + cited + `</p><p>` + articleParas[2] + `</p><p>` + articleParas[3] + `</p></div></article>`
			r := extract(t, page("", chrome+body+footer), Rules{})
			if strings.Contains(r.Text, "news.example.org") {
				t.Errorf("the page's own address kept:\n%s", r.Text)
			}
			if !strings.Contains(r.Text, cited) {
				t.Errorf("the address the article cites lost:\n%s", r.Text)
			}
		})
	}
}

// A section heading that links to itself (an anchor to copy) is the
// article's heading; a table of contents, a list of such links, is not
// the article's text.
func TestSelfLinkedHeadings(t *testing.T) {
	toc := `<ul><li><a href="#costs">What the bridge will cost</a></li><li><a href="#next">What comes next</a></li></ul>`
	body := `<article><p>` + articleParas[0] + `</p>` + toc + `<h2 id="costs"><a href="#costs">What the bridge will cost</a></h2><p>` + articleParas[1] + `</p><p>` + articleParas[2] +
		`</p><h2 id="next"><a href="#next">What comes next</a></h2><p>` + articleParas[3] + `</p><p>` + articleParas[4] + `</p></article>`
	r := extract(t, page("", chrome+body+footer), Rules{})
	for _, h := range []string{"What the bridge will cost", "What comes next"} {
		if n := strings.Count(r.Text, h); n != 1 {
			t.Errorf("heading %q kept %d times, want once (the heading, not the contents):\n%s", h, n, r.Text)
		}
	}
	if i, j := strings.Index(r.Text, "What the bridge will cost"), strings.Index(r.Text, articleParas[1]); i < 0 || j < i {
		t.Errorf("the heading is not the one before its section:\n%s", r.Text)
	}
}
