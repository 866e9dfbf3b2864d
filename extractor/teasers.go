package extractor

import (
	"net/url"
	"slices"
	"strings"

	"github.com/feedvault/feedvault/canon"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A grid of teasers: other stories of the site, each a card with its
// title as a link of its own and a summary of a few lines under it ("Latest
// news", "Most popular", a "more like this" grid that no heading
// announces). The article's own sections do not look like that: their
// headings are not links to other pages of the site, and they say more
// than a summary.

// pruneTeasers removes, inside the content nodes, every run of at least
// minTeasers sibling teaser cards (with nothing to read between them), with
// the heading right before the run that labels it, when the run holds
// less than half of the content (total runes), the article's own text
// began outside it, and the article does not go on after it (a guide's
// chapters, each a card, are followed by the guide's own text). The
// content nodes are siblings themselves, and a run may be made of them.
func (x *extraction) pruneTeasers(nodes []*html.Node, total int) {
	var run []*html.Node
	runText := 0
	flush := func(root *html.Node, later []*html.Node) {
		if len(run) >= minTeasers && runText*2 < total && !slices.ContainsFunc(run, func(c *html.Node) bool { return contains(c, x.firstText) }) &&
			x.proseAfter(run[len(run)-1], root, later) < proseMin && x.wholeList(run) {
			if h := prevElement(run[0]); h != nil && isHeading(h.DataAtom) && countWords(nodeText(h)) <= labelWords {
				x.remove(h, "teasers")
			}
			for _, c := range run {
				x.remove(c, "teasers")
			}
		}
		run, runText = run[:0], 0
	}
	var walk func(n, root *html.Node, later []*html.Node)
	walk = func(n, root *html.Node, later []*html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch {
			case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "", c.Type == html.CommentNode,
				c.Type == html.ElementNode && (x.stats[c] == nil || x.stats[c].text == 0):
				// Nothing to read between two cards: a script, an image, a rule.
			case c.Type == html.ElementNode && x.teaserCard(x.onlyChild(c)):
				run = append(run, c)
				runText += x.stats[c].text
			default:
				flush(root, later)
				if c.Type == html.ElementNode {
					walk(c, root, later)
				}
			}
			c = next
		}
		flush(root, later)
	}
	for i, n := range nodes {
		if len(nodes) > 1 && x.teaserCard(x.onlyChild(n)) {
			run = append(run, n)
			runText += x.stats[n].text
			continue
		}
		flush(nil, nodes[i:])
		walk(n, n, nodes[i+1:])
	}
	flush(nil, nil)
}

// proseAfter is the paragraph text (unlinked runes) that follows n in
// the content: after n in root (if n is inside one), and in the content
// nodes after that.
func (x *extraction) proseAfter(n, root *html.Node, later []*html.Node) int {
	p := 0
	for a := n; root != nil && a != nil && a != root; a = a.Parent {
		for s := a.NextSibling; s != nil; s = s.NextSibling {
			if st := x.stats[s]; st != nil {
				p += st.pText
			}
		}
	}
	for _, l := range later {
		if st := x.stats[l]; st != nil {
			p += st.pText
		}
	}
	return p
}

// wholeList reports whether a run of cards is a list of its own: the
// blocks to read right before and after it are not of the cards' kind
// (tag and first class name). Cards that end a longer list of the same
// kind are its items that happen to link to the site (a round-up of
// projects whose last few are the author's own posts).
func (x *extraction) wholeList(run []*html.Node) bool {
	kind := func(n *html.Node) string {
		if n == nil {
			return ""
		}
		c, _, _ := strings.Cut(strings.TrimSpace(attr(n, "class")), " ")
		return n.Data + "." + c
	}
	k := kind(run[0])
	return kind(x.readable(run[0], func(n *html.Node) *html.Node { return n.PrevSibling })) != k &&
		kind(x.readable(run[len(run)-1], func(n *html.Node) *html.Node { return n.NextSibling })) != k
}

// readable is the nearest element sibling of n, in the direction step
// gives, that has text to read.
func (x *extraction) readable(n *html.Node, step func(*html.Node) *html.Node) *html.Node {
	for s := step(n); s != nil; s = step(s) {
		if s.Type == html.ElementNode && x.stats[s] != nil && x.stats[s].text > 0 {
			return s
		}
	}
	return nil
}

// prevElement is the element before n among its siblings, if any.
func prevElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
		if p.Type == html.TextNode && strings.TrimSpace(p.Data) != "" {
			return nil
		}
	}
	return nil
}

// labelWords is the most words of a heading that labels a run of teasers.
const labelWords = 8

// teaserCard reports whether n is one teaser: its first block, and no
// other, is wholly a link of a title's length, to another page of the
// site, and the rest is a summary of at most teaserText runes of unlinked
// text.
func (x *extraction) teaserCard(n *html.Node) bool {
	st := x.stats[n]
	if st == nil || st.text-st.link > teaserText {
		return false
	}
	s := &serialiser{}
	s.walk(n)
	s.flush()
	if len(s.blocks) < 2 {
		return false
	}
	titles := 0 // blocks that are wholly a link of a title's length: one a card
	for _, b := range s.blocks {
		if b.link == b.runes && b.runes >= teaserTitle {
			titles++
		}
	}
	if title := s.blocks[0]; title.link != title.runes || title.runes < teaserTitle || titles > 1 {
		return false
	}
	href := firstLink(n)
	return href != "" && x.onsite(href)
}

// onlyChild goes down from n through wrappers of one element child
// holding all of their text (a grid that puts each card in a row of its
// own).
func (x *extraction) onlyChild(n *html.Node) *html.Node {
	for {
		var only *html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if only != nil {
				return n
			}
			only = c
		}
		if only == nil || x.stats[only] == nil || x.stats[n] == nil || x.stats[only].text != x.stats[n].text {
			return n
		}
		n = only
	}
}

// firstLink is the href of the first link in n.
func firstLink(n *html.Node) string {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && isLink(d) {
			return attr(d, "href")
		}
	}
	return ""
}

// onsite reports whether href leads to another page of the page's own
// site (not to a place on the page itself: a FAQ's question that opens
// its answer). Without the page's URL, a relative path is on the site.
func (x *extraction) onsite(href string) bool {
	h, err := url.Parse(strings.TrimSpace(href))
	if err != nil || h.Opaque != "" || h.Scheme != "" && h.Scheme != "http" && h.Scheme != "https" {
		return false // javascript:, mailto: and the like
	}
	base, err := url.Parse(x.pageURL)
	if err != nil || base.Host == "" {
		return h.Host == "" && h.Scheme == "" && h.Path != ""
	}
	u := base.ResolveReference(h)
	u.Fragment, base.Fragment = "", ""
	return u.String() != base.String() && canon.SameSite(u.String(), x.pageURL)
}

// minTeasers is the fewest cards that make a grid; teaserTitle the least
// runes of a card's title, and teaserText the most runes of a card's
// unlinked text (a summary, not a section).
const (
	minTeasers  = 3
	teaserTitle = 10
	teaserText  = 600
)

// teaserRuns marks the cards of every run of at least minTeasers
// sibling teaser cards on the page as parsed. A card's summary is not a
// paragraph of the article: it does not vote for the content
// (topCandidate), so that a "more stories" list longer than the article
// after it does not win the page. When the page has next to no prose
// outside the runs (an index of stories, a guide whose chapters are
// cards), they all vote as before.
//
// The runs' paragraphs are not the page's prose that the safety net
// weighs the result against either (prose0): a result that holds the
// article beside a longer list of teasers is not suspiciously short.
func (x *extraction) teaserRuns(body *html.Node) map[*html.Node]bool {
	set := map[*html.Node]bool{}
	var run []*html.Node
	var in family // what the runs hold
	flush := func() {
		if len(run) >= minTeasers {
			for _, c := range run {
				st := x.stats[c]
				in.pText += st.pText
				in.sent += st.sent
				in.plain += st.text - st.link
				set[c] = true
			}
		}
		run = run[:0]
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			st := x.stats[c]
			switch {
			case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "", c.Type == html.CommentNode,
				c.Type == html.ElementNode && (st == nil || st.text == 0):
				// Nothing to read between two cards.
			case c.Type == html.ElementNode && st.link >= teaserTitle && st.text-st.link >= teaserVote &&
				st.text-st.link <= teaserText && x.cardShaped(c):
				run = append(run, c)
			default:
				flush()
				if c.Type == html.ElementNode {
					walk(c)
				}
			}
		}
		flush()
	}
	walk(body)
	if x.page.sent-in.sent < partMin || x.page.plain-in.plain < proseMin {
		return nil
	}
	// Nor are they the page's paragraphs that the safety net weighs the
	// result against (see suspicious).
	x.prose0 -= in.pText
	return set
}

// teaserVote is the least unlinked text of a card whose summary would
// vote (see paraScore).
const teaserVote = 25

// teaserText is the paragraph text of the teaser cards inside n and
// outside top.
func (x *extraction) teaserText(n, top *html.Node) int {
	t := 0
	for c := range x.teasers {
		if st := x.stats[c]; st != nil && contains(n, c) && !contains(top, c) {
			t += st.pText
		}
	}
	return t
}

// cardShaped is teaserCard behind the cheap tests: a card holds blocks
// (a title and a summary), and its text begins inside a link (the
// title's).
func (x *extraction) cardShaped(c *html.Node) bool {
	d := x.onlyChild(c)
	return hasBlockChild(d) && startsLinked(d) && x.teaserCard(d)
}

// startsLinked reports whether the first text with more than
// whitespace under n lies inside a link under n.
func startsLinked(n *html.Node) bool {
	var walk func(m *html.Node, linked bool) (found, ok bool)
	walk = func(m *html.Node, linked bool) (bool, bool) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if strings.TrimSpace(c.Data) != "" {
					return true, linked
				}
			case html.ElementNode:
				if c.DataAtom == atom.Script || c.DataAtom == atom.Style {
					continue
				}
				if found, ok := walk(c, linked || isLink(c)); found {
					return true, ok
				}
			}
		}
		return false, false
	}
	_, ok := walk(n, false)
	return ok
}
