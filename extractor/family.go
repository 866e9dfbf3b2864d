package extractor

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A class word that sits on the blocks holding most of the page's
// paragraph text names the page's content there, not its chrome. Some
// templates split the article into sibling blocks that share one class
// ("widget", "module", "sticky"), none of them major alone, so the guard
// that keeps a major block (see major) must also hold for the family of
// blocks a word would remove together.
//
// Comment threads are the exception: their blocks are prose by nature and
// can outweigh a short article, so their words keep firing (commentThread).

// family is what the blocks one class word would remove hold together:
// paragraph text, and text in sentence blocks (see sentenceBlock).
type family struct{ pText, sent, plain int }

// classFamilies sums, for each class word that decides a removal, the
// paragraph and sentence text of the outermost blocks it would remove.
func (x *extraction) classFamilies(body *html.Node) map[string]family {
	fam := map[string]family{}
	x.familiesUnder(body, fam, nil)
	return fam
}

// familiesUnder adds to fam the families of root's descendants, and
// marks each descendant in mark (when not nil).
func (x *extraction) familiesUnder(root *html.Node, fam map[string]family, mark map[*html.Node]bool) {
	active := map[string]int{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			start := len(x.candSent)
			if mark != nil {
				mark[c] = true
				if st := x.stats[c]; st != nil && st.sent > 0 && !hasSentChild(c, x.stats) {
					x.candSent = append(x.candSent, sentAt{c, activeWords(active)})
				}
			}
			ci := x.class(c)
			w, bad := ci.word, ci.bad
			if bad && active[w] == 0 {
				if st := x.stats[c]; st != nil && !(mark != nil && layoutTags()[c.DataAtom]) {
					// (In the candidate, an <aside> or <nav> is chrome by
					// its tag whatever its class says: it is not counted.)
					f := fam[w]
					f.pText += st.pText
					f.plain += st.text - st.link
					f.sent += st.sent
					fam[w] = f
				}
			}
			if bad {
				active[w]++
			}
			walk(c)
			if bad {
				active[w]--
			}
			if mark != nil && bad {
				// (between reads the span of a block a word names.)
				x.candSpan[c] = [2]int{start, len(x.candSent)}
			}
		}
	}
	walk(root)
}

// sentAt is a sentence block of the candidate, in document order, and
// the class words it lies under.
type sentAt struct {
	n     *html.Node
	under []string
}

func activeWords(active map[string]int) []string {
	var ws []string
	for w, k := range active {
		if k > 0 {
			ws = append(ws, w)
		}
	}
	return ws
}

// hasSentChild reports whether a child of n holds a sentence block: n
// is not one itself.
func hasSentChild(n *html.Node, stats map[*html.Node]*nodeStats) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if st := stats[c]; st != nil && st.sent > 0 {
			return true
		}
	}
	return false
}

// between reports whether the candidate's own prose, sentence blocks
// outside the blocks that class word w names, comes before n and, when
// after is set, after it too: n lies in the article's run, not before
// it (a gallery's captions) or after its end (a letter to readers).
func (x *extraction) between(n *html.Node, w string, after bool) bool {
	span, ok := x.candSpan[n]
	if !ok {
		return false
	}
	outside := func(s sentAt) bool { return !slices.Contains(s.under, w) }
	before := slices.ContainsFunc(x.candSent[:span[0]], outside)
	return before && (!after || slices.ContainsFunc(x.candSent[span[1]:], outside))
}

// candidateFamilies fills in the families inside the class-blind
// first-pass candidate (see run), and what the candidate holds.
func (x *extraction) candidateFamilies(cands []*html.Node) {
	x.candFam = map[string]family{}
	x.inCand = map[*html.Node]bool{}
	x.candAll = family{}
	x.candSent, x.candSpan = nil, map[*html.Node][2]int{}
	for _, c := range cands {
		if st := x.stats[c]; st != nil {
			x.candAll.pText += st.pText
			x.candAll.sent += st.sent
			x.candAll.plain += st.text - st.link
		}
		x.familiesUnder(c, x.candFam, x.inCand)
	}
}

// candidateFamily reports whether n lies in the class-blind candidate
// and the blocks there that class word w would remove hold most of its
// paragraph text, its sentences or its unlinked text (tables and lists
// have no sentences): the template names the article's own
// sections so ("ads-section", "sticky-block"), and the article is not
// taken apart by that word, however much prose the rest of the page has.
func (x *extraction) candidateFamily(n *html.Node, w string) bool {
	if !x.inCand[n] || userProse()[w] || layoutTags()[n.DataAtom] {
		return false
	}
	f, all := x.candFam[w], x.candAll
	if share(f.pText, all.pText) || share(f.sent, all.sent) || share(f.plain, all.plain) {
		return true
	}
	// A part of the article: blocks of prose, a table, quoted mail
	// between the paragraphs (each one small, a fifth of the text or more
	// together). A class word takes small or link-dense blocks in the
	// article (an ad's label, a share bar, a "read more" link), never
	// its text.
	// A word that names the kind of text a block holds (a caption, a
	// byline) says what it is wherever it sits: a gallery's captions
	// stay out, however long.
	// The block lies in the article's run, after its text began: a
	// gallery's captions come before it. A block named after a message
	// (an appeal, a promotion) is one of its parts only when the
	// article goes on after it; at its end it is the letter to readers.
	return x.substantial(n) && (part(f.sent, all.sent) || part(f.plain, all.plain)) &&
		x.between(n, w, messageWords()[w] && !x.continues(n, w)) && !textKinds()[w]
}

// continues reports whether n, a block after the article's own prose,
// goes on with what the article talks about: topicShare percent or more
// of its distinct words of topicRunes letters or more are words of the
// article's prose before it (its sentence blocks outside the blocks
// that class word w names). The article's last section, named "ads" or
// "promo" by a template that names its sections so (a recipe card
// after the recipe's story), names the article's things again; a
// letter to readers, a pitch or a promotion after the article says the
// outlet's own words whatever the article was about (a tenth of them).
func (x *extraction) continues(n *html.Node, w string) bool {
	span, ok := x.candSpan[n]
	if !ok {
		return false
	}
	seen := map[string]bool{}
	for _, s := range x.candSent[:span[0]] {
		if !slices.Contains(s.under, w) {
			for _, t := range topicWords(nodeText(s.n)) {
				seen[t] = true
			}
		}
	}
	uniq := map[string]bool{}
	hit := 0
	for _, t := range topicWords(nodeText(n)) {
		if !uniq[t] {
			uniq[t] = true
			if seen[t] {
				hit++
			}
		}
	}
	return len(uniq) >= topicMin && hit*100 >= len(uniq)*topicShare
}

// topicWords are the words of s, lowered, of topicRunes or more letters.
func topicWords(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(f) >= topicRunes {
			out = append(out, f)
		}
	}
	return out
}

// topicRunes is the least letters of a word that tells a topic,
// topicMin the least such words a block has to be judged, and
// topicShare the percentage of them that the article's prose said
// before it when the block goes on with the article.
const (
	topicRunes = 5
	topicMin   = 8
	topicShare = 40
)

// part reports whether part is a fifth or more of a whole that is not
// empty: as much of the article as a reader misses.
func part(part, whole int) bool {
	return whole > 0 && part*5 >= whole
}

// substantial reports whether n holds text of its own rather than a
// label or links: partMin runes of unlinked text, under a fifth of it
// in links.
func (x *extraction) substantial(n *html.Node) bool {
	st := x.stats[n]
	return st != nil && st.text-st.link >= partMin && st.link*5 < st.text
}

// partMin is the least unlinked text of a block that is a part of the
// article (see substantial).
const partMin = 200

// share reports whether part is most (60%) of a whole that is not empty.
func share(part, whole int) bool {
	return whole > 0 && part*10 >= whole*6
}

// classTakes reports whether class word w, which marks n as chrome,
// removes n whole. A readers' comment thread always goes. Otherwise the
// word does not take a block holding most of the page's paragraph text
// (major), nor one of a family of blocks that do together
// (contentFamily), nor, when it names a place rather than a message, a
// block holding a run of article paragraphs (prose), a quotation (an
// embedded post) or a fold of prose that a control opens (folded): the
// walk goes on inside such a block instead.
func (x *extraction) classTakes(n *html.Node, w string, totalP int) bool {
	switch {
	case commentThread(n, w, x.wrappers, x.commentText):
		return true
	case x.major(n, totalP), x.contentFamily(w, totalP), x.candidateFamily(n, w):
		return false
	case (x.prose(n) || x.quotation(n) || x.folded(n)) && !messageWords()[w]:
		// (A fold's id names what opens it: "more", "read-more".)
		return false
	}
	return true
}

// quotation reports whether n is, almost all of it, a quotation with
// words of its own: an embedded post (a tweet's <blockquote> in a
// "social-embed" box) that the article quotes. Share and follow boxes
// that the same words name are links and labels, never quotations.
func (x *extraction) quotation(n *html.Node) bool {
	st := x.stats[n]
	return st != nil && st.quote*10 >= st.text*8 && st.text-st.link >= quoteMin
}

// quoteMin is the runes of unlinked text from which a quotation is one.
const quoteMin = 40

// userProse are class words of threads of readers' comments.
var userProse = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"comment": true, "comments": true, "reply": true, "replies": true, "disqus": true,
	}
})

// commentThread reports whether n, whose class word w decides its
// removal, is a thread of readers' comments: a comment word, no
// article, main or h1 inside (a layout wrapper that a theme names after
// comments holds those; wrappers holds the nodes that have one inside),
// and not text, the page's one text named so (see commentText).
func commentThread(n *html.Node, w string, wrappers map[*html.Node]bool, text *html.Node) bool {
	if !userProse()[w] || wrappers[n] {
		return false
	}
	return n != text
}

// wrapperSet is the set of nodes with an article, main or h1 element
// inside, found in one walk.
func wrapperSet(root *html.Node) map[*html.Node]bool {
	set := map[*html.Node]bool{}
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		has := false
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if walk(c) || c.DataAtom == atom.Article || c.DataAtom == atom.Main || c.DataAtom == atom.H1 {
				has = true
			}
		}
		if has {
			set[n] = true
		}
		return has
	}
	walk(root)
	return set
}

// contentFamily reports whether the blocks that class word w would remove
// together hold most of the page's paragraph text.
func (x *extraction) contentFamily(w string, totalP int) bool {
	if userProse()[w] {
		return false
	}
	return totalP > 0 && x.families[w].pText*10 >= totalP*6
}

// prose reports whether n holds a body of article text: a run of
// sibling paragraphs with more than a box's worth of unlinked text (see
// proseRun, which measure fills in). A class word does not take such a
// block whole; its parts are judged one by one (the walk goes on inside
// it), so a related-links list in it still goes and its paragraphs stay.
// Teasers do not count: each has one paragraph of its own, never a run.
func (x *extraction) prose(n *html.Node) bool {
	st := x.stats[n]
	return st != nil && st.prose
}

// proseRun reports whether n's own children hold a run of prose
// paragraphs, given their stats.
func proseRun(paras, run int) bool { return paras >= 2 && run >= proseMin }

// proseMin is the runes of paragraph text from which a run of paragraphs
// is prose, and proseLinks the link density, in tenths, of a paragraph
// that counts.
const (
	proseMin   = 500
	proseLinks = 2
)
