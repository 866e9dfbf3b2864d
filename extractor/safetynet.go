package extractor

import (
	"bytes"
	"fmt"
	"net/url"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// The safety net. A rule-based extractor fails badly when one rule hits
// the container of the article: the text is gone, and no average figure
// shows it. So the result is checked against an independent candidate,
// as trafilatura checks its own against a readability-style extraction:
// when ours holds much less of the page's prose than the page has, the
// page is extracted again with Readability's algorithm (go-readability),
// and its choice of content goes through the same wording filter as ours
// (appeals, newsletter boxes and link lists still go). The fuller of the
// two is kept, and the result says which, and why.

// netShare is the share of the page's paragraph text below which our
// result is suspiciously short; netGain is how much fuller the second
// candidate must be to replace it.
const (
	netShare = 0.5
	netGain  = 1.5
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

// safetyNet runs the second candidate when the result is suspicious,
// and keeps it when it is fuller.
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
	node := readabilityNode(page, pageURL)
	if node == nil {
		return
	}
	y := &extraction{res: &Result{Title: x.res.Title}, rules: x.rules, stats: map[*html.Node]*nodeStats{}}
	y.measure(node, false)
	text := y.serialise([]*html.Node{node})
	theirs := utf8.RuneCountInString(text)
	if float64(theirs) < netGain*float64(ours) {
		return
	}
	x.res.Text = text
	x.res.Removed = append(x.res.Removed, y.res.Removed...)
	x.res.Path = PathNet
	x.res.PathWhy = fmt.Sprintf("%s; the Readability candidate kept %d", why, theirs)
	x.res.Flags = removeFlag(x.res.Flags, FlagEmpty)
}

// readabilityNode is go-readability's content node for the page, parsed
// afresh (our own pass has cut the first tree). Any failure of the second
// candidate, a panic included, leaves our result as it was.
func readabilityNode(page []byte, pageURL string) (node *html.Node) {
	defer func() {
		if recover() != nil {
			node = nil
		}
	}()
	doc, err := html.ParseWithOptions(bytes.NewReader(page))
	if err != nil {
		return nil
	}
	u, _ := url.Parse(pageURL)
	p := readability.NewParser()
	art, err := p.ParseAndMutate(doc, u)
	if err != nil {
		return nil
	}
	return art.Node
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
