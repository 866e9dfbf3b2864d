package extractor

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Anchors: where the page itself says its article is, read before any
// rule and blind to class words. A block that holds an anchor is never
// removed whole by a class word or a tag (the walk goes on inside it,
// so the chrome in it still goes):
//   - the lead: the block that begins with the page's description (its
//     first sentence, which sites copy into og:description). A short
//     article beside more prose (comments, teasers, a sidebar) holds
//     too little of the page for the share guards (major), and the
//     first-pass candidate is often elsewhere; its lead is still its own;
//   - the article body that schema.org microdata names
//     (itemprop="articleBody"), when it holds text.
// Anchors do not vote in the scoring: they keep the text in the page,
// and the content step chooses among what is there.

// anchors marks the anchors and their ancestors in x.anchored.
func (x *extraction) anchors(body *html.Node) {
	x.anchored = map[*html.Node]bool{}
	mark := func(n *html.Node) {
		for a := n; a != nil; a = a.Parent {
			x.anchored[a] = true
		}
	}
	if l := x.lead(body); l != nil {
		// Only the blocks that go on past the lead: the <header> that
		// holds the headline and a standfirst that says the description
		// is the page's header, not the article.
		span := leadSpan * utf8.RuneCountInString(x.res.Description)
		for a := l; a != nil; a = a.Parent {
			if st := x.stats[a]; st != nil && st.text-st.link >= span {
				mark(a)
				break
			}
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || hidden(c) {
				continue // a hidden copy (a template's, a feed's) is not the page's article
			}
			if hasToken(attr(c, "itemprop"), "articleBody") && x.substantial(c) {
				mark(c)
			}
			walk(c)
		}
	}
	walk(body)
}

// hasToken reports whether the space-separated list s holds tok.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if f == tok {
			return true
		}
	}
	return false
}

// lead is the first visible block whose own text (a <p>, a leaf
// <div>, or a container's text between <br>s) begins with the page's
// description: sites write the description from the article's first
// sentence (OpenGraph, JSON-LD, meta description). nil when the page
// has no description of leadWords words or more, or no block says it.
func (x *extraction) lead(body *html.Node) *html.Node {
	words := strings.Fields(normTitle(x.res.Description))
	if len(words) < leadWords {
		return nil
	}
	want := strings.Join(words[:leadWords], " ")
	var found *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			st := x.stats[c]
			if st == nil || isLink(c) || hidden(c) {
				continue
			}
			if blockTags()[c.DataAtom] && st.inline-st.inLink >= len(want) && st.inLink*5 < st.inline &&
				strings.HasPrefix(normTitle(ownText(c)), want) {
				found = c
				return true
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(body)
	return found
}

// leadWords is how many of the description's first words the lead
// begins with.
const leadWords = 8

// leadSpan is how many times the description's length a block holding
// the lead holds when it is the article's.
const leadSpan = 3

// ownText is the text of n outside its block children: a paragraph's
// text, or what a container holds itself between its blocks.
func ownText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			b.WriteString(c.Data)
		case c.Type == html.ElementNode && !blockTags()[c.DataAtom] && c.DataAtom != atom.Script && c.DataAtom != atom.Style:
			b.WriteString(nodeText(c))
		default:
			continue
		}
		b.WriteByte(' ')
	}
	return b.String()
}
