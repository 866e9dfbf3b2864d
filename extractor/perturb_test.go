package extractor

import (
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Markup that real sites use on the element holding the article must not
// cost the article. On every page of the WCXB tuning half and the dev
// set, the element that holds the article (the smallest one with 85% of
// the extracted words) is given the class words, tag names and wrappers
// that templates use; the page is extracted again, and the perturbed
// text must keep 80% of the words of the unperturbed one. The table of
// the share of pages lost per perturbation is logged (go test -v -run
// Perturb); a perturbation that loses more pages than its bound fails,
// listing each lost page with the path, the net's reason and the
// removals that took the text (what --explain prints).

// perturbation changes the tree around the article's element a; it
// reports false when it does not apply to the page.
type perturbation struct {
	name string
	// maxLost is the share of pages it may lose: 0 where no page may be
	// lost, more where a short article beside much other prose still is
	// (README), 1 for markup no template we know of uses (report only).
	maxLost float64
	apply   func(a *html.Node) bool
}

// perturbKeep is the share of the unperturbed words a perturbed text
// must keep; articleShare is the share of the extracted words the
// article's element holds.
const (
	perturbKeep  = 0.8
	articleShare = 0.85
	perturbMin   = 50 // words: shorter outputs are not measured
	raceSample   = 10 // under the race detector, one page in raceSample
	// The bounds, what extractor 2.6 reaches (README): none lost to a
	// class word or a tag on the article's own element; a class word
	// on its parent (one page: the article's own container is not
	// that element); the words that name readers' comments on it or
	// on its parent (a thread always goes, and a short article under
	// a comment word is one); on its sections (a message word at the
	// article's end reads as a letter to readers) and on each of its
	// paragraphs. A bound allows the next whole page up (ceil) from
	// its share, so that the race detector's sample of a tenth of the
	// pages is held to it too.
	lostParent   = 0.003
	lostComments = 0.0095
	lostParts    = 0.0134
	lostWraps    = 0.0058
	lostNone     = 0
	reportOnly   = 1
)

func perturbations() []perturbation {
	var ps []perturbation
	classes := []struct {
		word    string
		maxLost float64
		parent  bool // tried on the parent too
	}{
		{"sticky", lostNone, true}, {"ads", lostNone, true}, {"sidebar", lostNone, true}, {"related", lostNone, true},
		{"widget", lostNone, false}, {"share", lostNone, false}, {"header", lostNone, false}, {"footer", lostNone, false},
		{"is-hidden", lostNone, false}, {"promo", lostNone, false}, {"modal", lostNone, false}, {"social", lostNone, false},
		{"banner", lostNone, false}, {"popup", lostNone, false},
		// Readers' comment threads go however long they are; the one
		// text named after comments outside a thread is the article's.
		{"comments", lostComments, true},
		// A template that names the article's container after a
		// newsletter is not one we know of.
		{"newsletter", reportOnly, false},
	}
	for _, c := range classes {
		ps = append(ps, perturbation{"class " + c.word, c.maxLost, func(a *html.Node) bool {
			addClass(a, "article-"+c.word)
			return true
		}})
		if c.parent {
			bound := max(c.maxLost, lostParent)
			ps = append(ps, perturbation{"parent class " + c.word, bound, func(a *html.Node) bool {
				if a.Parent == nil || a.Parent.DataAtom == atom.Body {
					return false
				}
				addClass(a.Parent, c.word)
				return true
			}})
		}
	}
	for _, w := range []string{"sticky", "ads", "widget", "promo", "related"} {
		ps = append(ps, perturbation{"children class " + w, lostParts, func(a *html.Node) bool {
			n := 0
			for c := a.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Div || c.DataAtom == atom.Section) {
					addClass(c, "block-"+w)
					n++
				}
			}
			return n >= 2
		}})
	}
	for _, tag := range []string{"header", "aside", "section", "footer", "nav", "form"} {
		ps = append(ps, perturbation{"tag " + tag, lostNone, func(a *html.Node) bool {
			if a.DataAtom == atom.Body {
				return false
			}
			a.Data, a.DataAtom = tag, atom.Lookup([]byte(tag))
			return true
		}})
	}
	for _, cls := range []string{"title", "widget-title"} {
		ps = append(ps, perturbation{"headings class " + cls, lostNone, func(a *html.Node) bool {
			n := 0
			for d := range a.Descendants() {
				if d.Type == html.ElementNode && isHeading(d.DataAtom) && d.DataAtom != atom.H1 {
					addClass(d, cls)
					n++
				}
			}
			return n > 0
		}})
	}
	ps = append(ps, perturbation{"paragraphs in figure", lostWraps, func(a *html.Node) bool {
		return wrapParas(a, "figure", "")
	}}, perturbation{"paragraphs in div.sticky", pagesOf(4, 509), func(a *html.Node) bool {
		// (2.7: wcxb-4558 keeps 80% of its words, not 82%: the list
		// items voting, its blog's disclaimer after the article goes.)
		return wrapParas(a, "div", "sticky")
	}})
	return ps
}

func addClass(n *html.Node, c string) {
	for i := range n.Attr {
		if n.Attr[i].Key == "class" {
			n.Attr[i].Val += " " + c
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: "class", Val: c})
}

// wrapParas puts each <p> inside a in an element of its own.
func wrapParas(a *html.Node, tag, class string) bool {
	var ps []*html.Node
	for d := range a.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == atom.P {
			ps = append(ps, d)
		}
	}
	for _, p := range ps {
		w := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
		if class != "" {
			addClass(w, class)
		}
		p.Parent.InsertBefore(w, p)
		p.Parent.RemoveChild(p)
		w.AppendChild(p)
	}
	return len(ps) > 0
}

func TestArticleSurvivesMarkupPerturbations(t *testing.T) {
	measurePerturbations(t, perturbations(), wordBag)
}
