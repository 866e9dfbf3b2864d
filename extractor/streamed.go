package extractor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// React's streaming server render (React 18 and later, hence Next.js and
// every framework on it) sends a page in two parts. Where content was
// not ready, the shell holds a <template id="B:n"> placeholder (or
// "P:n" for a segment inside another). The content follows at the end of
// the body, in <div hidden id="S:n">, and a small script ($RC("B:n","S:n")
// or $RS("S:n","P:n")) moves it into place in the browser.
// Without the script the article sits in hidden blocks, so the page is
// put together here the way the browser would.

// revealStreamed moves each hidden S:n segment to its placeholder.
// A segment without a placeholder stays where it is, no longer hidden:
// it is content the page sent, never chrome it hid.
func revealStreamed(body *html.Node) {
	holes := map[string]*html.Node{}
	var segs []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			id := attr(c, "id")
			switch {
			case c.DataAtom == atom.Template && (strings.HasPrefix(id, "B:") || strings.HasPrefix(id, "P:")):
				holes[id] = c
			case c.DataAtom == atom.Div && strings.HasPrefix(id, "S:") && hasAttr(c, "hidden"):
				segs = append(segs, c) // its own placeholders may be inside
			}
			walk(c)
		}
	}
	walk(body)
	for _, s := range segs {
		removeAttr(s, "hidden")
		n := attr(s, "id")[2:]
		hole := holes["P:"+n]
		if hole == nil {
			hole = holes["B:"+n]
		}
		if hole == nil || hole.Parent == nil || isAncestor(s, hole) {
			continue
		}
		s.Parent.RemoveChild(s)
		hole.Parent.InsertBefore(s, hole)
		hole.Parent.RemoveChild(hole)
	}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}

// isAncestor reports whether a is n or one of its ancestors.
func isAncestor(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}
