package extractor

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// prepared parses a page and runs the guards' first pass on it (what
// run does before any markup rule), returning the element with id "a".
func prepared(t *testing.T, body string) (*extraction, *html.Node, int) {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(page("<title>Council approves budget</title>", body)))
	if err != nil {
		t.Fatal(err)
	}
	x := &extraction{res: &Result{}, rules: &CompiledRules{}}
	total := x.prepare(findFirst(root, atom.Body), true)
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && attr(n, "id") == "a" {
			return x, n, total
		}
	}
	t.Fatal("no element with id a")
	return nil, nil, 0
}

// brArticle is the article as text and <br>s in one <div>, as blog
// templates write it: no <p> at all.
func brArticle(attrs string) string {
	return `<div id="a" ` + attrs + `>` + strings.Join(articleParas, "<br><br>") + `</div>`
}

// Links are chrome; a footer of <p> disclaimers holds the page's only
// paragraph text.
const pFooter = `<div class="legal"><p>All content on this site is provided for general information only and is not advice of any kind.</p>` +
	`<p>Reproduction of any material without the written permission of the publisher is prohibited by law.</p></div>`

// labels is a long list of unlinked labels, no sentence among them.
func labels(n int) string {
	var b strings.Builder
	b.WriteString(`<ul class="index">`)
	for i := range n {
		fmt.Fprintf(&b, "<li>Regional council district number %d</li>", i)
	}
	b.WriteString("</ul>")
	return b.String()
}

// teasers is a sidebar of summaries cut short, as related-story boxes
// print them.
func teasers(n int) string {
	var b strings.Builder
	b.WriteString(`<div class="rail">`)
	for i := range n {
		fmt.Fprintf(&b, `<div><a href="/s/%d">Story %d</a><div>The minister said on Tuesday that the plan for the coming year would need more time, and that the talks with the unions …</div></div>`, i, i)
	}
	b.WriteString("</div>")
	return b.String()
}

// The container of the article is major whatever its markup: by its
// paragraphs, its unlinked text, or its sentences.
func TestMajorReadsNoMarkup(t *testing.T) {
	cases := []struct {
		name, body string
		want       bool
	}{
		// Without the unlinked-text and sentence measures, the footer's
		// two <p>s are all the page's paragraph text.
		{"an article of <br>s beside <p> disclaimers", chrome + brArticle(`class="entry"`) + pFooter, true},
		// Without the sentence measure, the labels' unlinked text
		// outweighs the article's.
		{"an article of <br>s beside a long list of labels", chrome + brArticle(`class="entry"`) + labels(60) + pFooter, true},
		// Without the unlinked-text measure: lines that are not
		// sentences (a list, a recipe) in a <div>, beside <p>s.
		{"lines without full stops beside <p> disclaimers", chrome + `<div id="a">` + strings.ReplaceAll(strings.Join(articleParas, "<br>"), ".", "") + `</div>` + pFooter, true},
		{"a short article beside more paragraphs", chrome + brArticle("") + `<div>` + strings.Repeat(para1+para2+para3, 3) + `</div>`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, a, total := prepared(t, c.body)
			if got := x.major(a, total); got != c.want {
				st, bs := x.stats[a], x.stats[x.body]
				t.Errorf("major = %v, want %v (pText %d/%d, unlinked %d/%d, sentences %d/%d)", got, c.want,
					st.pText, bs.pText, st.text-st.link, bs.text-bs.link, st.sent, bs.sent)
			}
		})
	}
}

// A sentence block is a leaf block of unlinked prose that ends as a
// sentence does; a teaser's summary cut short is not one, nor a label.
func TestSentenceBlock(t *testing.T) {
	cases := []struct {
		name, body string
		want       bool
	}{
		{"a <div> of prose", `<div id="a">` + articleParas[0] + `</div>`, true},
		{"a <p> of prose", `<p id="a">` + articleParas[1] + `</p>`, true},
		{"a summary cut short", `<div id="a">The minister said on Tuesday that the plan for the coming year would need more time …</div>`, false},
		{"a summary cut short with dots", `<div id="a">The minister said on Tuesday that the plan for the coming year would need more time...</div>`, false},
		{"a label", `<div id="a">Regional council district number 12</div>`, false},
		{"a linked headline", `<div id="a"><a href="/x">The regional council approved the new budget on Monday after a long debate.</a></div>`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, a, _ := prepared(t, c.body)
			if got := sentenceBlock(a, x.stats[a]); got != c.want {
				t.Errorf("sentenceBlock = %v, want %v", got, c.want)
			}
		})
	}
	t.Run("a sidebar of cut summaries holds no sentences", func(t *testing.T) {
		x, _, _ := prepared(t, `<div id="a"></div>`+teasers(8))
		if s := x.stats[x.body].sent; s != 0 {
			t.Errorf("sentences %d, want 0", s)
		}
	})
}

// The article's container is protected from markup rules when a class
// word on it cost it the class-aware scoring, and when the candidate is
// a wrapper around it (protectDown).
func TestCandidateContainerProtected(t *testing.T) {
	// A short article whose container says "sticky", beside a box of
	// more prose under a content-like name; neither holds most of the
	// page, so only the protection keeps the article.
	body := chrome + `<div class="wrap"><div class="col"><div id="a" class="story-sticky"><p>` + strings.Join(articleParas[:5], "</p><p>") + `</p></div></div></div>` +
		`<div class="side"><div class="post-content">` + plainParas(6) + `</div></div>`
	x, a, total := prepared(t, body)
	if x.major(a, total) {
		t.Fatal("the article is major here: the case tests nothing")
	}
	if !x.protect[a] {
		t.Errorf("the article's container is not protected; first-pass candidate %v", nodeNames(x.first))
	}
	// (Which candidate the content step then takes is scoring's call:
	// TestArticleSurvivesMarkupPerturbations measures the outcome.)
}

// plainParas are n paragraphs of prose without a comma: they score less
// than the article's, though they hold as much text.
func plainParas(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<p>The weather office expects light rain over the northern hills on day %d and a dry spell for the coast.</p>", i)
	}
	return b.String()
}

func nodeNames(ns []*html.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("<%s class=%q>", n.Data, attr(n, "class")))
	}
	return out
}

// A class word on most of the candidate's sections is the article's
// content class there, however much prose the rest of the page holds;
// the same word on a small box in the article still removes it.
func TestCandidateFamily(t *testing.T) {
	var b strings.Builder
	b.WriteString(chrome + `<div class="main"><div id="a" class="story">`)
	for _, p := range articleParas {
		fmt.Fprintf(&b, `<div class="block-ads"><p>%s</p></div>`, p)
	}
	b.WriteString(`<div class="sticky-box"><a href="/x">Subscribe</a> <a href="/y">Follow us</a></div>`)
	// Notes of one sentence each, every one in boxes of its own: as much
	// prose as the article, but none of them scores as its container.
	b.WriteString(`</div></div><div class="more">` + strings.Repeat("<div><div><p>The weather office expects light rain over the northern hills later today.</p></div></div>", 16) + `</div>`)
	x, a, _ := prepared(t, b.String())
	var section, box *html.Node
	for n := range a.Descendants() {
		switch {
		case n.Type == html.ElementNode && section == nil && strings.Contains(attr(n, "class"), "block-ads"):
			section = n
		case n.Type == html.ElementNode && strings.Contains(attr(n, "class"), "sticky-box"):
			box = n
		}
	}
	if x.contentFamily("ads", x.prose0) {
		t.Fatalf("the page-wide family holds the sections (%+v of pText %d, sentences %d): the case tests nothing", x.families["ads"], x.prose0, x.stats[x.body].sent)
	}
	if !x.candidateFamily(section, "ads") {
		t.Errorf("the article's sections are not its content class (candidate %v)", nodeNames(x.first))
	}
	if x.candidateFamily(box, "sticky") {
		t.Error("a small box in the article is kept as a family")
	}
	r := extract(t, page("", b.String()), Rules{})
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
		}
	}
	if strings.Contains(r.Text, "Follow us") {
		t.Errorf("the sticky box stayed: %s", r.Text)
	}
}

// Sections of a plan or a table hold no sentences and no <p>: their
// unlinked text is what makes them most of the candidate.
func TestCandidateFamilyTables(t *testing.T) {
	var b strings.Builder
	b.WriteString(chrome + `<div class="main"><div id="a" class="story">`)
	for i := range 6 {
		fmt.Fprintf(&b, `<div class="block-ads"><div>Week %d: rest day then an easy run of forty minutes</div><div>Intervals of four times eight hundred metres</div></div>`, i)
	}
	b.WriteString(`<div class="intro"><p>` + articleParas[0] + `</p></div></div></div>`)
	b.WriteString(`<div class="more">` + strings.Repeat("<div><div><p>The weather office expects light rain over the northern hills later today.</p></div></div>", 16) + `</div>`)
	x, a, _ := prepared(t, b.String())
	var section *html.Node
	for n := range a.Descendants() {
		if n.Type == html.ElementNode && strings.Contains(attr(n, "class"), "block-ads") {
			section = n
			break
		}
	}
	if !x.inCand[section] {
		t.Fatalf("the sections are not in the class-blind candidate: the case tests nothing")
	}
	if !x.candidateFamily(section, "ads") {
		t.Errorf("table sections are not the candidate's content class (family %+v of %+v)", x.candFam["ads"], x.candAll)
	}
}
