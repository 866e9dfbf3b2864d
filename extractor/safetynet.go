package extractor

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// The safety net. A rule-based extractor fails badly when one rule hits
// the container of the article: the text is gone, and no average figure
// shows it. So the result is checked against an independent candidate,
// as trafilatura checks its own against a readability-style extraction:
// when ours holds much less of the page's prose than the page has, the
// page is extracted again with Readability's algorithm (go-readability),
// and its choice of content goes through the same wording filter as ours
// (appeals, newsletter boxes and link lists still go). A candidate that
// is fuller by netGain replaces the rules' text, and the result says
// which path gave the text, and why.

// netShare is the share of the page's paragraph text below which our
// result is suspiciously short; netGain is how much fuller the second
// candidate must be to replace it.
const (
	netShare = 0.5
	netGain  = 1.5
	netEmpty = 250 // runes: a result this short is next to nothing
)

// suspicious reports why a result of ours runes is suspiciously short
// for a page whose paragraphs hold prose runes, or "".
func suspicious(ours, prose int) string {
	switch {
	case ours == 0 && prose > 0:
		return "the rules kept no text"
	case float64(ours) < netShare*float64(prose):
		return fmt.Sprintf("the rules kept %d characters of %d in the page's paragraphs", ours, prose)
	}
	return ""
}

// safetyNet runs the other candidates when the result is suspicious,
// and keeps the fullest when it is fuller than ours by netGain.
//
// The candidates: go-readability's choice of content (a different
// algorithm, on a fresh parse), and our own first-pass candidate as the
// page was parsed, with every markup removal undone. Both go through the
// same serialiser and wording filter as the rules' result.
func (x *extraction) safetyNet(page []byte, pageURL string) {
	// A challenge page has no article, and an outlet's own content
	// selector, when it matched, is the outlet's word on where the text is.
	if x.res.HasFlag(FlagChallenge) || x.outletContent {
		return
	}
	ours := utf8.RuneCountInString(x.res.Text)
	why := suspicious(ours, x.prose0)
	if why == "" {
		return
	}
	type candidate struct {
		name string
		text string
		rm   []Removal
		n    int
	}
	var cands []candidate
	add := func(name, text string, rm []Removal) {
		cands = append(cands, candidate{name, text, rm, utf8.RuneCountInString(text)})
	}
	// Readability's choice: an independent algorithm.
	if node := readabilityNode(page, pageURL, x.rules); node != nil {
		text, rm := x.soft([]*html.Node{node})
		add("the Readability candidate", text, rm)
	}
	// The block that holds most of the page's paragraph text as the
	// rules left it: where the share guards say the article is. The
	// content step can take one section of an article whose sections
	// each sit in a container of their own, deeper than it widens, and
	// Readability drops an <aside> or <footer> that holds the article.
	if n := x.majorBlock(); n != nil {
		text, rm := x.soft([]*html.Node{n})
		add("the block with most of the paragraphs", text, rm)
	}
	// Our own first-pass candidate, with the markup rules undone, only when
	// the rules kept next to nothing: around a short article it often
	// holds comments and teasers as well.
	if ours < netEmpty && len(x.first) > 0 {
		if text, rm, ok := x.undone(); ok {
			add("the first-pass candidate with markup rules undone", text, rm)
		}
	}
	var tried []string
	best := -1
	for i, c := range cands {
		tried = append(tried, fmt.Sprintf("%s kept %d", c.name, c.n))
		if c.n > 0 && float64(c.n) >= netGain*float64(ours) && (best < 0 || c.n > cands[best].n) {
			best = i
		}
	}
	if best < 0 {
		x.res.PathWhy = fmt.Sprintf("safety net checked: %s; %s: the rules' text stays", why, strings.Join(tried, ", "))
		return
	}
	c := cands[best]
	x.res.Text = c.text
	x.res.Removed = append(x.res.Removed, c.rm...)
	x.res.Path = PathNet
	x.res.PathWhy = fmt.Sprintf("%s; %s: took %s", why, strings.Join(tried, ", "), c.name)
	x.res.Flags = removeFlag(x.res.Flags, FlagEmpty)
	if countWords(c.text) >= 150 {
		// The page was judged an index page on the rules' short text.
		x.res.Flags = removeFlag(x.res.Flags, FlagNotArticle)
	}
}

// undone is the first-pass candidate with every removal put back, through
// the wording filter. The tree is not used after this; a failure to put
// it back together (which the undo log's order rules out) costs the
// candidate, never the result.
func (x *extraction) undone() (text string, rm []Removal, ok bool) {
	defer func() {
		if recover() != nil {
			text, rm, ok = "", nil, false
		}
	}()
	x.restore()
	text, rm = x.soft(x.first)
	return text, rm, true
}

// soft serialises nodes with the wording rules alone: no markup rules
// but the ones for tags that never hold text.
func (x *extraction) soft(nodes []*html.Node) (string, []Removal) {
	y := &extraction{res: &Result{Title: x.res.Title}, rules: x.rules, stats: map[*html.Node]*nodeStats{}}
	for _, n := range nodes {
		y.measure(n, false)
	}
	text := y.serialise(nodes)
	return text, y.res.Removed
}

// readabilityNode is go-readability's content node for the page, parsed
// afresh, less what the outlet's remove rules take out (our own pass has cut the first tree). Any failure of the second
// candidate, a panic included, leaves our result as it was.
func readabilityNode(page []byte, pageURL string, rules *CompiledRules) (node *html.Node) {
	defer func() {
		if recover() != nil {
			node = nil
		}
	}()
	doc, err := html.ParseWithOptions(bytes.NewReader(page))
	if err != nil {
		return nil
	}
	revealStreamed(doc)
	// The outlet's remove rules hold on this parse too.
	gq := goquery.NewDocumentFromNode(doc)
	for _, sel := range rules.remove {
		gq.FindMatcher(sel).Remove()
	}
	// Readers' comments are never the article, however long the thread.
	removeCommentThreads(doc, wrapperSet(doc))
	u, _ := url.Parse(pageURL)
	p := readability.NewParser()
	art, err := p.ParseAndMutate(doc, u)
	if err != nil {
		return nil
	}
	return art.Node
}

func removeCommentThreads(n *html.Node, wrappers map[*html.Node]bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if w, bad := boilerplateClass(classWords(c)); bad && commentThread(c, w, wrappers, nil) {
				n.RemoveChild(c)
			} else {
				removeCommentThreads(c, wrappers)
			}
		}
		c = next
	}
}

func removeFlag(flags []string, f string) []string {
	out := flags[:0]
	for _, x := range flags {
		if x != f {
			out = append(out, x)
		}
	}
	return out
}

// majorBlock is the smallest block of the page, as the rules left it,
// that holds most (60%) of its paragraph text; nil when the page has
// none, or when it is the body.
func (x *extraction) majorBlock() *html.Node {
	bs := x.stats[x.body]
	if x.body == nil || bs == nil || bs.pText == 0 {
		return nil
	}
	n := x.body
	for {
		var next *html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if st := x.stats[c]; c.Type == html.ElementNode && st != nil && share(st.pText, bs.pText) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	if n == x.body {
		return nil
	}
	return n
}
