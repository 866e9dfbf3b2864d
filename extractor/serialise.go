package extractor

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// block is one paragraph of output before filtering.
type block struct {
	text    strings.Builder
	tag     atom.Atom // innermost block element
	runes   int
	link    int
	heading bool
	// list is the <ul> or <ol> that an item (<li>) belongs to, and
	// inList the one whose item holds the block at any depth (an item's
	// text may sit in a paragraph of its own, <li><p>).
	list, inList *html.Node
	quote        bool // inside a <blockquote>
}

type serialiser struct {
	x      *extraction
	blocks []*block
	cur    *block
	tags   []atom.Atom // stack of open block elements
	lists  []*html.Node
	inLink int
}

// serialise turns the content nodes into text, paragraph by paragraph,
// dropping the headline, link lists and boilerplate wording.
func (x *extraction) serialise(nodes []*html.Node) string {
	s := &serialiser{x: x}
	total := 0
	for _, n := range nodes {
		if st := x.stats[n]; st != nil {
			total += st.text
		}
	}
	x.firstText = firstTextNode(nodes)
	// A content node detached below was removed as a box or a teaser.
	attached := make([]bool, len(nodes))
	for i, n := range nodes {
		attached[i] = n.Parent != nil
	}
	for _, n := range nodes {
		// A sibling taken in with the main node can itself be a box.
		if len(nodes) > 1 && n.Parent != nil {
			if rule := x.boxRule(n, total); rule != "" {
				x.remove(n, rule)
				continue
			}
		}
		x.pruneBoxes(n, total)
	}
	x.pruneTeasers(nodes, total)
	for i, n := range nodes {
		if attached[i] && n.Parent == nil {
			continue
		}
		s.walk(n)
		s.flush()
	}
	return x.filter(s.blocks)
}

func (s *serialiser) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		s.addText(n.Data)
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			s.walk(c)
		}
		return
	}
	if neverText(n.DataAtom) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		s.addBreak()
		return
	case atom.Img, atom.Picture, atom.Source:
		return
	case atom.A:
		// A heading that links to itself (an anchor to copy, "#faqs") is
		// the article's section heading, not a link away from it.
		if isLink(n) && !(strings.HasPrefix(attr(n, "href"), "#") && slices.ContainsFunc(s.tags, isHeading)) {
			s.inLink++
			defer func() { s.inLink-- }()
		}
	}
	// A table row is one line: its cells are words of it, apart.
	if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
		if s.cur != nil {
			s.addText(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			s.walk(c)
		}
		return
	}
	isBlock := blockTags()[n.DataAtom]
	isList := n.DataAtom == atom.Ul || n.DataAtom == atom.Ol
	if isBlock {
		s.flush()
		s.tags = append(s.tags, n.DataAtom)
	}
	if isList {
		s.lists = append(s.lists, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		s.walk(c)
	}
	if isList {
		s.lists = s.lists[:len(s.lists)-1]
	}
	if isBlock {
		s.flush()
		s.tags = s.tags[:len(s.tags)-1]
	}
}

func (s *serialiser) addText(t string) {
	if s.cur == nil {
		if strings.TrimSpace(t) == "" {
			return
		}
		s.cur = &block{}
		if len(s.tags) > 0 {
			s.cur.tag = s.tags[len(s.tags)-1]
		}
		s.cur.heading = isHeading(s.cur.tag)
		s.cur.quote = slices.Contains(s.tags, atom.Blockquote)
		if len(s.lists) > 0 && slices.Contains(s.tags, atom.Li) {
			s.cur.inList = s.lists[len(s.lists)-1]
			if s.cur.tag == atom.Li {
				s.cur.list = s.cur.inList
			}
		}
	}
	b := s.cur
	for _, r := range t {
		if unicode.IsSpace(r) && r != '\u00a0' || r == '\u00a0' {
			if b.text.Len() > 0 {
				last := lastRune(&b.text)
				if last != ' ' && last != '\n' {
					b.text.WriteByte(' ')
				}
			}
			continue
		}
		if r == 0 || unicode.IsControl(r) || invisible(r) {
			continue
		}
		b.text.WriteRune(r)
		b.runes++
		if s.inLink > 0 {
			b.link++
		}
	}
}

// invisible reports whether r is a hint a page gives and a reader never
// sees: a soft hyphen (where a word may break), a word joiner, a
// zero-width no-break space (a byte-order mark inside text). The text
// drops them: "Klima\u00ADwandel" is the word "Klimawandel" to a reader,
// to grep, and to the archive's search.
func invisible(r rune) bool { return r == '\u00ad' || r == '\u2060' || r == '\ufeff' }

// dropInvisible is s without its invisible runes.
func dropInvisible(s string) string {
	if !strings.ContainsAny(s, "\u00ad\u2060\ufeff") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

func lastRune(b *strings.Builder) rune {
	s := b.String()
	if s == "" {
		return 0
	}
	return rune(s[len(s)-1])
}

func (s *serialiser) addBreak() {
	if s.cur != nil && s.cur.text.Len() > 0 {
		str := strings.TrimRight(s.cur.text.String(), " ")
		s.cur.text.Reset()
		s.cur.text.WriteString(str)
		s.cur.text.WriteByte('\n')
	}
}

func (s *serialiser) flush() {
	if s.cur != nil && s.cur.runes > 0 {
		s.blocks = append(s.blocks, s.cur)
	}
	s.cur = nil
}

// pruneBoxes removes, inside the content, boxes whose wording is
// boilerplate as a whole: an appeal or newsletter box of several
// paragraphs, most of which say nothing on their own that a lexicon
// would catch ("We are facing unprecedented challenges."), but that opens
// or closes with a phrase that does.
func (x *extraction) pruneBoxes(n *html.Node, total int) {
	x.prune(n, func(c *html.Node) string { return x.boxRule(c, total) })
}

// boxRule decides whether n, part of content holding total runes of
// text, is a boilerplate box.
func (x *extraction) boxRule(n *html.Node, total int) string {
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Blockquote, atom.Ul, atom.Ol, atom.Table, atom.Header, atom.Aside, atom.Figure, atom.Article:
	default:
		return ""
	}
	st := x.stats[n]
	if st == nil || st.text == 0 || st.text >= total {
		return ""
	}
	var blocks []string
	firstHeading := collectBlocks(n, &blocks)
	if len(blocks) < 2 {
		return ""
	}
	// A box that opens with a heading announcing other stories ("Related
	// articles", "You may also like") is a list of teasers, however long,
	// as long as the article's own text began before it.
	if firstHeading && compiled().relatedHeading.match(strings.ToLower(blocks[0])) && !contains(n, x.firstText) {
		return "wording-box:related"
	}
	if st.text*2 > total || st.text > 2500 {
		return ""
	}

	// A box counts when its first or last block is boilerplate by
	// wording, and together the boilerplate blocks are a good share of it.
	bad, badRunes, total := 0, 0, 0
	edge := false
	for i, b := range blocks {
		r := len([]rune(b))
		total += r
		if _, ok := boilerplateWording(b); ok {
			bad++
			badRunes += r
			if i == 0 || i == len(blocks)-1 {
				edge = true
			}
		}
	}
	if edge && bad*2 >= len(blocks) || edge && bad >= 2 && badRunes*3 >= total {
		if cat, _ := boilerplateWording(blocks[0]); cat != "" {
			return "wording-box:" + cat
		}
		cat, _ := boilerplateWording(blocks[len(blocks)-1])
		return "wording-box:" + cat
	}
	return ""
}

// firstTextNode is the first non-blank text in the content, in document order.
func firstTextNode(nodes []*html.Node) *html.Node {
	var found *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
			found = n
			return true
		}
		if n.Type == html.ElementNode && neverText(n.DataAtom) {
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	for _, n := range nodes {
		if walk(n) {
			break
		}
	}
	return found
}

func contains(n, d *html.Node) bool {
	for ; d != nil; d = d.Parent {
		if d == n {
			return true
		}
	}
	return false
}

// collectBlocks appends the text of n's blocks to out, and reports
// whether the first is a heading.
func collectBlocks(n *html.Node, out *[]string) (firstHeading bool) {
	s := &serialiser{}
	s.walk(n)
	s.flush()
	for _, b := range s.blocks {
		if t := cleanLines(b.text.String()); t != "" {
			if len(*out) == 0 {
				firstHeading = b.heading
			}
			*out = append(*out, t)
		}
	}
	return firstHeading
}
