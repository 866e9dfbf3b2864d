package extractor

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// paraTags carry paragraph text that scores its ancestors.
var paraTags = sync.OnceValue(func() map[atom.Atom]bool {
	return map[atom.Atom]bool{atom.P: true, atom.Pre: true, atom.Td: true, atom.Blockquote: true}
})

// mainContent finds the node, and those of its siblings that belong with
// it, holding the article: paragraphs score their ancestors by length and
// commas; link-heavy candidates lose their score.
func (x *extraction) mainContent(body *html.Node) []*html.Node {
	top := x.topCandidate(body)
	if top == body {
		return []*html.Node{body}
	}
	return x.withSiblings(top)
}

// topCandidate is the best-scoring node, climbed and widened: the
// content's container without the siblings that belong with it.
func (x *extraction) topCandidate(body *html.Node) *html.Node {
	var cands []*html.Node
	total := x.stats[body].pText
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			// Comment threads, related-story lists and the like do not
			// vote, unless they hold most of the page's text.
			if x.blind {
				// Blind to class words but for readers' comments,
				// which never vote.
				if ci := x.class(c); ci.bad && commentThread(c, ci.word, x.wrappers, x.commentText) && !x.major(c, total) {
					continue
				}
			} else if strongClass(x.class(c).words) && !x.major(c, total) && !x.trusted(c) && c != x.commentText {
				// (A block that the guards kept as the article's
				// container, or that survived cleaning inside the
				// class-blind candidate, votes whatever its class says:
				// see prepare; nor the page's one text named after
				// comments, see findCommentText.)
				continue
			}
			if x.teasers[c] {
				continue // a teaser's summary is not the article's (see teaserRuns)
			}
			para := paraTags()[c.DataAtom] || (c.DataAtom == atom.Div || c.DataAtom == atom.Section) && !hasBlockChild(c) ||
				x.sentenceItem(c)
			var s float64
			start := c.Parent
			if para {
				s = x.paraScore(c)
			} else if st := x.stats[c]; st != nil && blockTags()[c.DataAtom] && st.inline-st.inLink >= 25 {
				// Text a container holds itself, between its blocks
				// (<div>text<br>text<div>…</div></div>): a paragraph of
				// that container.
				s = 1 + float64(st.inComm) + min(float64(st.inline)/100, 3)
				start = c
			}
			{
				if s > 0 {
					for level, a := 0, start; a != nil && level < 5; level, a = level+1, a.Parent {
						if a.Type != html.ElementNode {
							break
						}
						as := x.stats[a]
						if as == nil {
							break
						}
						if !as.scored {
							as.scored = true
							as.score = x.baseScore(a)
							cands = append(cands, a)
						}
						div := 1.0
						switch {
						case level == 1:
							div = 2
						case level > 1:
							div = float64(level * 3)
						}
						as.score += s / div
					}
				}
			}
			walk(c)
		}
	}
	walk(body)

	var top *html.Node
	best := 0.0
	for _, c := range cands {
		st := x.stats[c]
		st.score *= 1 - x.linkDensity(c)
		if top == nil || st.score > best {
			top, best = c, st.score
		}
	}
	if top == nil {
		return body
	}
	top = x.climb(top, body)
	return x.widen(top, body)
}

func (x *extraction) paraScore(n *html.Node) float64 {
	st := x.stats[n]
	if st == nil || st.text < 25 {
		return 0
	}
	return 1 + float64(st.commas) + min(float64(st.text)/100, 3)
}

func (x *extraction) baseScore(n *html.Node) float64 {
	s := 0.0
	if !x.blind {
		s = classWeight(x.class(n).words)
		if x.container[n] && x.prosaic() && x.class(n).bad {
			// The guards kept the article's container whatever its
			// class says; the word costs it nothing here either.
			s += classPenalty
		}
	}
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		s += 5
	case atom.Pre, atom.Td, atom.Blockquote:
		s += 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		s -= 3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		s -= 5
	}
	return s
}

func (x *extraction) linkDensity(n *html.Node) float64 {
	st := x.stats[n]
	if st == nil || st.text == 0 {
		return 0
	}
	return float64(st.link) / float64(st.text)
}

// climb moves from the best node to an ancestor when the ancestor scores
// higher still: the article text is split across several children.
func (x *extraction) climb(top, body *html.Node) *html.Node {
	topScore := x.stats[top].score
	last := topScore
	for p := top.Parent; p != nil && p != body && p.Type == html.ElementNode; p = p.Parent {
		ps := x.stats[p]
		if ps == nil || !ps.scored {
			continue
		}
		if ps.score < topScore/3 {
			break
		}
		if ps.score > last {
			return p
		}
		last = ps.score
	}
	// A lone child wrapper adds nothing; a parent with the same text is
	// the same content.
	for p := top.Parent; p != nil && p != body && p.Type == html.ElementNode; p = p.Parent {
		if x.stats[p] == nil || x.stats[p].text != x.stats[top].text {
			break
		}
		top = p
	}
	return top
}

// widen moves up from top while an ancestor holds much more paragraph
// text, and what it adds is prose rather than links: an article whose
// sections sit in containers of their own, side by side.
func (x *extraction) widen(top, body *html.Node) *html.Node {
	level := 0
	for p := top.Parent; p != nil && p != body && p.Type == html.ElementNode && level < widenLevels; p = p.Parent {
		ps, ts := x.stats[p], x.stats[top]
		if ps == nil || ts == nil {
			break
		}
		addText, addLink, addP := ps.text-ts.text, ps.link-ts.link, ps.pText-ts.pText
		if !x.blind {
			// A run of teaser cards beside the article adds no article
			// text, however long (see teaserRuns). (The class-blind
			// candidate, which guards what it holds, is let widen.)
			addP -= x.teaserText(p, top)
		}
		if addLink*10 >= addText*widenLinks && addText > 0 {
			// What the ancestor adds is a link list: not the article, but
			// the article may go on past it, a level up.
			level++
			continue
		}
		if addText*10 >= ts.text {
			level++ // a wrapper that adds next to nothing is looked through for free
		}
		if addP*2 >= ts.pText {
			top, level = p, 0
		}
	}
	return top
}

// widenLevels is how many wrappers widen looks through for an ancestor
// that adds prose.
const widenLevels = 3

// widenLinks is the link density, in tenths, of added text from which
// widen stops.
const widenLinks = 5

// withSiblings adds the siblings of top that hold more of the article:
// scored siblings, plain paragraphs, and a lead box before it.
func (x *extraction) withSiblings(top *html.Node) []*html.Node {
	if top.Parent == nil {
		return []*html.Node{top}
	}
	topSt := x.stats[top]
	threshold := max(10, topSt.score*0.2)
	cls := attr(top, "class")
	var out []*html.Node
	before := true
	for s := top.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s == top {
			out = append(out, s)
			before = false
			continue
		}
		if s.Type != html.ElementNode {
			continue
		}
		st := x.stats[s]
		if st == nil {
			continue
		}
		bonus := 0.0
		if cls != "" && attr(s, "class") == cls {
			bonus = topSt.score * 0.2
		}
		if st.scored && st.score+bonus >= threshold {
			out = append(out, s)
			continue
		}
		if s.DataAtom == atom.P || (s.DataAtom == atom.Div || s.DataAtom == atom.Section) && !hasBlockChild(s) {
			ld := x.linkDensity(s)
			if (st.text > 80 && ld < 0.25) || (st.text > 0 && st.text <= 80 && ld == 0 && endsSentence(nodeText(s))) {
				out = append(out, s)
			}
			continue
		}
		// A lead: a box of one to three paragraphs of plain prose,
		// before the article. The same box after it is not the
		// article's: an author's bio, a disclaimer, a pitch.
		if before && st.paras >= 1 && st.paras <= 3 && st.text > 80 && st.pText*10 >= st.text*8 && x.linkDensity(s) < 0.25 {
			out = append(out, s)
		}
	}
	return out
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && blockTags()[c.DataAtom] {
			return true
		}
	}
	return false
}

func endsSentence(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '。', '…', '"', '”', '»', ')':
		return true
	}
	return false
}

// sentenceItem reports whether n is a list item written as a paragraph:
// a sentence block (see sentenceBlock) with no blocks inside. A list
// article (an <ol> of long items, each a paragraph) votes for its list
// as paragraphs vote for their container; an item's text would vote
// for the item itself otherwise, and the article's container would get
// a sixth of it.
func (x *extraction) sentenceItem(n *html.Node) bool {
	st := x.stats[n]
	return n.DataAtom == atom.Li && st != nil && st.sent > 0 && !hasBlockChild(n)
}
