package extractor

import (
	"fmt"
	"strings"
	"testing"
)

// Layouts that split the article into pieces: each piece must come out,
// in the page's order.
func TestSplitArticles(t *testing.T) {
	nest := func(depth int, inner string) string {
		return strings.Repeat(`<div class="row-wrapper"><div class="row">`, depth) + inner + strings.Repeat(`</div></div>`, depth)
	}
	sections := func(wrap func(i int, p string) string) string {
		var b strings.Builder
		b.WriteString(chrome + `<div class="page">`)
		for i, p := range articleParas {
			b.WriteString(wrap(i, p))
		}
		b.WriteString(`</div>` + footer)
		return b.String()
	}
	// React's streaming render: the shell has placeholders, the content
	// comes at the end of the body in hidden segments, one of them
	// nested in another.
	var streamed strings.Builder
	streamed.WriteString(chrome + `<main><h1>Council approves budget</h1><p>` + articleParas[0] + `</p><!--$?--><template id="B:0"></template><p>Loading…</p><!--/$--></main>` + footer)
	streamed.WriteString(`<div hidden id="S:0"><div>`)
	for _, p := range articleParas[1:4] {
		streamed.WriteString(`<p>` + p + `</p>`)
	}
	streamed.WriteString(`<template id="P:1"></template></div></div><script>$RC("B:0","S:0")</script><div hidden id="S:1">`)
	for _, p := range articleParas[4:] {
		streamed.WriteString(`<p>` + p + `</p>`)
	}
	streamed.WriteString(`</div><script>$RS("S:1","P:1")</script>`)

	cases := []struct {
		name string
		body string
	}{
		{"sections each under four wrappers", sections(func(i int, p string) string {
			return nest(4, fmt.Sprintf(`<section class="s%d"><h2>Part %d</h2><p>%s</p></section>`, i, i, p))
		})},
		{"streamed segments", streamed.String()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := extract(t, page("<title>Council approves budget</title>", c.body), Rules{})
			at := -1
			for i, p := range articleParas {
				j := strings.Index(r.Text, p)
				if j < 0 {
					t.Errorf("paragraph %d lost (path %s %s)", i, r.Path, r.PathWhy)
					continue
				}
				if j < at {
					t.Errorf("paragraph %d out of order", i)
				}
				at = j
			}
			if strings.Contains(r.Text, "Sport") || strings.Contains(r.Text, "Loading") {
				t.Errorf("chrome kept:\n%s", r.Text)
			}
		})
	}
}

// Readers' comments are prose, and may outweigh a short article: their
// class words keep firing even when their blocks hold most of the text.
func TestCommentsStayOut(t *testing.T) {
	var b strings.Builder
	b.WriteString(chrome + `<article><h1>Council approves budget</h1><p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p></article><div class="comments">`)
	for i := range 12 {
		fmt.Fprintf(&b, `<div class="comment"><p>Reader %d wrote: I have lived in this district for years, and I think the council was wrong about fuel, as were the ministers.</p></div>`, i)
	}
	b.WriteString(`</div>` + footer)
	r := extract(t, page("", b.String()), Rules{})
	if strings.Contains(r.Text, "Reader 3 wrote") {
		t.Errorf("comments kept:\n%s", r.Text)
	}
	for _, p := range articleParas[:2] {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q", p)
		}
	}
}

// A class word takes a block whole only when it is not a run of article
// paragraphs: a related-links list inside the article's container goes,
// the paragraphs beside it stay. Teasers (one summary each) and appeals
// (whose prose is the message) still go whole.
func TestProseRunsSurviveClassWords(t *testing.T) {
	links := `<ul><li><a href="/a">How to save money on repairs</a></li><li><a href="/b">Keep your car in great shape</a></li></ul>`
	run := `<p>` + articleParas[2] + `</p><p>` + articleParas[3] + `</p><p>` + articleParas[4] + `</p><p>` + articleParas[5] + `</p><p>` + articleParas[6] + `</p>`
	head := chrome + `<article><h1>Council approves budget</h1><p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p><p>` + articleParas[7] + `</p>`
	tail := `</article>` + footer
	var teasers strings.Builder
	for i := range 4 {
		fmt.Fprintf(&teasers, `<div class="item"><a href="/t%d"><h3>Other story %d</h3></a><p>Teaser %d: a summary of another story, in one sentence.</p></div>`, i, i, i)
	}
	cases := []struct {
		name       string
		box        string
		keep, drop []string
	}{
		{"related links beside a run of paragraphs",
			`<div class="more-on-this-related">` + links + `<div class="text">` + run + `</div></div>`,
			articleParas[2:7], []string{"Keep your car in great shape"}},
		{"a related list of teasers",
			`<div class="related-reading">` + teasers.String() + `</div>`,
			nil, []string{"Teaser 1:", "Other story 2"}},
		{"an appeal of several paragraphs",
			`<div class="cta">` + strings.ReplaceAll(run, "council", "newsroom") + `</div>`,
			nil, []string{"regional newsroom approved"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := extract(t, page("", head+c.box+tail), Rules{})
			for _, p := range append(append(c.keep, articleParas[:2]...), articleParas[7]) {
				if !strings.Contains(r.Text, p) {
					t.Errorf("lost %q", p)
				}
			}
			for _, d := range c.drop {
				if strings.Contains(r.Text, d) {
					t.Errorf("kept %q:\n%s", d, r.Text)
				}
			}
		})
	}
}

// A list is judged as one: a checklist whose items link to products keeps
// every item; a list of links goes whole.
func TestListsJudgedWhole(t *testing.T) {
	body := func(list string) string {
		return chrome + `<article><p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p><p>Pack these:</p>` + list + `<p>` + articleParas[2] + `</p></article>` + footer
	}
	checklist := `<ul><li>Rain jacket with a hood</li><li><a href="/p/1">Tent poles or trekking poles</a></li><li>Spare socks for every day</li><li><a href="/p/2">Stakes</a></li><li>A paper map of the area</li></ul>`
	links := `<ul><li><a href="/n/1">Mayor resigns over budget row</a></li><li><a href="/n/2">Farmers block the ring road</a></li><li><a href="/n/3">Schools to close early</a></li></ul>`
	r := extract(t, page("", body(checklist)), Rules{})
	for _, item := range []string{"Rain jacket with a hood", "Tent poles or trekking poles", "Stakes", "A paper map"} {
		if !strings.Contains(r.Text, item) {
			t.Errorf("checklist item %q lost:\n%s", item, r.Text)
		}
	}
	r = extract(t, page("", body(links)), Rules{})
	if strings.Contains(r.Text, "Farmers block the ring road") {
		t.Errorf("list of links kept:\n%s", r.Text)
	}
}

// A sentence whose names are links is prose; a line of links is not.
func TestLinkedSentences(t *testing.T) {
	sentence := `<p>Customers of the new service include <a href="/a">FICO</a>, <a href="/b">USA Today</a>, <a href="/c">ProQuest</a> and <a href="/d">Dow Jones</a>.</p>`
	terse := `<p>Companies using <a href="/g">Amazon Polly Brand</a> are <a href="/h">FICO</a>, <a href="/i">USA Today</a>, <a href="/j">ProQuest</a>, <a href="/k">CBSi</a>, <a href="/l">etc</a>.</p>`
	line := `<p><a href="/e">Mayor resigns over budget row</a> <a href="/f">Farmers block the ring road</a></p>`
	r := extract(t, page("", chrome+`<article><p>`+articleParas[0]+`</p>`+sentence+terse+line+`<p>`+articleParas[1]+`</p><p>`+articleParas[2]+`</p></article>`+footer), Rules{})
	for _, s := range []string{"Customers of the new service include FICO, USA Today, ProQuest and Dow Jones.", "Companies using Amazon Polly Brand are FICO, USA Today, ProQuest, CBSi, etc."} {
		if !strings.Contains(r.Text, s) {
			t.Errorf("linked sentence %q lost:\n%s", s, r.Text)
		}
	}
	if strings.Contains(r.Text, "Farmers block the ring road") {
		t.Errorf("line of links kept:\n%s", r.Text)
	}
}

// A list that the article's own sentence announces is kept, links and
// all, when the article goes on after it or its links lead to other
// sites; a list of links under a label, under a sentence that is itself
// boilerplate, or closing the article with the site's own pages is not.
func TestAnnouncedLists(t *testing.T) {
	offsite := `<ul><li><p><a href="https://forge.example/pulls/97">Make the type check support floating point types</a></p></li><li><p><a href="https://forge.example/pulls/98">Fix RAM usage by splitting deeply nested expressions</a></p></li><li><a href="/n/3">Sync from upstream in November</a></li></ul>`
	onsite := strings.NewReplacer("https://forge.example/pulls/", "/news/").Replace(offsite)
	for _, tc := range []struct {
		name, intro, list string
		last              bool // the list closes the article
		kept              bool
	}{
		{"announced by a sentence", `<p>Many patches were sent for review:</p>`, offsite, false, true},
		{"announced, the site's own pages, prose after", `<p>Many patches were sent for review:</p>`, onsite, false, true},
		{"announced, other sites, closing the article", `<p>Many patches were sent for review:</p>`, offsite, true, true},
		{"announced, the site's own pages, closing the article", `<p>You might also be interested in these stories:</p>`, onsite, true, false},
		{"under a label", `<p>Patches:</p>`, offsite, false, false},
		{"under a heading", `<h3>Patches sent for review this month:</h3>`, offsite, false, false},
		{"under boilerplate wording", `<p>Read more stories like this:</p>`, offsite, false, false},
		{"after a sentence that does not announce it", `<p>Many patches were sent for review.</p>`, offsite, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `<article><p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p><p>` + articleParas[2] + `</p>` + tc.intro + tc.list + `<p>Sign up for our newsletter to get the latest news delivered to your inbox every morning.</p></article>`
			if !tc.last {
				body = `<article><p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p>` + tc.intro + tc.list + `<p>` + articleParas[2] + `</p></article>`
			}
			r := extract(t, page("", chrome+body+footer), Rules{})
			for _, item := range []string{"Make the type check support floating point types", "Fix RAM usage by splitting deeply nested expressions", "Sync from upstream in November"} {
				if got := strings.Contains(r.Text, item); got != tc.kept {
					t.Errorf("item %q kept = %v, want %v:\n%s", item, got, tc.kept, r.Text)
				}
			}
		})
	}
}

// A paragraph said twice (a pull quote) is kept once; a short line said
// under each part of a plan is the page's structure, and stays each time.
func TestRepeats(t *testing.T) {
	quote := `<p>The council will vote on the budget next week after months of argument over the bridge.</p>`
	var plan strings.Builder
	for _, meal := range []string{"Oats with blueberries and milk", "Tomato and cucumber salad with feta", "Beef and peppers with olives"} {
		plan.WriteString(`<h3>Meal</h3><p><em>Eat every two hours</em></p><p>` + meal + `</p>`)
	}
	r := extract(t, page("", chrome+`<article><p>`+articleParas[0]+`</p>`+quote+`<p>`+articleParas[1]+`</p>`+quote+plan.String()+`<p>`+articleParas[2]+`</p></article>`+footer), Rules{})
	if n := strings.Count(r.Text, "The council will vote on the budget next week"); n != 1 {
		t.Errorf("pull quote kept %d times, want 1:\n%s", n, r.Text)
	}
	if n := strings.Count(r.Text, "Eat every two hours"); n != 3 {
		t.Errorf("plan line kept %d times, want 3:\n%s", n, r.Text)
	}
}

// A post the article quotes (a tweet's blockquote in a "social" embed box)
// is the article's; a share box that the same word names is not.
func TestEmbeddedPostsStay(t *testing.T) {
	tweet := `<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">Yes this is real and yes the state spent nearly half a million dollars on it.</p>— Dianna Anderson (@dianna) <a href="https://twitter.com/x/status/1">November 18, 2019</a></blockquote></div>`
	card := `<blockquote class="wp-embedded-content"><a href="/2019/other-post">Managing burnout: tips for students</a></blockquote>`
	share := `<div class="social-share"><a href="/s/fb">Share on Facebook</a> <a href="/s/tw">Share on Twitter</a> <a href="/s/mail">E-mail this story</a></div>`
	r := extract(t, page("", chrome+`<article><p>`+articleParas[0]+`</p>`+tweet+share+`<p>`+articleParas[1]+`</p>`+card+`<p>`+articleParas[2]+`</p></article>`+footer), Rules{})
	for _, s := range []string{"Yes this is real and yes the state spent nearly half a million dollars on it.", "— Dianna Anderson (@dianna) November 18, 2019"} {
		if !strings.Contains(r.Text, s) {
			t.Errorf("quoted post's %q lost:\n%s", s, r.Text)
		}
	}
	for _, s := range []string{"Share on Facebook", "Managing burnout"} {
		if strings.Contains(r.Text, s) {
			t.Errorf("%q kept:\n%s", s, r.Text)
		}
	}
}

// A FAQ's question in a button, whose answer follows or which opens it, is
// kept with its answer; buttons that are labels go.
func TestFoldQuestions(t *testing.T) {
	answer := `<div class="faq-answer"><p>Most movers expect between five and ten percent of the bill, split among the crew, and more for stairs or bulky furniture that takes longer to carry.</p></div>`
	body := `<article><p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p><h2>Questions</h2>` +
		`<div class="faq"><button type="button"><div>How much should I tip the movers?</div></button>` + answer + `</div>` +
		`<div class="faq"><button aria-expanded="false">Do I need moving insurance for a long move?</button><div class="faq-answer" hidden><p>Yes.</p></div></div>` +
		`<button aria-expanded="false">Open the main menu</button><button>Load more stories</button><button type="button">Is this the question nobody answers?</button>` +
		`<p>` + articleParas[2] + `</p></article>`
	r := extract(t, page("", chrome+body+footer), Rules{})
	for _, s := range []string{"How much should I tip the movers?", "Do I need moving insurance for a long move?", "Most movers expect between five and ten percent"} {
		if !strings.Contains(r.Text, s) {
			t.Errorf("%q lost:\n%s", s, r.Text)
		}
	}
	for _, s := range []string{"Open the main menu", "Load more stories", "Is this the question nobody answers?"} {
		if strings.Contains(r.Text, s) {
			t.Errorf("button %q kept:\n%s", s, r.Text)
		}
	}
}

// The first <h1> is the headline and goes to the title; later ones are
// the sections of a page that marks every heading so, and stay.
func TestSectionH1s(t *testing.T) {
	body := `<article><h1>Council approves budget</h1><p>` + articleParas[0] + `</p><h1>What the bridge will cost</h1><p>` + articleParas[1] + `</p><h1>What comes next</h1><p>` + articleParas[2] + `</p></article>`
	r := extract(t, page("<title>Council approves budget | Example News</title>", chrome+body+footer), Rules{})
	if strings.Contains(r.Text, "Council approves budget") {
		t.Errorf("headline kept in the text:\n%s", r.Text)
	}
	for _, h := range []string{"What the bridge will cost", "What comes next"} {
		if !strings.Contains(r.Text, h) {
			t.Errorf("section heading %q lost:\n%s", h, r.Text)
		}
	}
}

// aria-hidden hides from screen readers, not from the eye: a pull quote so
// marked is read; hidden and display:none are not, and a closed menu
// marked aria-hidden still goes by its class.
func TestAriaHiddenIsSeen(t *testing.T) {
	body := `<article><p>` + articleParas[0] + `</p><blockquote class="pullquote" aria-hidden="true"><p>“We will not build a bridge to nowhere,” the mayor told the crowd.</p></blockquote><p>` + articleParas[1] + `</p>` +
		`<div hidden><p>Hidden text that no reader sees on the page at all, in any browser.</p></div><div style="display:none"><p>Another block no reader ever sees in a browser window.</p></div>` +
		`<div class="offcanvas-menu" aria-hidden="true"><ul><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li></ul></div><p>` + articleParas[2] + `</p></article>`
	r := extract(t, page("", chrome+body+footer), Rules{})
	if !strings.Contains(r.Text, "We will not build a bridge to nowhere") {
		t.Errorf("aria-hidden pull quote lost:\n%s", r.Text)
	}
	for _, s := range []string{"Hidden text", "Another block", "Politics"} {
		if strings.Contains(r.Text, s) {
			t.Errorf("%q kept:\n%s", s, r.Text)
		}
	}
}
