package extractor

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/feedvault/feedvault/canon"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Filtering the serialised blocks: what is dropped as the headline, a
// link list, a dateline, boilerplate wording or a repeat, and what is
// kept though it looks like one (announced lists, linked sentences,
// quotations).

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
	off, all := 0, 0
	for n := range list.Descendants() {
		if !isLink(n) {
			continue
		}
		all++
		if u, err := base.Parse(attr(n, "href")); err == nil && u.Host != "" && !canon.SameSite(u.String(), x.pageURL) {
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
// the page's own address (a "copy this link" box), and, when dates is
// set, a dateline.
func (x *extraction) dropLines(text string, dates bool) string {
	if !strings.Contains(text, "\n") {
		if compiled().emailLine.MatchString(text) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "wording:contact", Text: text})
			return ""
		}
		if x.ownURL(text) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "meta:url", Text: text})
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
		if x.ownURL(l) {
			x.res.Removed = append(x.res.Removed, Removal{Rule: "meta:url", Text: l})
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

// ownURL reports whether a line is nothing but the page's own address
// (the same story by canon.Key: tracking parameters, www, AMP and mobile
// variants aside). An article cites other pages, never its own address.
func (x *extraction) ownURL(line string) bool {
	l := strings.TrimSpace(line)
	if x.pageURL == "" || strings.ContainsAny(l, " \t") || !strings.HasPrefix(strings.ToLower(l), "http") {
		return false
	}
	return canon.Key(l) == canon.Key(x.pageURL)
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
