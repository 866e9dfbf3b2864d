package extractor

import (
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
