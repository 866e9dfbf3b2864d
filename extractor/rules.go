package extractor

import (
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file holds the structural rules as data: which tags, roles and
// class/id words mark boilerplate. They are generic; per-outlet rules
// belong in feeds.yaml. Each table is built on first use
// (sync.OnceValue), not at init: a map literal at package level is built
// by every process, and most CLI calls extract nothing.

// dropTags are removed with everything inside them, always.
var dropTags = sync.OnceValue(func() map[atom.Atom]string {
	return map[atom.Atom]string{
		atom.Script: "script", atom.Style: "style", atom.Noscript: "noscript", atom.Template: "template",
		atom.Svg: "svg", atom.Math: "math", atom.Iframe: "iframe", atom.Object: "object", atom.Embed: "embed",
		atom.Canvas: "canvas", atom.Video: "video", atom.Audio: "audio", atom.Map: "map",
		atom.Button: "button", atom.Input: "input", atom.Select: "select", atom.Textarea: "textarea",
		atom.Label: "label", atom.Option: "option", atom.Head: "head", atom.Dialog: "dialog",
		atom.Figcaption: "figcaption", atom.Nav: "nav", atom.Footer: "footer", atom.Aside: "aside",
		atom.Form: "form", atom.Menu: "menu",
	}
})

// layoutTags are in dropTags as chrome, but hold text: when one wraps
// the article (and so survives cleaning), its text is the article's.
var layoutTags = sync.OnceValue(func() map[atom.Atom]bool {
	return map[atom.Atom]bool{
		atom.Aside: true, atom.Nav: true, atom.Footer: true, atom.Form: true, atom.Menu: true, atom.Dialog: true,
		atom.Button: true, // a fold's heading (see foldHeading)
	}
})

// neverText reports tags whose content is never article text: scripts,
// media, form controls, captions.
func neverText(a atom.Atom) bool {
	_, drop := dropTags()[a]
	return drop && !layoutTags()[a]
}

// dropRoles are ARIA landmark roles that are never article text.
var dropRoles = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
		"dialog": true, "alertdialog": true, "search": true, "menu": true, "menubar": true,
		"toolbar": true, "tablist": true, "alert": true, "button": true,
	}
})

// Strong words in a class or id mark boilerplate even next to a word like
// "article" (article__related, post-share). placeWords name a place or a
// list; messageWords name what a block says to the reader.
var placeWords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"related": true, "share": true, "sharing": true, "social": true,
		"comment": true, "comments": true, "disqus": true,
		"breadcrumb": true, "breadcrumbs": true,
		"recommended": true, "recommendations": true, "replies": true, "reply": true,
		"recirc": true, "readmore": true, "trending": true, "popular": true, "mostread": true,
		"toolbar": true, "sticky": true, "ribbon": true,
	}
})

// messageWords name a block by what it says to the reader (an appeal, a
// pitch, an advertisement, a consent form): its prose is the message
// itself, so a run of paragraphs does not save it. Other words name a
// place or a list (related, sidebar, sticky), where a template may well
// put the article's own paragraphs.
var messageWords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"newsletter": true, "newsletters": true, "subscribe": true, "subscription": true, "signup": true,
		"cookie": true, "cookies": true, "consent": true, "gdpr": true, "promo": true,
		"advert": true, "advertisement": true, "ad": true, "ads": true, "adv": true, "advertising": true,
		"banner": true, "popup": true, "modal": true, "overlay": true, "donate": true, "donation": true,
		"contribute": true, "contribution": true, "outbrain": true, "taboola": true, "sponsor": true,
		"sponsored": true, "newsletterform": true, "paywallprompt": true, "adblock": true,
		"subscribebox": true, "supportus": true, "membership": true, "donor": true, "prompt": true,
		"upsell": true, "cta": true, "appeal": true,
	}
})

// adAbbrev reports the abbreviations of advertisement that also
// abbreviate other words.
func adAbbrev(w string) bool { return w == "ad" || w == "ads" || w == "adv" }

func strongWord(w string) bool { return placeWords()[w] || messageWords()[w] }

// weakWords mark boilerplate unless a content word is there too
// (a "post-meta" box goes, an "article-content-header" stays).
var weakWords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"nav": true, "navbar": true, "navigation": true, "menu": true, "footer": true,
		"header": true, "masthead": true, "meta": true, "tags": true, "tag": true,
		"byline": true, "author": true, "caption": true, "credit": true, "credits": true,
		"pagination": true, "pager": true, "more": true, "skip": true,
		"print": true, "tools": true, "actions": true, "rating": true, "topics": true,
		"widget": true, "sidebar": true, "bio": true, "dateline": true, "timestamp": true, "copyright": true,
		"teaser": true, "teasers": true, "links": true, "login": true, "signin": true, "register": true, "follow": true,
		"infobox": true, "headline": true, "kicker": true, "label": true,
	}
})

// textKinds are the weak words that name the kind of text a block holds
// (a caption, a byline, a date), not the place it sits in (a widget, a
// sidebar, a header): see candidateFamily.
var textKinds = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"caption": true, "credit": true, "credits": true, "byline": true, "author": true, "bio": true,
		"dateline": true, "timestamp": true, "copyright": true, "label": true, "headline": true,
		"kicker": true, "meta": true, "tags": true, "tag": true, "topics": true, "rating": true,
	}
})

// contentWords protect a node from weak words.
var contentWords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"article": true, "body": true, "content": true, "entry": true, "main": true,
		"post": true, "story": true, "text": true, "prose": true, "blog": true, "paragraph": true,
	}
})

// classWords splits class and id into lower-case words: "article__related-article"
// gives article, related, article; "shareBar" gives share, bar. Each
// class name (and the id) ends with an empty word, so that the last word
// of each name can be told.
func classWords(n *html.Node) []string { return attrWords(n, "id") }

// classOnlyWords are the words of n's class alone.
func classOnlyWords(n *html.Node) []string { return attrWords(n, "") }

// attrWords splits the class attribute, and the other attribute named
// (if any), into words.
func attrWords(n *html.Node, other string) []string {
	var words []string
	for _, a := range n.Attr {
		if a.Key != "class" && (other == "" || a.Key != other) {
			continue
		}
		for _, name := range strings.Fields(a.Val) {
			if w := splitWords(name, nil); len(w) > 0 {
				words = append(append(words, w...), "")
			}
		}
	}
	return words
}

func splitWords(s string, words []string) []string {
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToLower(s[start:end]))
		}
		start = -1
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		isLower := c >= 'a' && c <= 'z'
		isUpper := c >= 'A' && c <= 'Z'
		isDigit := c >= '0' && c <= '9'
		switch {
		case isUpper:
			// camelCase boundary, but not inside an all-caps run
			if start >= 0 && i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z' {
				flush(i)
			}
			if start < 0 {
				start = i
			}
		case isLower || isDigit:
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(s))
	return words
}

// boilerplateClass reports whether class/id words mark n as boilerplate,
// and the word that decided it. A strong word anywhere decides. A weak
// word decides when it ends a class name ("post-meta", "article__footer")
// and no class name ends with a content word ("entry-content").
func boilerplateClass(words []string) (string, bool) {
	var weak string
	content := false
	for i, w := range words {
		if w == "" {
			continue
		}
		if strongWord(w) {
			return w, true
		}
		// two-word forms: "read-more", "most-read", "see-also"
		if i+1 < len(words) && words[i+1] != "" {
			pair := w + words[i+1]
			if strongWord(pair) || pair == "seealso" || pair == "mostread" || pair == "readmore" || pair == "readalso" {
				return pair, true
			}
		}
		last := i+1 < len(words) && words[i+1] == ""
		if last && weakWords()[w] && weak == "" {
			weak = w
		}
		if last && contentWords()[w] {
			content = true
		}
	}
	if weak != "" && !content {
		return weak, true
	}
	return "", false
}

// strongClass reports whether class/id words name boilerplate outright.
func strongClass(words []string) bool {
	for i, w := range words {
		if strongWord(w) {
			return true
		}
		if w != "" && i+1 < len(words) && strongWord(w+words[i+1]) {
			return true
		}
	}
	return false
}

// positiveClass and negativeClass weigh candidates during scoring.
func classWeight(words []string) float64 {
	w := 0.0
	for i, x := range words {
		if contentWords()[x] && i+1 < len(words) && words[i+1] == "" {
			w += 25
			break
		}
	}
	if _, bad := boilerplateClass(words); bad {
		w -= classPenalty
	}
	return w
}

// classPenalty is what a boilerplate class word costs a candidate.
const classPenalty = 25

// blockTags break text into paragraphs.
var blockTags = sync.OnceValue(func() map[atom.Atom]bool {
	return map[atom.Atom]bool{
		atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
		atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
		atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
		atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
		atom.Figure: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Nav: true,
		atom.Address: true, atom.Hr: true, atom.Center: true, atom.Details: true, atom.Summary: true,
		atom.Fieldset: true, atom.Form: true, atom.Body: true, atom.Html: true, atom.Tbody: true,
		atom.Thead: true, atom.Tfoot: true, atom.Caption: true, atom.Picture: true,
	}
})

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hidden reports nodes a browser would not show. aria-hidden is not one:
// it hides a node from screen readers, not from the eye (a pull quote, a
// decorative copy), and a copy said twice goes as a repeat.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			s := strings.ToLower(a.Val)
			if strings.Contains(s, "display:none") || strings.Contains(s, "display: none") ||
				strings.Contains(s, "visibility:hidden") || strings.Contains(s, "visibility: hidden") {
				return true
			}
		}
	}
	return false
}
