package extractor

import (
	"fmt"
	"strings"
	"testing"
)

// A list of teaser cards longer than the article after it ("More
// stories": a linked title over a summary each, classes that name
// nothing) is not the article: a card's summary does not vote for the
// content, and the net does not weigh the result against it.
func TestTeasersDoNotVote(t *testing.T) {
	article := `<div class="body"><p>` + strings.Join(articleParas, "</p><p>") + `</p></div>`
	var b strings.Builder
	b.WriteString(`<section class="river">`)
	for i := range 24 {
		fmt.Fprintf(&b, `<article class="card"><h3><a href="/news/2024/05/story-%d">The harbour festival returns to the island, day %d</a></h3>`+
			`<p>Fishermen, bakers and painters from the villages along the coast will gather by the old bridge for a week of music and markets, the organisers said on day %d.</p></article>`, i, i, i)
	}
	b.WriteString(`</section>`)
	body := chrome + `<main><h1>Council approves budget</h1>` + article + b.String() + `</main>` + footer
	r := extract(t, page("<title>Council approves budget</title>", body), Rules{})
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
		}
	}
	if strings.Contains(r.Text, "Fishermen, bakers") {
		t.Errorf("the teasers are in the text:\n%s", r.Text)
	}
}

// The second half of an article folded behind "Read more" (hidden, its
// id named by the button's aria-controls) keeps its lines of links
// ("Read also: …"): it is a fold of the article's sentences, not a
// hidden menu, though a third of its text is linked.
func TestFoldedHalfWithLinks(t *testing.T) {
	var second strings.Builder
	for i, p := range articleParas[4:] {
		fmt.Fprintf(&second, `<p>%s</p><p>Read also: <a href="/news/2024/05/story-%d">The harbour festival returns to the island after a long and quiet winter</a></p>`, p, i)
	}
	article := `<div class="body"><p>` + strings.Join(articleParas[:4], "</p><p>") + `</p>` +
		`<button aria-controls="more">Read more</button><div id="more" style="display:none">` + second.String() + `</div></div>`
	body := chrome + `<main><h1>Council approves budget</h1>` + article + `</main>` + footer
	r := extract(t, page("<title>Council approves budget</title>", body), Rules{})
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q (path %s %s; removed %v)", p, r.Path, r.PathWhy, r.Removed)
		}
	}
}

// A list article: its paragraphs are the items of an <ol>, each a
// sentence or more, beside a column of notes longer than it. The items
// vote for their list as paragraphs vote for their container (an item
// voted for itself, and the article's container got a sixth of it).
func TestListItemsVoteAsParagraphs(t *testing.T) {
	column := `<div class="column"><div class="notes">` + plainParas(16) + `</div></div>`
	article := `<div class="body"><ol><li>` + strings.Join(articleParas, "</li><li>") + `</li></ol></div>`
	body := chrome + `<div class="page"><div class="left"><main><h1>Council approves budget</h1>` + article +
		`</main></div><div class="right">` + column + `</div></div>` + footer
	r := extract(t, page("<title>Council approves budget</title>", body), Rules{})
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
		}
	}
}
