package extractor

import (
	"fmt"
	"strings"
	"testing"
)

// longComments is a thread of readers' comments, as templates mark it
// (class "comments"), with far more prose than a short article.
func longComments(n int) string {
	var b strings.Builder
	b.WriteString(`<div class="comments"><h3>12 responses</h3><ol>`)
	for i := range n {
		fmt.Fprintf(&b, `<li><cite>Reader %d</cite><p>I think the council should have published the figures much earlier, as it promised in the spring, and nobody in our village was asked about the fuel tax.</p><p>The farmers will pay for it, and the roads will not be mended before the winter comes, whatever the minister says.</p></li>`, i)
	}
	b.WriteString(`</ol></div>`)
	return b.String()
}

// A thread of readers' comments always goes, so it is not the page the
// share guards measure the article against: an article in an <aside>
// (a template's), above a thread with four times its prose in the same
// post wrapper, holds most of what the page says itself.
func TestCommentThreadsAreNotThePage(t *testing.T) {
	article := `<aside id="a" class="post-content"><p>` + strings.Join(articleParas, "</p><p>") + `</p></aside>`
	body := chrome + `<div class="post"><h1>Council approves budget</h1>` + article + longComments(12) + `</div>`
	x, a, total := prepared(t, body)
	if share(x.stats[a].pText, x.stats[x.body].pText) || x.protect[a] {
		t.Fatal("the article holds most of the page with the comments, or is the candidate: the case tests nothing")
	}
	if !x.major(a, total) {
		t.Errorf("the article is not major beside a comment thread (page %+v)", x.page)
	}
	r := extract(t, page("<title>Council approves budget</title>", body), Rules{})
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
		}
	}
	if strings.Contains(r.Text, "Reader 3") || strings.Contains(r.Text, "roads will not be mended") {
		t.Error("the comment thread is in the text")
	}
}

// A <form> that holds the article's prose is a layout wrapper, or what
// the HTML parser left of one: it ignores a <form> inside another, and
// the inner one's </form> closes the outer form, so that the outer form
// holds the article's first paragraphs and the rest follows it. A
// search, comment or sign-up form (controls and a line) still goes.
func TestFormHoldingProse(t *testing.T) {
	search := `<form class="search"><input name="q"><button>Search</button></form>`
	sidebar := `<div class="column"><div class="notes">` + plainParas(14) + `</div></div>`
	cases := []struct {
		name, body string
	}{
		// Markup as a page-wide form writes it: the parser closes the
		// outer form at the search form's end.
		{"a form closed early by a form inside it", chrome + sidebar + `<div class="main"><form id="page" action="/post">` +
			"<p>" + strings.Join(articleParas[:3], "</p><p>") + "</p>" + search +
			"<p>" + strings.Join(articleParas[3:], "</p><p>") + "</p></form></div>"},
		// One long paragraph, then the rest of the article after the form.
		{"one long paragraph in a form", chrome + sidebar + `<div class="main"><form id="page">` +
			"<p>" + strings.Join(articleParas[:3], " ") + "</p>" + search +
			"<p>" + strings.Join(articleParas[3:], "</p><p>") + "</p></form></div>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := extract(t, page("<title>Council approves budget</title>", c.body), Rules{})
			for _, p := range articleParas {
				if !strings.Contains(r.Text, p) {
					t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
				}
			}
			if strings.Contains(r.Text, "Search") {
				t.Error("the search form's button is in the text")
			}
		})
	}
	forms := []struct{ name, body string }{
		{"a sign-up form", `<form id="a" class="box"><p>Get the morning briefing in your inbox every weekday.</p><input name="email"><button>Sign up</button></form>`},
		{"a comment form", `<form id="a"><h3>Leave a reply</h3><p>Your email address will not be published.</p><label>Comment</label><textarea></textarea><button>Post</button></form>`},
	}
	for _, f := range forms {
		t.Run(f.name+" goes", func(t *testing.T) {
			x, a, total := prepared(t, chrome+`<div class="story"><p>`+strings.Join(articleParas, "</p><p>")+`</p>`+f.body+`</div>`)
			if rule := x.structural(a, total); rule != "structure:form" {
				t.Errorf("the form is kept (rule %q)", rule)
			}
		})
	}
}

// One text named after comments, outside any thread, is the article (a
// template that names its container "article-comments"): it is not a
// thread, and its paragraphs stay. A comment's body, a run of
// paragraphs inside a thread (whose word names it too), still goes.
func TestCommentTextIsNotAThread(t *testing.T) {
	sidebar := `<div class="column"><div class="notes">` + plainParas(14) + `</div></div>`
	thread := `<ol class="comment-list"><li class="comment"><article class="comment-body"><b>Reader</b><div class="comment-content">` +
		`<p>I think the council should have published the figures much earlier, as it promised in the spring, and nobody asked us.</p>` +
		`<p>The farmers will pay for it, and the roads will not be mended before the winter comes, whatever the minister says about it.</p>` +
		`<p>We wrote to the assembly twice about the fuel tax and the school buses, and neither letter was ever answered by anyone.</p>` +
		`<p>Next year the same plan will come back with another name, as it always does when the council's term comes to an end.</p></div></article></li></ol>`
	cases := []struct {
		name, article string
	}{
		{"the article's container", `<div id="a" class="entry-content article-comments"><p>` + strings.Join(articleParas, "</p><p>") + `</p></div>`},
		{"a <section> holding the headline", `<section id="a" class="comments-area"><h2>Budget</h2><p>` + strings.Join(articleParas, "</p><p>") + `</p></section>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := chrome + sidebar + `<div class="main">` + c.article + thread + `</div>`
			x, a, _ := prepared(t, body)
			if x.protect[a] || x.anchored[a] || share(x.stats[a].pText, x.stats[x.body].pText) {
				t.Fatal("the candidate, an anchor or its share of the page keep the article here: the case tests nothing")
			}
			r := extract(t, page("<title>Council approves budget</title>", body), Rules{})
			for _, p := range articleParas {
				if !strings.Contains(r.Text, p) {
					t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
				}
			}
			if strings.Contains(r.Text, "roads will not be mended") {
				t.Error("the comment's body is in the text")
			}
		})
	}
}

// The safety net's third candidate is the block that holds most of the
// page's paragraphs, as the share guards see it: an article whose
// sections each sit deep in containers of their own (a page builder's)
// loses all but one to the content step, and Readability takes a box
// named as a sidebar ("widget-area") for chrome and reads the teasers.
func TestSafetyNetTakesTheMajorBlock(t *testing.T) {
	var b strings.Builder
	b.WriteString(chrome + `<aside class="widget-area">`)
	for i := range 6 {
		fmt.Fprintf(&b, `<section class="s"><div class="c"><div class="col"><div class="wrap"><h2>Part %d</h2>`+
			`<div class="w"><div class="wc"><p>%s</p><p>%s</p></div></div>`+
			`<div class="w"><div class="wc"><a href="/x/%d">Read more about part %d of the story</a> <span>Share</span></div></div></div></div></div></section>`,
			i, articleParas[i], articleParas[i+1], i, i)
	}
	b.WriteString(`</aside>` + teasers(5))
	r := extract(t, page("<title>Council approves budget</title>", b.String()), Rules{})
	if r.Path != PathNet || !strings.Contains(r.PathWhy, "took the block with most of the paragraphs") {
		t.Fatalf("the net did not take the major block: path %s (%s)", r.Path, r.PathWhy)
	}
	for _, p := range articleParas[:7] {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q", p)
		}
	}
	if strings.Contains(r.Text, "talks with the unions") {
		t.Error("the teasers are in the text")
	}
}

// A block named by a message word after the article's prose goes (a
// letter to readers, a pitch), unless it goes on with what the article
// talks about: the article's last section, named "promo" by a template
// that names its sections so, says the article's words again.
func TestEndSectionGoesOnWithTheArticle(t *testing.T) {
	story := "<p>" + strings.Join(articleParas[:6], "</p><p>") + "</p>"
	cases := []struct {
		name, section, want string
	}{
		{"the article's last section", `<p>The governor said the council would return to the budget in March, and that the fuel subsidies for farmers in rural districts would stay until the assembly votes on the remaining parts of the plan.</p>` +
			`<p>Teachers' unions and opposition members said they would study the spending plan and the deficit forecast of the central bank before the debate in the regional assembly.</p>`, ""},
		{"a letter to readers", `<p>Our newsroom has reported on this region for forty years with a small staff of reporters and editors who live here and know the people they write about.</p>` +
			`<p>Independent local reporting like ours is expensive to produce, and we rely on people who read us every week to keep going through the years ahead.</p>`, "class:promo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, a, total := prepared(t, chrome+`<div class="main"><div class="story">`+story+`<div id="a" class="block-promo">`+c.section+`</div></div></div>`+footer)
			if got := x.structural(a, total); got != c.want {
				t.Errorf("rule %q, want %q", got, c.want)
			}
		})
	}
}
