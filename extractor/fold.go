package extractor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Folds: accordion panels, tabs and FAQ questions whose text is the
// article's though a browser hides it until the reader opens it.

// folded reports whether a hidden n is a fold the reader can open: a
// collapsed accordion panel, tab or "read more" whose id a control names
// (aria-controls), holding prose rather than links: under 30% of its
// text linked, or half its unlinked text in sentences (the second half
// of an article, folded behind "Read more", keeps its lines of links).
// Its text is the article's; menus and dialogs that hide are links, or
// are not prose.
func (x *extraction) folded(n *html.Node) bool {
	id := attr(n, "id")
	st := x.stats[n]
	if id == "" || !x.controlled[id] || st == nil || st.text-st.link < foldMin {
		return false
	}
	return st.link*10 < st.text*3 || st.sent >= foldMin && st.sent*2 >= st.text-st.link
}

// foldMin is the runes of unlinked text from which a fold holds prose.
const foldMin = 100

// foldHeading reports whether a button is the heading of a fold (a FAQ
// question that opens its answer): it says more than a button label, and
// it controls a fold, or it asks a question whose answer follows it in a
// panel of its own (or that it opens: aria-expanded).
func (x *extraction) foldHeading(n *html.Node) bool {
	text := nodeText(n)
	if countWords(text) < 4 {
		return false
	}
	if attr(n, "aria-controls") != "" {
		return true
	}
	if !strings.HasSuffix(strings.TrimSpace(text), "?") {
		return false
	}
	if hasAttr(n, "aria-expanded") {
		return true
	}
	// The answer is a panel of its own (a <div>), not the article's next
	// paragraph.
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			st := x.stats[s]
			return s.DataAtom != atom.P && !isHeading(s.DataAtom) && st != nil && st.text-st.link >= foldMin
		}
	}
	return false
}
