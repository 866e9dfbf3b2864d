package extractor

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

type extraction struct {
	res     *Result
	rules   *CompiledRules
	pageURL string
	stats   map[*html.Node]*nodeStats
	protect map[*html.Node]bool // the first-pass candidate and its ancestors
	prose0  int                 // runes of paragraph text in the page as parsed, before any removal
	undo    []cut               // removals, in order
	// outletCuts is how many of undo the outlet's remove rules made.
	outletCuts int
	// controlled are the ids that some control opens (aria-controls).
	controlled map[string]bool
	first      []*html.Node // the first-pass candidate, scored on the page as parsed
	// outletContent: the outlet's own content selector chose the text.
	outletContent bool
	// firstText is where the content's text begins (set by serialise).
	firstText *html.Node
	// families: per deciding class word, the paragraph text of the
	// blocks it would remove (see contentFamily).
	families map[string]family
	// wrappers: nodes with an article, main or h1 inside (commentThread).
	wrappers map[*html.Node]bool
	// commentText: the page's one text named after comments (see
	// findCommentText), or nil.
	commentText *html.Node
	// body is the page's body (or root), whose stats are the page's.
	body *html.Node
	// container: the class-blind candidate and the wrappers inside it
	// that hold its text (see prepare).
	container map[*html.Node]bool
	// anchored: the anchors (the lead, the microdata's article body)
	// and their ancestors, never removed whole (see anchors).
	anchored map[*html.Node]bool
	// ldBody is the start of the article's text as the page's JSON-LD
	// gives it (articleBody), ldLen its length in runes (see anchors).
	ldBody string
	ldLen  int
	// page is what the page shows: its visible paragraph, sentence and
	// unlinked text (see visible), as the guards read it.
	page family
	// blind: score without class and id words (see run).
	blind bool
	// candFam: the class families inside the class-blind candidate,
	// inCand its descendants, candAll what it holds (candidateFamily).
	candFam map[string]family
	inCand  map[*html.Node]bool
	candAll family
	// candSent: the candidate's sentence blocks in document order, and
	// candSpan each element's range of them (see between).
	candSent []sentAt
	candSpan map[*html.Node][2]int
	// classes: each element's class words, read once (classcache.go).
	classes map[*html.Node]*classInfo
	// teasers: the cards of the page's runs of teaser cards, which do
	// not vote (see teaserRuns).
	teasers map[*html.Node]bool
}

func (x *extraction) run(root *html.Node) {
	body := findFirst(root, atom.Body)
	if body == nil {
		body = root
	}
	revealStreamed(body)
	x.ldBody, x.ldLen = readMeta(root, x.res, x.pageURL)
	detectFlags(root, body, x.res)

	// Outlet rules run on goquery over the same tree.
	doc := goquery.NewDocumentFromNode(root)
	for _, sel := range x.rules.remove {
		doc.FindMatcher(sel).Each(func(_ int, s *goquery.Selection) {
			x.remove(s.Get(0), "outlet:remove")
		})
	}
	x.outletCuts = len(x.undo)
	var content []*html.Node
	for _, sel := range x.rules.content {
		if m := doc.FindMatcher(sel); m.Length() > 0 {
			content = m.Nodes
			x.outletContent = true
			break
		}
	}

	total := x.prepare(body, content == nil)
	x.clean(body, total)

	if content == nil {
		x.stats = map[*html.Node]*nodeStats{}
		x.measure(body, false)
		bs := x.stats[body]
		x.page = family{pText: bs.pText, sent: bs.sent, plain: bs.text - bs.link}
		content = x.mainContent(body)
	}
	x.res.Text = x.serialise(content)
	if x.res.Text == "" && !x.res.HasFlag(FlagChallenge) {
		x.res.Flags = append(x.res.Flags, FlagEmpty)
	}
	detectNotArticle(x.res, x.stats[body])
}

func findFirst(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findFirst(c, a); f != nil {
			return f
		}
	}
	return nil
}

// remove detaches n and records why.
func (x *extraction) remove(n *html.Node, rule string) {
	if n.Parent == nil {
		return
	}
	if t := shorten(nodeText(n), 160); t != "" {
		x.res.Removed = append(x.res.Removed, Removal{Rule: rule, Text: t})
	}
	x.undo = append(x.undo, cut{n, n.Parent, n.NextSibling})
	n.Parent.RemoveChild(n)
}

// cut is one removal, recorded so that the safety net can put it back.
type cut struct{ node, parent, next *html.Node }

// restore undoes every removal but the outlet's own (which come first),
// newest first, so that the tree is again the page as parsed less what
// the outlet's rules take out.
func (x *extraction) restore() {
	for i := len(x.undo) - 1; i >= x.outletCuts; i-- {
		c := x.undo[i]
		c.parent.InsertBefore(c.node, c.next)
	}
	x.undo = x.undo[:x.outletCuts]
}

// clean removes boilerplate by structure: tags, roles, hidden nodes, and
// class or id words. A node holding most of the page's paragraph text is
// never removed by its class words alone.
func (x *extraction) clean(n *html.Node, totalP int) {
	x.prune(n, func(c *html.Node) string { return x.structural(c, totalP) })
}

// prune walks n's subtree: an element for which rule names a rule is
// removed (and reported), any other is walked in turn. Comments go.
func (x *extraction) prune(n *html.Node, rule func(*html.Node) string) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode:
			x.undo = append(x.undo, cut{c, n, next})
			n.RemoveChild(c)
		case html.ElementNode:
			if r := rule(c); r != "" {
				x.remove(c, r)
			} else {
				x.prune(c, rule)
			}
		}
		c = next
	}
}

func (x *extraction) structural(n *html.Node, totalP int) string {
	if x.protect[n] && n.DataAtom != atom.Script && n.DataAtom != atom.Style {
		return ""
	}
	if x.anchored[n] && !neverText(n.DataAtom) && !hidden(n) {
		return "" // (an anchor is seen: a hidden block holding one still goes)
	}
	if n.DataAtom == atom.Button && x.foldHeading(n) {
		return ""
	}
	if name, drop := dropTags()[n.DataAtom]; drop {
		// An <aside>, <footer> or <form> that wraps most of the text is a
		// layout wrapper, not chrome; so is a <form> that holds the
		// article's sentences (see formProse).
		if !x.major(n, totalP) && !(n.DataAtom == atom.Form && x.formProse(n)) || n.DataAtom == atom.Script || n.DataAtom == atom.Style {
			return "structure:" + name
		}
	}
	if hidden(n) && !x.folded(n) {
		return "structure:hidden"
	}
	if r := attr(n, "role"); r != "" && dropRoles()[r] && !x.major(n, totalP) && !(r == "button" && x.foldHeading(n)) {
		return "structure:role=" + r
	}
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html || n.DataAtom == atom.Main || n.DataAtom == atom.Article {
		return ""
	}
	if n.DataAtom == atom.Header && !x.major(n, totalP) {
		return "structure:header"
	}
	ci := x.class(n)
	w, bad := ci.word, ci.bad
	if isHeading(n.DataAtom) {
		// A heading's id is an anchor made from its own text ("what-share-
		// of-adolescents…"), and its class names it a "title" or
		// "headline": only a strong word in its class marks it as chrome.
		// An advertisement is never a heading: "ad" and "adv" there
		// abbreviate something else ("kt-adv-heading", advanced).
		words := slices.DeleteFunc(classOnlyWords(n), adAbbrev)
		if !strongClass(words) {
			return ""
		}
		w, bad = boilerplateClass(words)
	}
	if bad && x.classTakes(n, w, totalP) {
		return "class:" + w
	}
	return ""
}

// nodeText is the text of n with whitespace collapsed.
func nodeText(n *html.Node) string {
	var b strings.Builder
	space := true // no leading space
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if unicode.IsSpace(r) {
					if !space {
						b.WriteByte(' ')
						space = true
					}
					continue
				}
				b.WriteRune(r)
				space = false
			}
			if !space {
				b.WriteByte(' ')
				space = true
			}
		case html.ElementNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSuffix(b.String(), " ")
}

// countWords counts runs of non-space runes without allocating.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// isLink reports whether n is a hyperlink: an <a> with an href. An <a>
// without one is a placeholder or a control (an accordion's heading), and
// its text is not link text.
func isLink(n *html.Node) bool {
	return n.DataAtom == atom.A && hasAttr(n, "href")
}
