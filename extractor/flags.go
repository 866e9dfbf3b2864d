package extractor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page-level flags, decided from wording and markup that are common to
// the services that produce such pages, not to any one site. The
// patterns are in patterns.go.

func detectFlags(root, body *html.Node, res *Result) {
	p := compiled()
	add := func(f string) {
		if !res.HasFlag(f) {
			res.Flags = append(res.Flags, f)
		}
	}
	title := ""
	if t := findFirst(root, atom.Title); t != nil {
		title = nodeText(t)
	}
	bodyText := strings.ToLower(nodeText(body))
	if len(bodyText) > 20000 {
		bodyText = bodyText[:20000]
	}
	raw := strings.ToLower(markupSample(root))
	// A challenge page shows next to no text. The markup alone decides
	// only for a near-empty page: challenge services leave their scripts
	// on ordinary article pages too.
	short := len(bodyText) < 3000
	if short && (p.challengeTitle.match(strings.ToLower(strings.TrimSpace(title))) || p.challengeText.search(bodyText)) ||
		len(bodyText) < 600 && p.challengeText.search(raw) {
		add(FlagChallenge)
	}
	if len(bodyText) < 2500 && p.consentText.search(bodyText) {
		add(FlagConsent)
	}
	if p.paywallText.search(bodyText) || p.paywallClass.search(raw) || p.freeFalse.search(raw) {
		add(FlagPaywalled)
	}
}

// markupSample is the class and id attributes and script sources of the
// page, where challenge and paywall services leave their names.
func markupSample(root *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "class" || a.Key == "id" || a.Key == "src" || a.Key == "action" {
					b.WriteString(a.Val)
					b.WriteByte(' ')
				}
			}
			if n.DataAtom == atom.Script && n.FirstChild != nil && len(n.FirstChild.Data) < 4000 {
				b.WriteString(n.FirstChild.Data)
			}
		}
		for c := n.FirstChild; c != nil && b.Len() < 200000; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return b.String()
}

// detectNotArticle flags index and tag pages: much linked text, little
// paragraph text.
func detectNotArticle(res *Result, st *nodeStats) {
	if st == nil {
		return
	}
	words := countWords(res.Text)
	if st.text > 0 && float64(st.link)/float64(st.text) > 0.5 && words < 150 || st.paras < 2 && words < 60 {
		if !res.HasFlag(FlagNotArticle) {
			res.Flags = append(res.Flags, FlagNotArticle)
		}
	}
}
