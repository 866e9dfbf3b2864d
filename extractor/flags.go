package extractor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page-level flags, decided from wording and markup that are common to
// the services that produce such pages, not to any one site.

var (
	challengeTitle = newPhrase(`^(?:just a moment|attention required|access denied|are you a robot|please wait|checking your browser|one more step|ddos-guard|security check|вы не робот|проверка браузера)`)
	challengeText  = newPhrase(`checking (?:if the site connection is secure|your browser before accessing)|enable javascript and cookies to continue|cf-browser-verification|challenge-platform|captcha-delivery|verify you are (?:a )?human|ddos protection by|please complete the security check|проверяем ваш браузер`)
	consentText    = newPhrase(`(?:before you continue|we value your privacy|your privacy choices|manage (?:your )?(?:cookie|consent|privacy) (?:settings|preferences)|consent to (?:the use of )?(?:cookies|our use)|accept all cookies|reject all)`)
	paywallClass   = newPhrase(`\b(?:paywall|piano-?offer|tp-modal|metered|premium-(?:content|wall)|subscriber-only|regwall)\b`)
	paywallText    = newPhrase(`(?:subscribe to (?:continue|read)|this (?:article|content) is (?:for|available to|only available to) (?:subscribers|members)|to continue reading|already a subscriber\?|доступно только (?:по подписке|подписчикам)|유료 ?회원)`)
)

func detectFlags(root, body *html.Node, res *Result) {
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
	short := len(bodyText) < 3000
	if short && (challengeTitle.match(strings.ToLower(strings.TrimSpace(title))) || challengeText.match(raw) || challengeText.match(bodyText)) {
		add(FlagChallenge)
	}
	if len(bodyText) < 2500 && consentText.match(bodyText) {
		add(FlagConsent)
	}
	if paywallText.match(bodyText) || paywallClass.match(raw) || freeFalse.match(raw) {
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

var freeFalse = newPhrase(`"isaccessibleforfree"\s*:\s*"?false`)

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
