package extractor

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexicon: wording that marks a block as boilerplate, in English,
// Russian, Ukrainian and Korean. It is data: add a phrase here, and a test
// case in lexicon_test.go that shows it firing and not firing.
//
// Patterns are phrases, not lone words, so that a body paragraph that
// reports on a fundraising drive or a newsletter stays; the few lone
// words and stems are marked "~" (weak). The decision is made per block
// (see boilerplateWording): a very short block goes on any match, a short
// one on a phrase, a longer one on two matches, a long one only when
// matches cover much of it.

type lexRule struct {
	category string
	weak     bool // a lone word or stem: decides only very short blocks
	phrase
}

// Patterns are written in lower case and matched against lower-cased
// text, which is much faster than case-insensitive matching.
//
// Go's \b knows only ASCII word characters, so in a pattern with other
// letters a leading or trailing \b becomes a Unicode-aware boundary.
func lex(category string, patterns ...string) []lexRule {
	out := make([]lexRule, 0, len(patterns))
	for _, p := range patterns {
		weak := strings.HasPrefix(p, "~")
		p = strings.TrimPrefix(p, "~")
		if !isASCII(p) {
			if strings.HasPrefix(p, `\b`) {
				p = `(?:^|[^\p{L}\p{N}_])` + p[2:]
			}
			if strings.HasSuffix(p, `\b`) {
				p = p[:len(p)-2] + `(?:[^\p{L}\p{N}_]|$)`
			}
		}
		out = append(out, lexRule{category, weak, newPhrase(p)})
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

var lexicon = concat(
	lex("donation",
		`\bsupport (?:us|our (?:work|journalism|reporting|mission|newsroom)|independent (?:journalism|media|news|reporting))\b`,
		`^support (?:the |us\b|our )`, // "Support The Moscow Times!" as a block of its own
		`\b(?:make|give) (?:a|your) (?:contribution|donation|gift)\b`,
		`\bmake your contribution\b`,
		`\bdonate (?:now|today|here|to us)\b`,
		`\bcontribute (?:now|today)\b`,
		`\b(?:become|join) (?:a |as a )?(?:member|supporter|patron)s?\b`,
		`\bdear readers?\b`,
		`^before you go\b`,
		`\bremind me later\b`,
		`\bnot ready to (?:support|contribute|give|donate)\b`,
		`\bevery contribution\b`,
		"~"+`\byour support\b`,
		`\bthank you for your support\b`,
		`\bfunded by (?:readers|sponsors|member)`,
		`\breader[- ]funded\b`,
		"~"+`\bwe rely on\b`,
		`\bplease (?:consider )?(?:support|donate|contribute)`,
		`\b(?:monthly|one-time|annual) (?:gift|donation|contribution)s?\b`,
		`\bmember donations\b`,
		`\bsupport (?:starting )?from just\b`,
		`поддерж(?:ите|ать) (?:нас|редакци|независим|проект)`,
		"~"+`пожертвова`,
		"~"+`задонат`,
		`дорогие читатели`,
		`ваша поддержка`,
		`підтрима(?:йте|ти) (?:нас|редакці|незалежн|проєкт|проект)`,
		`дорогі читачі`,
		`ваша підтримка`,
		"~"+`\bдонат`,
		`후원(?:하기|해|금|회원)`,
	),
	lex("adblock",
		`\bad ?blocker\b`,
		`\badblocking\b`,
		`\benable ads\b`,
		`\bturn off your ad`,
		`\bwhitelist (?:us|our site)\b`,
	),
	lex("paywall",
		`\bsubscribe (?:to (?:continue|read|keep)|now|today|for)\b`,
		`\balready (?:a subscriber|have an account|subscribed)\b`,
		`\bunlimited (?:digital )?access\b`,
		`\bfree trial\b`,
		`\b\d+ days free\b`,
		`\bsubscribers? only\b`,
		`\bjoin \w+ plus\b`,
		`\bonline-подписка\b`,
		`оформите подписку`,
		`доступ(?:но)? только (?:по подписке|подписчикам)`,
		`구독문의`,
	),
	lex("newsletter",
		`\bsign up (?:for|to) (?:our|the)\b`,
		"~"+`\bnewsletters?\b`,
		`\b(?:delivered )?(?:to|in) your (?:inbox|mailbox)\b`,
		`\bsubscribers agree\b`,
		"~"+`\bprivacy policy\b`,
		`\bnever miss (?:a|the|another)\b`,
		`\benter your e-?mail\b`,
		"~"+`\be-?mail address\b`,
		"~"+`рассылк`,
		`на (?:свой |ваш )?электронн\p{L}* (?:адрес|почт)`,
		`(?:доставляем|получайте) .{0,40}(?:в почту|на почту|на свой)`,
		"~"+`розсилк`,
		"~"+`뉴스레터`,
	),
	lex("teaser",
		`^(?:read|see) (?:more|also|next)\b`,
		`^(?:watch|listen) (?:more|also|next)\b`,
		`^related(?: (?:articles?|stories|coverage|content|topics|news))?\s*:?$`,
		`^more (?:from|on|stories|news)\b`,
		`^more:?$`,
		`^(?:recommended|trending|latest news|top stories|editor'?s picks)\b`,
		`^most (?:read|viewed|popular|shared)\b`,
		`^view all\b`,
		`^читайте (?:также|материал|нас)\b`,
		`^(?:по теме|смотрите также|см\. также|топ \d+ читаемых|главное за день|самое читаемое)\b`,
		`^самые (?:интересные|читаемые|полезные|обсуждаемые)`,
		`^читайте (?:також|нас)\b`,
		`^(?:до теми|зверніть увагу|дивіться також|головне за день)`,
		`(?:많이 본|관련) ?(?:뉴스|기사)`,
		`^(?:함께 (?:보면|볼)|추천 기사)`,
	),
	lex("social",
		`\bshare (?:this|on|via|the article|article)\b`,
		`\bfollow (?:us|\w+) on\b`,
		`\bclick to share\b`,
		`\bget short url\b`,
		`\bjoin (?:us|our \w+ channel) on\b`,
		"~"+`\bin telegram\b`,
		"~"+`\bв telegram\b`,
		"~"+`телеграм`,
		"~"+`підписуйтесь`,
		"~"+`подписывайтесь`,
		`공유하기`,
	),
	lex("cookie",
		`\b(?:we|this (?:web)?site) uses? cookies\b`,
		`\baccept (?:all )?cookies\b`,
		`\bcookie (?:policy|settings|preferences)\b`,
		"~"+`файлы cookie`,
		`використовує(?:мо)? (?:файли )?cookie`,
		"~"+`쿠키`,
	),
	lex("comments",
		`\b(?:leave|post|add|write) a comment\b`,
		`\bcomments? \(\d+\)`,
		`\b(?:show|view|hide) comments\b`,
		`\bno comments yet\b`,
		`\blog ?in to (?:comment|reply)\b`,
		`\bhave your say\b`,
		"~"+`комментари[йяиев]`,
		`авторизуйтесь`,
		"~"+`коментар(?:ів|і|ем)\b`,
		`개의 댓글`,
		"~"+`댓글`,
	),
	lex("chrome",
		`\bmedia playback is unsupported\b`,
		`\bimage (?:caption|source|copyright)\b`,
		"~"+`\bexternal links?\b`,
		`\bopen in a new window\b`,
		`\bfont size\b`,
		`\burl is copied\b`,
		"~"+`\bcopyright\b`,
		`©`,
		`\ball rights reserved\b`,
		`все права (?:защищены|на материалы)`,
		`всі права захищені`,
		`무단 ?(?:전재|사용|복제)`,
		`재배포 금지`,
		"~"+`저작권`,
		`독자서비스`,
		`^загрузка\.*$`,
		`\bgive us feedback\b`,
		`^(?:опубликован[оа]?|напечатан[оа]?) в (?:газете|журнале|номере)`,
		`^(?:a version of this (?:article|story) appear(?:s|ed) in print|this (?:article|story) (?:appeared|appears) in the print edition)`,
		`\bplaces in this story\b`,
		`\babout this content\b`,
		`\bclose (?:share )?panel\b`,
	),
)

func concat(parts ...[]lexRule) []lexRule {
	var out []lexRule
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// relatedHeading is the heading of a box of other stories. It decides
// for the whole box (see boxRule), so it must be the heading's whole
// message, not a phrase inside it.
var relatedHeading = newPhrase(`^(?:` +
	`(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|related(?: (?:posts|articles|stories|news|coverage|content|reading))?|more (?:stories|news|articles|coverage|from|on this)|recommended(?: for you| stories| articles)?|read (?:more|also|next)|see also|also read|popular (?:stories|posts|now)|most (?:read|popular|viewed)|trending(?: now)?|editors'? picks|don'?t miss)` +
	`|(?:вам может быть интересно|читайте также|похожие (?:статьи|новости|материалы)|по теме|другие (?:статьи|новости)|самое читаемое|популярное)` +
	`|(?:вас може зацікавити|читайте також|схожі (?:новини|статті)|до теми|популярне)` +
	`|(?:관련 ?기사|추천 ?기사|많이 본 (?:뉴스|기사)|함께 (?:보면 좋은|볼 만한) 기사|이 시각 (?:주요|인기) ?뉴스)` +
	`|(?:você (?:pode|também pode) gostar|veja também|leia também|notícias relacionadas|artigos relacionados|te puede interesar|noticias relacionadas|lee también|à lire aussi|sur le même sujet|vous aimerez aussi|das könnte sie auch interessieren|mehr zum thema|lesen sie auch)` +
	`)[\s.:!…]*$`)

// exactLines are boilerplate when they are the whole block.
var exactLines = map[string]string{
	"advertisement": "ad", "advertising": "ad", "ad": "ad", "sponsored": "ad", "sponsored content": "ad",
	"реклама": "ad", "광고": "ad", "partner content": "ad",
	"share": "social", "tweet": "social", "email": "social", "print": "social", "copy link": "social",
	"comments": "comments", "comment": "comments", "reply": "comments",
	"subscribe": "newsletter", "sign up": "newsletter", "подписаться": "newsletter", "подписка": "newsletter",
	"підписатися": "newsletter", "구독": "newsletter", "구독하기": "newsletter", "нет, спасибо": "newsletter",
	"no, thanks": "newsletter", "no thanks": "newsletter",
	"read more": "teaser", "more": "teaser", "see more": "teaser", "load more": "teaser",
	"once": "donation", "monthly": "donation", "annual": "donation", "continue": "chrome",
	"(end)": "chrome", "trending": "teaser", "читателям": "chrome", "close": "chrome",
	"управление подпиской": "newsletter", "вопрос-ответ": "teaser", "menu": "chrome",
}

// exactLine reports whether a whole line is a known boilerplate label.
func exactLine(t string) (string, bool) {
	t = strings.TrimSpace(t)
	if c, ok := exactLines[strings.ToLower(t)]; ok {
		return c, true
	}
	norm := strings.ToLower(strings.TrimFunc(t, func(r rune) bool { return unicode.IsPunct(r) && r != ')' && r != '(' || unicode.IsSpace(r) }))
	c, ok := exactLines[norm]
	return c, ok
}

// boilerplateWording decides whether a block's wording marks it as
// boilerplate, and returns the category that fired.
func boilerplateWording(text string) (string, bool) {
	t := strings.TrimSpace(text)
	if t == "" {
		return "", false
	}
	if c, ok := exactLine(t); ok {
		return c, true
	}
	lower := strings.ToLower(t)
	words := countWords(t)
	runes := utf8.RuneCountInString(t)
	hits, strong, covered := 0, 0, 0
	first := ""
	for _, r := range lexicon {
		locs := r.findAll(lower)
		if len(locs) == 0 {
			continue
		}
		if first == "" || !r.weak && strong == 0 {
			first = r.category
		}
		hits++
		if !r.weak {
			strong++
		}
		for _, l := range locs {
			covered += utf8.RuneCountInString(lower[l[0]:l[1]])
		}
	}
	if hits == 0 {
		return "", false
	}
	switch {
	case words <= 12 || runes <= 60:
		return first, true
	case strong > 0 && (words <= 25 || runes <= 120):
		return first, true
	case hits >= 2 && words <= 70:
		return first, true
	case covered*100 >= runes*30:
		return first, true
	}
	return "", false
}
