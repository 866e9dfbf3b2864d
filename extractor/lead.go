package extractor

import (
	"strings"
	"unicode"
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
//     (itemprop="articleBody"), when it holds text;
//   - the block that begins with the first words of the article's text
//     as the page's JSON-LD gives it (articleBody), and the nearest
//     block around it holding half that text's length: a short
//     article whose description is a summary, not its first sentence,
//     is still the article the page describes in its metadata.
// Anchors do not vote in the scoring: they keep the text in the page,
// and the content step chooses among what is there.

// anchors marks the anchors and their ancestors in x.anchored, in one
// walk over the visible page.
func (x *extraction) anchors(body *html.Node) {
	x.anchored = map[*html.Node]bool{}
	mark := func(n *html.Node) {
		for a := n; a != nil && !x.anchored[a]; a = a.Parent {
			x.anchored[a] = true
		}
	}
	want := leadWordsOf(x.res.Description)
	wantBody := leadWordsOf(x.ldBody)
	var lead, bodyLead *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || hidden(c) {
				continue // a hidden copy (a template's, a feed's) is not the page's article
			}
			st := x.stats[c]
			if st == nil {
				continue // scripts, media and form controls hold no text
			}
			if lead == nil && want != nil && x.leads(c, st, want) {
				lead = c
			}
			if bodyLead == nil && wantBody != nil && x.leads(c, st, wantBody) {
				bodyLead = c
			}
			if hasToken(attr(c, "itemprop"), "articleBody") && x.substantial(c) {
				mark(c)
			}
			walk(c)
		}
	}
	walk(body)
	if bodyLead != nil {
		// The block that holds half the text the JSON-LD says the
		// article is, from its first words on.
		for a := bodyLead; a != nil; a = a.Parent {
			if st := x.stats[a]; st != nil && (st.text-st.link)*2 >= x.ldLen {
				mark(a)
				break
			}
		}
	}
	if lead != nil {
		// Only the blocks that go on past the lead: the <header> that
		// holds the headline and a standfirst that says the description
		// is the page's header, not the article.
		span := leadSpan * utf8.RuneCountInString(x.res.Description)
		for a := lead; a != nil; a = a.Parent {
			if st := x.stats[a]; st != nil && st.text-st.link >= span {
				mark(a)
				break
			}
		}
	}
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

// leads reports whether n is the lead: a block whose own text (a <p>,
// a leaf <div>, or a container's text between <br>s), mostly unlinked,
// begins with the page's description, whose first words are want: sites
// write the description from the article's first sentence (OpenGraph,
// JSON-LD, meta description).
func (x *extraction) leads(n *html.Node, st *nodeStats, want []string) bool {
	need := len(want) - 1
	for _, w := range want {
		need += len(w)
	}
	return !isLink(n) && blockTags()[n.DataAtom] && st.inline-st.inLink >= need && st.inLink*5 < st.inline &&
		ownStartsWith(n, want)
}

// leadWordsOf is the first leadWords words of a description, as
// normTitle splits and lowers them; nil when it has fewer.
func leadWordsOf(desc string) []string {
	words := strings.Fields(normTitle(desc))
	if len(words) < leadWords {
		return nil
	}
	return words[:leadWords]
}

// leadWords is how many of the description's first words the lead
// begins with.
const leadWords = 8

// leadSpan is how many times the description's length a block holding
// the lead holds when it is the article's.
const leadSpan = 3

// ownStartsWith reports whether the text of n outside its block
// children (a paragraph's text, or what a container holds itself
// between its blocks) begins with the words want, split and lowered as
// normTitle does. It reads no further than it must.
func ownStartsWith(n *html.Node, want []string) bool {
	m := wordMatcher{want: want}
	for c := n.FirstChild; c != nil && m.going(); c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			m.text(c.Data)
		case c.Type == html.ElementNode && !blockTags()[c.DataAtom] && c.DataAtom != atom.Script && c.DataAtom != atom.Style:
			m.node(c)
		default:
			continue
		}
		m.end() // a child's text ends a word
	}
	m.end()
	return m.i == len(m.want)
}

// wordMatcher matches a stream of text against words, word by word.
type wordMatcher struct {
	want []string
	i    int             // words matched
	cur  strings.Builder // the word being read
	bad  bool
}

func (m *wordMatcher) going() bool { return !m.bad && m.i < len(m.want) }

func (m *wordMatcher) node(n *html.Node) {
	for c := n.FirstChild; c != nil && m.going(); c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			m.text(c.Data)
			m.end()
		case c.Type == html.ElementNode && c.DataAtom != atom.Script && c.DataAtom != atom.Style:
			m.node(c)
		}
	}
}

func (m *wordMatcher) text(s string) {
	for _, r := range s {
		if !m.going() {
			return
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			m.cur.WriteRune(unicode.ToLower(r))
			if !strings.HasPrefix(m.want[m.i], m.cur.String()) {
				m.bad = true
			}
			continue
		}
		m.end()
	}
}

// end closes the word being read.
func (m *wordMatcher) end() {
	if m.cur.Len() == 0 || !m.going() {
		return
	}
	if m.cur.String() != m.want[m.i] {
		m.bad = true
	}
	m.i++
	m.cur.Reset()
}
