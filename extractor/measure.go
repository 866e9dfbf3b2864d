package extractor

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// What the rules and the scoring read of each element: its text, links,
// commas, paragraphs and sentences, measured in one pass (measure).

type nodeStats struct {
	text   int // runes of text, whitespace runs counted once
	link   int // of which inside <a>
	commas int
	inline int  // runes of text outside block children: text a <div> holds itself
	inLink int  // of which inside <a>
	inComm int  // commas in it
	paras  int  // <p> descendants with text
	pText  int  // runes of text inside <p> descendants
	prose  bool // a run of prose paragraphs is in it (see prose)
	// ownProse: its own children are such a run (see commentThread).
	ownProse bool
	quote    int // runes of text inside <blockquote> (n's own included)
	sent     int // runes of text in sentence blocks (see sentenceBlock)
	score    float64
	scored   bool
}

// measure fills x.stats for n and its descendants in one post-order pass.
func (x *extraction) measure(n *html.Node, inLink bool) *nodeStats {
	st := &nodeStats{}
	if n.Type == html.ElementNode {
		x.stats[n] = st
		if isLink(n) {
			inLink = true
		}
		if x.controlled != nil {
			for _, id := range strings.Fields(attr(n, "aria-controls")) {
				x.controlled[id] = true
			}
		}
	}
	runParas, run := 0, 0 // the prose paragraphs among n's children
	leaf := true          // no block among n's children
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			l, commas := textLen(c.Data)
			st.text += l
			st.commas += commas
			st.inline += l
			st.inComm += commas
			if inLink {
				st.link += l
				st.inLink += l
			}
		case html.ElementNode:
			if neverText(c.DataAtom) && c.DataAtom != atom.Figcaption {
				continue // scripts and the like hold no readable text
			}
			cs := x.measure(c, inLink)
			leaf = leaf && !blockTags()[c.DataAtom]
			if !blockTags()[c.DataAtom] {
				st.inline += cs.text
				st.inLink += cs.link
				st.inComm += cs.commas
			}
			st.text += cs.text
			st.link += cs.link
			st.commas += cs.commas
			st.paras += cs.paras
			st.pText += cs.pText
			st.prose = st.prose || cs.prose
			st.quote += cs.quote
			st.sent += cs.sent
			if c.DataAtom == atom.P && cs.link*10 < cs.text*proseLinks {
				runParas++
				run += cs.text - cs.link
			}
		}
	}
	st.ownProse = proseRun(runParas, run)
	st.prose = st.prose || st.ownProse
	if n.Type == html.ElementNode && n.DataAtom == atom.Blockquote {
		st.quote = st.text
	}
	if leaf && n.Type == html.ElementNode && blockTags()[n.DataAtom] && sentenceBlock(n, st) {
		st.sent = st.text - st.link
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.P && st.text > 0 {
		st.paras++
		st.pText += st.text - st.link
	}
	return st
}

// textLen counts runes with whitespace runs as one, and commas.
func textLen(s string) (n, commas int) {
	space := true
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				n++
			}
			space = true
			continue
		}
		space = false
		n++
		switch r {
		case ',', '，', '、', '،':
			commas++
		}
	}
	return n, commas
}
