package extractor

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// comments is a thread of readers' comments with more prose than a short
// article: n comments of two sentences each.
func comments(n int) string {
	var b strings.Builder
	b.WriteString(`<div class="discussion"><h3>Discussion</h3>`)
	for i := range n {
		fmt.Fprintf(&b, `<div class="entry"><p>Reader %d wrote: the council should have published the figures much earlier, as it promised in the spring. Nobody in our village was asked about the fuel tax, and the farmers will pay for it.</p></div>`, i)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// Hidden copies of the article (a template's, a mobile menu's) are not
// what the page shows: the article's share of the page is read without
// them, so the guards that read that share (major) still see it.
func TestMajorReadsTheVisiblePage(t *testing.T) {
	article := `<div id="a">` + "<p>" + strings.Join(articleParas, "</p><p>") + "</p></div>"
	hiddenCopy := `<div style="display:none"><p>` + strings.Join(articleParas, "</p><p>") + "</p></div>"
	x, a, total := prepared(t, chrome+article+hiddenCopy+hiddenCopy)
	if bs := x.stats[x.body]; share(x.stats[a].pText, bs.pText) {
		t.Fatal("the article holds most of the page with its hidden copies: the case tests nothing")
	}
	if !x.major(a, total) {
		t.Errorf("the article is not major beside hidden copies of itself (page %+v)", x.page)
	}
	// A tag rule on the article's container, with the copies beside it.
	r := extract(t, page("", chrome+strings.Replace(strings.Replace(article, "<div", "<aside", 1), "</div>", "</aside>", 1)+hiddenCopy+hiddenCopy), Rules{})
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
		}
	}
}

// The block that begins with the page's description is the article's
// lead: a tag or class rule does not take the short article that holds
// it, beside a box with more prose (no share guard can tell them apart,
// and the first-pass candidate is the box). The microdata's article
// body is an anchor too. (Which block the content step then takes is
// scoring's call: TestArticleSurvivesMarkupPerturbations measures it.)
func TestAnchorsKeepAShortArticle(t *testing.T) {
	desc := `<meta property="og:description" content="` + articleParas[0] + `">`
	short := "<p>" + strings.Join(articleParas[:3], "</p><p>") + "</p>"
	// More prose than the article, in a box of its own before it: the
	// first-pass candidate, and more of the page than the article.
	more := `<div class="column"><div class="notes">` + plainParas(12) + `</div></div>`
	cases := []struct {
		name, head, body string
	}{
		{"the lead under a class word", desc, chrome + more + `<div class="story-sticky">` + short + `</div>`},
		{"microdata's article body in a <form>", "", chrome + more + `<form itemprop="articleBody">` + short + `</form>`},
		// The description is a summary, not the first sentence; the
		// JSON-LD gives the article's text.
		{"the JSON-LD article body under a class word", `<script type="application/ld+json">{"@type": "NewsArticle", "description": "Council passes the budget.", "articleBody": "` +
			strings.Join(articleParas[:3], " ") + `"}</script>`, chrome + more + `<div class="story-sticky">` + short + `</div>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := page("<title>Council approves budget</title>"+c.head, c.body)
			root, err := html.Parse(bytes.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			x := &extraction{res: &Result{}, rules: &CompiledRules{}}
			x.ldBody, x.ldLen = readMeta(root, x.res, "")
			total := x.prepare(findFirst(root, atom.Body), true)
			var box *html.Node
			for n := range root.Descendants() {
				if n.Type == html.ElementNode && (n.DataAtom == atom.Aside || n.DataAtom == atom.Footer || n.DataAtom == atom.Form || attr(n, "class") == "story-sticky") {
					box = n
				}
			}
			if x.major(box, total) || x.protect[box] {
				t.Fatalf("the share guards or the candidate keep the article here (major %v, first %v): the case tests nothing", x.major(box, total), nodeNames(x.first))
			}
			if rule := x.structural(box, total); rule != "" {
				t.Errorf("the article's container goes as %s", rule)
			}
		})
	}
}

// Which blocks are anchors: not a <header> whose standfirst says the
// description (it holds the headline and the standfirst, not the
// article), nor a hidden article body; the article's container is.
func TestAnchorsAreTheArticles(t *testing.T) {
	head := `<title>Council approves budget</title><meta name="description" content="` + articleParas[0] + `">`
	story := `<div id="a" class="story"><p>` + strings.Join(articleParas, "</p><p>") + `</p></div>`
	cases := []struct {
		name, body string
		want       map[string]bool // id: anchored
	}{
		{"the article's container", chrome + story, map[string]bool{"a": true}},
		{"a header holding the standfirst", chrome + `<header id="h"><h1>Council approves budget</h1><p>` + articleParas[0] + `</p></header>` +
			`<div class="story"><p>` + strings.Join(articleParas[1:], "</p><p>") + `</p></div>`, map[string]bool{"h": false}},
		{"a hidden article body", chrome + `<div id="c" hidden itemprop="articleBody"><p>` + strings.Join(articleParas, "</p><p>") + `</p></div>`, map[string]bool{"c": false}},
		{"a visible article body", chrome + `<div id="c" itemprop="articleBody"><p>` + strings.Join(articleParas[1:], "</p><p>") + `</p></div>`, map[string]bool{"c": true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root, err := html.Parse(bytes.NewReader(page(head, c.body)))
			if err != nil {
				t.Fatal(err)
			}
			x := &extraction{res: &Result{}, rules: &CompiledRules{}}
			readMeta(root, x.res, "")
			x.prepare(findFirst(root, atom.Body), true)
			for n := range root.Descendants() {
				if want, ok := c.want[attr(n, "id")]; ok && x.anchored[n] != want {
					t.Errorf("#%s anchored = %v, want %v", attr(n, "id"), x.anchored[n], want)
				}
			}
		})
	}
}

// A class word takes small or link-dense blocks in the article, never
// its text: parts that sit between its paragraphs (quoted mail, a
// table), each small, a fifth of it together, stay. Boxes that are not
// in the run of its prose go: a gallery's slides before it, a promotion
// after its end, and captions anywhere (a word that names the kind of
// text).
func TestCandidatePartsBetweenProse(t *testing.T) {
	mail := func(i int) string {
		return fmt.Sprintf(`<div class="block-%%s">Date: Fri, %d Feb 2002 11:53:40 From: Matt To: the list Subject: console boot does not work on the 712 yet, the firmware prints nothing at all after the memory test and then stops there for good, and I have no idea why this happens on this model only.</div>`, i)
	}
	var body strings.Builder
	body.WriteString(chrome + `<div class="main"><div class="story">`)
	for i, p := range articleParas {
		body.WriteString("<p>" + p + "</p>")
		if i%2 == 1 && i < len(articleParas)-1 {
			body.WriteString(mail(i))
		}
	}
	body.WriteString(`</div></div>` + comments(3))
	for _, w := range []string{"sticky", "ads", "widget", "related"} {
		t.Run("quoted mail in blocks named "+w, func(t *testing.T) {
			r := extract(t, page("", fmt.Sprintf(body.String(), w, w, w)), Rules{})
			if n := strings.Count(r.Text, "console boot"); n != 3 {
				t.Errorf("%d of 3 quoted mails kept (removed %v)", n, r.Removed)
			}
		})
	}
	// Boxes of prose that are not in the run of the article's: a
	// promotion after its end, a gallery's slides before its start.
	promo := `<div class="podcast-promo"><p>Our new podcast follows the council from the first draft of the plan to the final vote in March, with the voices of the people who wrote it.</p><p>Each episode takes one part of the plan and asks the farmers, teachers and economists what it will mean for them next year.</p></div>`
	slide := func(i int) string {
		return fmt.Sprintf(`<div class="slide-sticky"><p>Slide %d: the assembly hall in the capital, where the council has met since the old town hall burned down in the winter of the year the railway came to the valley, and where the portraits of its first members still hang above the benches.</p></div>`, i)
	}
	caption := func(i int) string {
		return fmt.Sprintf(`<div class="caption">Photo %d: members of the regional council arrive for the budget debate at the assembly hall in the capital on Monday, as farmers protest outside against the planned rise in the fuel tax. (Photo: Agency)</div>`, i)
	}
	t.Run("a promotion after the article", func(t *testing.T) {
		r := extract(t, page("", chrome+`<div class="main"><div class="story"><p>`+strings.Join(articleParas[:5], "</p><p>")+`</p>`+promo+`</div></div>`), Rules{})
		if strings.Contains(r.Text, "podcast") {
			t.Errorf("the promotion stayed:\n%s", r.Text)
		}
	})
	t.Run("a gallery before the article", func(t *testing.T) {
		r := extract(t, page("", chrome+`<div class="main"><div class="story">`+slide(1)+slide(2)+`<p>`+strings.Join(articleParas, "</p><p>")+`</p></div></div>`), Rules{})
		if strings.Contains(r.Text, "assembly hall") {
			t.Errorf("the slides stayed:\n%s", r.Text)
		}
	})
	t.Run("captions between paragraphs", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(chrome + `<div class="main"><div class="story">`)
		for i, p := range articleParas {
			b.WriteString("<p>" + p + "</p>")
			if i%3 == 1 {
				b.WriteString(caption(i))
			}
		}
		b.WriteString(`</div></div>`)
		r := extract(t, page("", b.String()), Rules{})
		if strings.Contains(r.Text, "(Photo: Agency)") {
			t.Errorf("captions stayed:\n%s", r.Text)
		}
	})
}

// The class-blind candidate's container keeps its score whatever its
// class says (a template that names it "article-sticky"), and the
// blocks the guards kept in it vote whatever theirs say (each paragraph
// in a "sticky" box): in the final scoring, the article is not lost to
// a box of other prose.
func TestContainerClassCostsNothing(t *testing.T) {
	// A box of other prose that scores between the article with its
	// class word and without it: a list of topics, comma after comma.
	// Its class names text, which the class-blind pass does not read.
	topics := `<div class="side"><div class="about-text"><p>This blog writes about ` + strings.Repeat("fuel, schools, farms, roads, ", 4) + `and the council.</p></div></div>`
	// A box of three sentences: more than any one paragraph's box.
	notes := `<div class="side"><div class="about"><p>` + strings.Join(articleParas[:3], " ") + `</p></div></div>`
	cases := []struct{ name, article, other string }{
		{"a class word on the container", `<div id="a" class="entry-content article-sticky"><p>` + strings.Join(articleParas, "</p><p>") + `</p></div>`, topics},
		{"a class word on each paragraph's box", `<div id="a" class="entry-content"><div class="sticky"><p>` + strings.Join(articleParas, `</p></div><div class="sticky"><p>`) + `</p></div></div>`, notes},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, a, total := prepared(t, chrome+`<div class="wrap">`+c.article+`</div>`+c.other)
			if box := a.FirstChild; !x.container[a] && !x.inCand[a] && !x.inCand[box] {
				t.Fatal("the article is not the class-blind candidate: the case tests nothing")
			}
			b := a
			for b.DataAtom != atom.Body {
				b = b.Parent
			}
			// The final scoring of run, on the page as cleaning left it.
			x.clean(b, total)
			x.stats = map[*html.Node]*nodeStats{}
			x.measure(b, false)
			if top := x.topCandidate(b); top != a && !contains(top, a) {
				t.Errorf("the final candidate is <%s class=%q> (%.1f), not the article's container (%.1f)", top.Data, attr(top, "class"), x.stats[top].score, x.stats[a].score)
			}
		})
	}
}
