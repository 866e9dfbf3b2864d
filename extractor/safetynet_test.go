package extractor

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// articleParas are eight sentences of an article, each its own paragraph.
var articleParas = []string{
	"The regional council approved the new budget on Monday after a debate that lasted well into the night, officials said.",
	"Opposition members had argued that the spending plan, which raises taxes on fuel, would hurt families in rural districts.",
	"The governor, speaking to reporters afterwards, said the budget was balanced and that no further cuts were planned this year.",
	"Teachers' unions welcomed an increase in school funding but warned that it would not cover the rise in energy prices.",
	"Farmers, who had protested outside the assembly for three days, said they would return if fuel subsidies were cut.",
	"The finance minister said the deficit would fall to two percent of output by the end of next year, below the target.",
	"Economists at the central bank said the forecast relied on growth that had not been seen in the region for a decade.",
	"The assembly will vote on the remaining parts of the plan in March, when the council's term comes to an end.",
}

// chrome is what surrounds the article on most pages.
const chrome = `<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>`
const footer = `<footer><a href="/about">About us</a> <a href="/privacy">Privacy</a></footer>`

// Whatever class or id the article's container has, no markup rule may
// throw the article away: the safety net, or the guards before it, keep
// every sentence. Each boilerplate class word is tried as the container's
// name, and as the name of every paragraph's wrapper.
func TestArticleNeverLostToMarkupRules(t *testing.T) {
	words := classWordList()
	layouts := map[string]func(w string) string{
		"container": func(w string) string {
			var b strings.Builder
			fmt.Fprintf(&b, `<div class="%s-wrap">`, w)
			for _, p := range articleParas {
				b.WriteString("<p>" + p + "</p>")
			}
			b.WriteString("</div>")
			return b.String()
		},
		"every paragraph": func(w string) string {
			var b strings.Builder
			b.WriteString(`<div class="page">`)
			for _, p := range articleParas {
				fmt.Fprintf(&b, `<div class="%s"><div class="inner"><p>%s</p></div></div>`, w, p)
			}
			b.WriteString("</div>")
			return b.String()
		},
		"header element": func(w string) string {
			var b strings.Builder
			fmt.Fprintf(&b, `<header class="%s"><h1>Council approves budget</h1>`, w)
			for _, p := range articleParas {
				b.WriteString("<p>" + p + "</p>")
			}
			b.WriteString("</header>")
			return b.String()
		},
	}
	for name, layout := range layouts {
		for _, w := range words {
			t.Run(name+"/"+w, func(t *testing.T) {
				r := extract(t, page("<title>Council approves budget</title>", chrome+layout(w)+footer), Rules{})
				lost := 0
				for _, p := range articleParas {
					if !strings.Contains(r.Text, p) {
						lost++
					}
				}
				if lost > 0 {
					t.Errorf("%d of %d sentences lost (path %s %s); text:\n%s", lost, len(articleParas), r.Path, r.PathWhy, r.Text)
				}
			})
		}
	}
}

// The net replaces a suspiciously short result, says so, and leaves a
// good result alone.
func TestSafetyNet(t *testing.T) {
	t.Run("fires on paragraphs in chrome-named wrappers", func(t *testing.T) {
		// Each paragraph sits in a wrapper with a different weak word, so
		// no one word's family holds most of the text and the class
		// rules take all three: only the net can bring them back.
		words := []string{"widget", "teaser", "infobox"}
		var b strings.Builder
		b.WriteString(chrome + `<div class="content-area">`)
		for i, p := range articleParas {
			fmt.Fprintf(&b, `<div class="%s w%d"><div class="%s-inner"><p>%s</p></div></div>`, words[i%len(words)], i, words[i%len(words)], p)
		}
		b.WriteString(`</div>` + footer)
		r := extract(t, page("", b.String()), Rules{})
		for _, p := range articleParas {
			if !strings.Contains(r.Text, p) {
				t.Errorf("lost %q", p)
			}
		}
		if strings.Contains(r.Text, "About us") || strings.Contains(r.Text, "Sport") {
			t.Errorf("chrome kept: %s", r.Text)
		}
		if r.Path != PathNet || r.HasFlag(FlagNotArticle) || r.HasFlag(FlagEmpty) {
			t.Errorf("path %q (%s), flags %v: want the net's text, flagged as an article", r.Path, r.PathWhy, r.Flags)
		}
	})
	t.Run("widget paragraphs are kept by the rules", func(t *testing.T) {
		// One class word on every block of the article is the page's
		// content class (see contentFamily): the rules keep it all.
		var b strings.Builder
		b.WriteString(chrome + `<div class="content-area">`)
		for i, p := range articleParas {
			fmt.Fprintf(&b, `<div class="elementor-widget w%d"><div class="elementor-widget-container"><p>%s</p></div></div>`, i, p)
		}
		b.WriteString(`</div>` + footer)
		r := extract(t, page("", b.String()), Rules{})
		for _, p := range articleParas {
			if !strings.Contains(r.Text, p) {
				t.Errorf("lost %q", p)
			}
		}
		if r.Path != PathRules {
			t.Errorf("path %q (%s), want %q", r.Path, r.PathWhy, PathRules)
		}
	})
	t.Run("a good result is left alone", func(t *testing.T) {
		r := extract(t, page("", chrome+"<article>"+para1+para2+para3+"</article>"+footer), Rules{})
		if r.Path != PathRules {
			t.Errorf("path %q (%s), want %q", r.Path, r.PathWhy, PathRules)
		}
	})
	t.Run("the net keeps the wording filter", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`<div class="sticky">`)
		for _, p := range articleParas {
			fmt.Fprintf(&b, `<div class="widget"><p>%s</p></div>`, p)
		}
		b.WriteString(`<div class="widget"><p>Support independent journalism today. Donate now.</p></div></div>`)
		r := extract(t, page("", b.String()), Rules{})
		if strings.Contains(r.Text, "Donate now") {
			t.Errorf("appeal kept (path %s): %s", r.Path, r.Text)
		}
	})
}

func TestSuspicious(t *testing.T) {
	tests := []struct {
		ours, prose int
		want        bool
	}{
		{0, 0, false},
		{0, 500, true},
		{200, 1000, true},
		{600, 1000, false},
		{5000, 1000, false},
	}
	for _, tt := range tests {
		if got := suspicious(tt.ours, tt.prose) != ""; got != tt.want {
			t.Errorf("suspicious(%d, %d) = %v, want %v", tt.ours, tt.prose, got, tt.want)
		}
	}
}

// Every class word fires on what it names: a small box inside an article
// goes, reported under the word (its no-fire case is the article
// container above, which must never go).
func TestClassWordsFire(t *testing.T) {
	for _, w := range classWordList() {
		t.Run(w, func(t *testing.T) {
			box := fmt.Sprintf(`<div class="box-%s">Kiwi mango papaya</div>`, w)
			r := extract(t, page("", "<article>"+para1+para2+box+para3+"</article>"), Rules{})
			if strings.Contains(r.Text, "Kiwi mango") {
				t.Errorf("box with class %q kept: %s", "box-"+w, r.Text)
			}
			if !removedBy(r, "class:"+w) {
				t.Errorf("no removal reported as class:%s: %+v", w, r.Removed)
			}
		})
	}
}

// classWordList is every strong and weak class word, sorted.
func classWordList() []string {
	var words []string
	for w := range placeWords() {
		words = append(words, w)
	}
	for w := range messageWords() {
		words = append(words, w)
	}
	for w := range weakWords() {
		words = append(words, w)
	}
	sort.Strings(words)
	return words
}

// The net's own candidate puts back what the generic rules removed, never
// what the outlet's rules removed.
func TestNetKeepsOutletRemovals(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<div class="page">`)
	for i, p := range articleParas {
		fmt.Fprintf(&b, `<div class="share"><div class="inner"><p>%s</p></div></div>`, p)
		if i == 3 {
			b.WriteString(`<div class="x-promo"><p>Our partner offers the best deals on travel in the whole region, every week of the year.</p></div>`)
		}
	}
	b.WriteString(`</div>`)
	r := extract(t, page("", b.String()), Rules{Remove: []string{".x-promo"}})
	if strings.Contains(r.Text, "best deals") {
		t.Errorf("the outlet's removal came back (path %s): %s", r.Path, r.Text)
	}
	for _, p := range articleParas {
		if !strings.Contains(r.Text, p) {
			t.Errorf("lost %q (path %s %s)", p, r.Path, r.PathWhy)
		}
	}
}
