package extractor

import (
	"net/url"
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
	for _, n := range nodes {
		// A sibling taken in with the main node can itself be a box.
		if len(nodes) > 1 && n.Parent != nil {
			if rule := x.boxRule(n, total); rule != "" {
				x.remove(n, rule)
				continue
			}
		}
		x.pruneBoxes(n, total)
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
		if isLink(n) {
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
		if r == 0 || unicode.IsControl(r) {
			continue
		}
		b.text.WriteRune(r)
		b.runes++
		if s.inLink > 0 {
			b.link++
		}
	}
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

// filter drops blocks that are not article text and joins the rest.
func (x *extraction) filter(blocks []*block) string {
	title := normTitle(x.res.Title)
	var out []string
	seen := map[string]bool{}
	// A list that the article's own sentence announces ("Many patches
	// were sent for review:") is what the sentence promised, links or
	// not, when the article goes on after it or the links lead to other
	// sites. Related and share lists sit under a label, or close the
	// article with links to the site's own pages ("You might also be
	// interested in these stories:").
	var announced *html.Node
	announcing, h1Seen := false, false
	// An article says when it was posted and updated; a page with more
	// blocks that say only a date lists dated things (events, a
	// timeline, a changelog), and those dates are its content.
	datelines := 0
	for _, b := range blocks {
		if b.heading {
			continue
		}
		for l := range strings.Lines(b.text.String()) {
			if len(l) <= datelineBytes && isDateline(l) {
				datelines++
			}
		}
	}
	dates := datelines <= maxDatelines
	for i, b := range blocks {
		text := x.dropLines(cleanLines(b.text.String()), dates && !b.heading)
		if text == "" {
			continue
		}
		if announcing && b.inList != nil && (x.offsite(b.inList) || proseAfter(blocks[i+1:])) {
			announced = b.inList
		}
		if b.inList == nil || b.inList != announced {
			announced = nil
		}
		announcing = false
		// The headline: the first <h1>, or a block that says the title.
		// Later <h1>s are the sections of pages that mark every heading so.
		if b.tag == atom.H1 && !h1Seen || (title != "" && len(text) <= 2*len(x.res.Title)+16 && normTitle(text) == title) {
			h1Seen = h1Seen || b.tag == atom.H1
			x.res.Removed = append(x.res.Removed, Removal{Rule: "structure:headline", Text: shorten(text, 160)})
			continue
		}
		ld := 0.0
		if b.runes > 0 {
			ld = float64(b.link) / float64(b.runes)
		}
		// An item of a list that is mostly plain text (a checklist whose
		// items link to products) is part of that text: the list is
		// judged as one.
		if b.list != nil && x.stats[b.list] != nil && x.linkDensity(b.list) < listLinks {
			ld = min(ld, x.linkDensity(b.list))
		}
		words := countWords(text)
		// A sentence whose names link ("Companies using it are FICO, USA
		// Today, …") is prose: it ends as a sentence does, with words of
		// its own around the links.
		sentence := b.runes-b.link >= sentenceOwn && (endsSentence(text) || strings.HasSuffix(text, ":"))
		if announced != nil && words >= announcedItem {
			ld = 0
		}
		// A quotation's lines with words of their own are the quoted
		// words, links and all (an embedded post signs off "— Name
		// (@handle) November 19, 2019"); a quoted link alone is a link
		// (an embedded card of another post).
		quoted := b.quote && b.runes-b.link >= quoteOwn
		if !sentence && !quoted && (ld >= 0.6 && !(words > 40 && ld < 0.8) || (ld >= 0.35 && words < 15)) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "links", Text: shorten(text, 160)})
			continue
		}
		if dates && !b.heading && isDateline(text) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "meta:date", Text: shorten(text, 160)})
			continue
		}
		if cat, bad := boilerplateWording(text); bad {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "wording:" + cat, Text: shorten(text, 160)})
			continue
		}
		if seen[text] && words >= repeatWords {
			// A block said twice (a pull quote, a desktop and a mobile
			// copy) says nothing new the second time. A short line said
			// again is the page's structure ("Eat every 2–3 hours" under
			// each meal of a plan), and stays.
			x.res.Removed = append(x.res.Removed, Removal{Rule: "repeat", Text: shorten(text, 160)})
			continue
		}
		seen[text] = true
		out = append(out, text)
		announcing = b.inList == nil && !b.heading && words >= announceWords && b.link*2 < b.runes && strings.HasSuffix(text, ":")
	}
	return strings.Join(out, "\n\n")
}

// sentenceOwn is the runes of unlinked text from which a link-dense
// block that ends as a sentence does is prose.
const sentenceOwn = 15

// proseAfter reports whether article prose comes among the next blocks
// (those after a list's first item): a paragraph outside any list, with words of its own, that is
// not boilerplate.
func proseAfter(blocks []*block) bool {
	for i, b := range blocks {
		if i == proseLookahead {
			break
		}
		if b.inList != nil || b.heading {
			continue
		}
		text := b.text.String()
		if b.link*2 >= b.runes || countWords(text) < proseAfterWords {
			continue
		}
		if _, bad := boilerplateWording(text); !bad {
			return true
		}
	}
	return false
}

// offsite reports whether most of a list's links lead off the page's site.
func (x *extraction) offsite(list *html.Node) bool {
	base, err := url.Parse(x.pageURL)
	if err != nil || base.Host == "" {
		return false
	}
	host := strings.TrimPrefix(base.Hostname(), "www.")
	off, all := 0, 0
	for n := range list.Descendants() {
		if !isLink(n) {
			continue
		}
		all++
		u, err := base.Parse(attr(n, "href"))
		if err == nil && u.Host != "" && strings.TrimPrefix(u.Hostname(), "www.") != host {
			off++
		}
	}
	return all > 0 && off*2 > all
}

// proseLookahead bounds how many blocks proseAfter reads, and
// proseAfterWords is the least a paragraph has that counts.
const (
	proseLookahead  = 40
	proseAfterWords = 12
)

// quoteOwn is the runes of unlinked text from which a link-dense line
// of a quotation is quoted words.
const quoteOwn = 8

// repeatWords is the least a block has whose second copy is dropped.
const repeatWords = 10

// announceWords is the least a sentence has that announces a list, and
// announcedItem the least an item of it has to be kept though it is a
// link (a lone "Docs" link after the sentence is still a label).
const (
	announceWords = 4
	announcedItem = 3
)

// listLinks is the link density below which a list is text that links,
// not a list of links.
const listLinks = 0.5

// dropLines removes, inside a block, lines that are boilerplate on their
// own: a reporter's e-mail address, an "(END)" or "Advertisement" line,
// and, when dates is set, a dateline.
func (x *extraction) dropLines(text string, dates bool) string {
	if !strings.Contains(text, "\n") {
		if compiled().emailLine.MatchString(text) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "wording:contact", Text: text})
			return ""
		}
		return text
	}
	lines := strings.Split(text, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if compiled().emailLine.MatchString(l) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "wording:contact", Text: l})
			continue
		}
		if cat, ok := exactLine(l); ok {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "wording:" + cat, Text: l})
			continue
		}
		if dates && isDateline(l) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "meta:date", Text: l})
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

func cleanLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func normTitle(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " "))
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
