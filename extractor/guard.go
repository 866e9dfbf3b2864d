package extractor

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The guards that keep markup rules off the article. Class words and
// structure rules remove chrome; they must never remove the container of
// the article. Three guards read the page before any rule runs, each
// blind to the class words the rules act on:
//   - major: a block holding most of the page's paragraph text, its
//     unlinked text, or its sentences is never removed by its class or
//     tag (see structural, classTakes);
//   - the first-pass candidate, scored once with class words and once
//     without, is protected with its ancestors;
//   - a class word that marks most of that candidate's text is its
//     content class there (candidateFamily).
// TestArticleSurvivesMarkupPerturbations measures them on real pages.

// prepare measures the page as parsed, protects the first-pass
// candidates (when the outlet names no content) and finds the class
// families. It returns the paragraph text of the page.
func (x *extraction) prepare(body *html.Node, score bool) int {
	x.stats = map[*html.Node]*nodeStats{}
	x.controlled = map[string]bool{}
	x.body = body
	x.measure(body, false)
	x.prose0 = x.stats[body].pText
	x.wrappers = wrapperSet(body)
	x.commentText = x.findCommentText(body)
	x.page = x.visible(body)
	x.teasers = x.teaserRuns(body)
	total := x.page.pText
	if score {
		// Score the page as it is first: the best candidate and its
		// ancestors are protected from removal by class words, which
		// misfire on templates that call the whole post a "widget".
		x.protect = map[*html.Node]bool{}
		x.first = x.mainContent(body)
		// The same candidate scored without reading class or id words:
		// a word that the rules act on has already cost the article its
		// score above when it sits on the article's own container
		// ("article-sticky"), and so its protection.
		x.resetScores()
		x.blind = true
		// Its top node only: without class words, the siblings that
		// would join it include the appeal and newsletter boxes.
		blind := []*html.Node{x.topCandidate(body)}
		x.blind = false
		x.resetScores()
		x.candidateFamilies(blind)
		x.anchors(body)
		for _, n := range slices.Concat(x.first, blind) {
			for a := n; a != nil; a = a.Parent {
				x.protect[a] = true
			}
			x.protectDown(n, x.protect)
		}
		// The class-blind candidate and the wrappers inside it that hold
		// its text are the article's container: its class words cost it
		// nothing in the final scoring either (baseScore).
		x.container = map[*html.Node]bool{blind[0]: true}
		x.protectDown(blind[0], x.container)
	}
	x.families = x.classFamilies(body)
	return total
}

// protectDown adds to set the wrappers inside n that hold its content:
// the candidate is often a wrapper that adds nothing (climb looks through
// it), and the element inside it with the article's words is the one a
// class word names ("article-sticky").
func (x *extraction) protectDown(n *html.Node, set map[*html.Node]bool) {
	st := x.stats[n]
	if st == nil || st.text-st.link < proseMin {
		// A small box among the candidates (a figure and its caption,
		// an author's bio) is not the article's container.
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if cs := x.stats[c]; c.Type == html.ElementNode && cs != nil && cs.text*10 >= st.text*sameContent {
			set[c] = true
			x.protectDown(c, set)
			return
		}
	}
}

// prosaic reports whether the class-blind candidate is prose: half its
// unlinked text or more in sentence blocks. A candidate of another kind
// (a page's promotion banners, a shop's lists) is not trusted over the
// class words (see trusted, baseScore).
func (x *extraction) prosaic() bool {
	return x.candAll.plain > 0 && x.candAll.sent*2 >= x.candAll.plain
}

// trusted reports whether the guards kept n as the article's, whatever
// its class says: the protected candidates and their ancestors, or a
// block that survived cleaning inside a class-blind candidate of prose.
// It votes in the final scoring.
func (x *extraction) trusted(n *html.Node) bool {
	return x.prosaic() && (x.protect[n] || x.inCand[n])
}

// sameContent is the share, in tenths, of a wrapper's text from which
// the element inside it is the same content.
const sameContent = 9

// resetScores clears the candidates' scores for another scoring pass.
func (x *extraction) resetScores() {
	for _, st := range x.stats {
		st.score, st.scored = 0, false
	}
}

// major reports whether n holds most of the page's paragraph text, or
// most of its unlinked text. The second measure reads no markup: an
// article written as text and <br>s in a <div>, or as lists and tables,
// holds few <p>s, and the chrome around it is links.
func (x *extraction) major(n *html.Node, totalP int) bool {
	st := x.stats[n]
	if st == nil {
		return false
	}
	if totalP > 0 && st.pText*10 >= totalP*6 {
		return true
	}
	return share(st.text-st.link, x.page.plain) || share(st.sent, x.page.sent)
}

// visible is what the page shows a reader as its own: the stats of body
// less its hidden blocks (display:none, hidden) that no control opens,
// and less its readers' comment threads. A page that carries hidden
// copies of its article (a mobile menu's, a template's) would halve the
// article's share of the text otherwise, and with it the guards that
// read that share; and a thread of comments, which always goes, would
// outweigh a short article (an open thread of 80 words under thousands
// of words of replies).
func (x *extraction) visible(body *html.Node) family {
	bs := x.stats[body]
	if bs == nil {
		return family{}
	}
	v := family{pText: bs.pText, sent: bs.sent, plain: bs.text - bs.link}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			st := x.stats[c]
			if st == nil {
				continue
			}
			if hidden(c) && !x.folded(c) || x.thread(c) {
				v.pText -= st.pText
				v.sent -= st.sent
				v.plain -= st.text - st.link
				continue
			}
			walk(c)
		}
	}
	walk(body)
	return v
}

// thread reports whether n is a thread of readers' comments by its
// class (see commentThread): never the article, however long.
func (x *extraction) thread(n *html.Node) bool {
	ci := x.class(n)
	return ci.bad && commentThread(n, ci.word, x.wrappers, x.commentText)
}

// sentenceBlock reports whether a block without blocks inside is a
// paragraph of prose whatever its tag: a <p>, or a <div> of a template
// that writes none, holding a sentence of unlinked words. It reads no
// class or id, so that no class word can hide the article from it. A
// teaser's summary, cut short ("…", "..."), is not one.
func sentenceBlock(n *html.Node, st *nodeStats) bool {
	if st.text-st.link < sentenceRunes || st.link*5 >= st.text {
		return false
	}
	t := lastText(n)
	return endsSentence(t) && !strings.HasSuffix(t, "...") && !strings.HasSuffix(t, "…")
}

// lastText is the end of nodeText(n), trimmed, without building it:
// the last text node under n (scripts and styles aside) with more than
// whitespace, trimmed on the right. nodeText puts a space after every
// text node, so a suffix of nodeText's that holds no space lies in it.
func lastText(n *html.Node) string {
	if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
		return ""
	}
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		switch c.Type {
		case html.TextNode:
			if t := strings.TrimRightFunc(c.Data, unicode.IsSpace); t != "" {
				return t
			}
		case html.ElementNode:
			if t := lastText(c); t != "" {
				return t
			}
		}
	}
	return ""
}

// sentenceRunes is the least unlinked text of a sentence block.
const sentenceRunes = 60

// findCommentText is the page's one block named after comments whose
// own children are a run of prose paragraphs, outside any other block
// named so; nil when there is none or more than one. A thread of
// readers' comments holds each comment in an item of its own (an <li>,
// a <div> with the author's name); the body of one comment, a run of
// paragraphs, sits inside the thread, whose word names it too, and a
// thread with several such bodies has several. One text named after
// comments, in no thread, is the article: a template that names its
// container "article-comments" (where its comments will go). It is
// not a thread (commentThread), and the walk goes on inside it.
func (x *extraction) findCommentText(body *html.Node) *html.Node {
	var found *html.Node
	k := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && k < 2; c = c.NextSibling {
			st := x.stats[c]
			if c.Type != html.ElementNode || st == nil || !st.prose {
				continue // no run of paragraphs in it
			}
			if ci := x.class(c); ci.bad && userProse()[ci.word] {
				if st.ownProse {
					found = c
					k++
				}
				continue // (a thread: the texts in it are its comments)
			}
			walk(c)
		}
	}
	walk(body)
	if k != 1 {
		return nil
	}
	return found
}

// formProse reports whether a <form> holds article text: a run of
// paragraphs, or partMin runes of unlinked sentences. A search, comment
// or sign-up form is controls, labels and a line or two; a form that
// holds prose is a layout wrapper (a page-wide ASP.NET form), or what is
// left of one: the HTML parser ignores a <form> inside another, and the
// inner one's </form> closes the outer form early, so that the outer
// form holds the article's first paragraphs and the rest follows it. The
// walk goes on inside it, so its controls and labels still go.
func (x *extraction) formProse(n *html.Node) bool {
	st := x.stats[n]
	return st != nil && (st.prose || st.sent >= partMin)
}
