package extractor

import (
	"regexp"
	"sync"

	"github.com/coregx/ahocorasick"
)

// patterns are the extractor's compiled wording rules. They are compiled
// on first use, not at init, so that a process that never extracts (every
// CLI call but extract, run and daemon) does not pay for them.
type patterns struct {
	lexicon []lexRule
	// lexAC finds the lexicon rules' required literals in one pass;
	// litRules maps each of its patterns to the rules that need it.
	lexAC      *ahocorasick.Automaton
	litRules   [][]int
	exactLines map[string]string
	// relatedHeading is the heading of a box of other stories. It decides
	// for the whole box (see boxRule), so it must be the heading's whole
	// message, not a phrase inside it.
	relatedHeading phrase
	// Page flags (flags.go).
	challengeTitle, challengeText, consentText phrase
	paywallClass, paywallText, freeFalse       phrase
	emailLine                                  *regexp.Regexp
}

var compiled = sync.OnceValue(func() *patterns {
	p := &patterns{exactLines: exactLineSource()}
	for _, g := range lexiconSource() {
		p.lexicon = append(p.lexicon, lex(g.category, g.entries)...)
	}
	if len(p.lexicon) > 256 {
		panic("extractor: the lexicon outgrew lexCandidates' bit set")
	}
	ids := map[string]int{}
	var lits []string
	for i, r := range p.lexicon {
		for _, l := range r.lits {
			id, ok := ids[l]
			if !ok {
				id = len(lits)
				ids[l] = id
				lits = append(lits, l)
				p.litRules = append(p.litRules, nil)
			}
			p.litRules[id] = append(p.litRules[id], i)
		}
	}
	ac, err := ahocorasick.NewBuilder().AddStrings(lits).Build()
	if err != nil {
		panic("extractor: building the lexicon's literal matcher: " + err.Error())
	}
	p.lexAC = ac
	p.relatedHeading = newPhrase(`^(?:` +
		`(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|related(?: (?:posts|articles|stories|news|coverage|content|reading))?|more (?:stories|news|articles|coverage|from|on this)|recommended(?: for you| stories| articles)?|read (?:more|also|next)|see also|also read|popular (?:stories|posts|now)|most (?:read|popular|viewed)|trending(?: now)?|editors'? picks|don'?t miss)` +
		`|(?:вам может быть интересно|читайте также|похожие (?:статьи|новости|материалы)|по теме|другие (?:статьи|новости)|самое читаемое|популярное)` +
		`|(?:вас може зацікавити|читайте також|схожі (?:новини|статті)|до теми|популярне)` +
		`|(?:관련 ?기사|추천 ?기사|많이 본 (?:뉴스|기사)|함께 (?:보면 좋은|볼 만한) 기사|이 시각 (?:주요|인기) ?뉴스)` +
		`|(?:você (?:pode|também pode) gostar|veja também|leia também|notícias relacionadas|artigos relacionados|te puede interesar|noticias relacionadas|lee también|à lire aussi|sur le même sujet|vous aimerez aussi|das könnte sie auch interessieren|mehr zum thema|lesen sie auch)` +
		`)[\s.:!…]*$`)
	p.challengeTitle = newPhrase(`^(?:just a moment|attention required|access denied|are you a robot|please wait|checking your browser|one more step|ddos-guard|security check|вы не робот|проверка браузера)`)
	p.challengeText = newPhrase(`checking (?:if the site connection is secure|your browser before accessing)|enable javascript and cookies to continue|cf-browser-verification|challenge-platform|captcha-delivery|verify you are (?:a )?human|ddos protection by|please complete the security check|проверяем ваш браузер`)
	p.consentText = newPhrase(`(?:before you continue|we value your privacy|your privacy choices|manage (?:your )?(?:cookie|consent|privacy) (?:settings|preferences)|consent to (?:the use of )?(?:cookies|our use)|accept all cookies|reject all)`)
	p.paywallClass = newPhrase(`\b(?:paywall|piano-?offer|tp-modal|metered|premium-(?:content|wall)|subscriber-only|regwall)\b`)
	p.paywallText = newPhrase(`(?:subscribe to (?:continue|read)|this (?:article|content) is (?:for|available to|only available to) (?:subscribers|members)|to continue reading|already a subscriber\?|доступно только (?:по подписке|подписчикам)|유료 ?회원)`)
	p.freeFalse = newPhrase(`"isaccessibleforfree"\s*:\s*"?false`)
	p.emailLine = regexp.MustCompile(`^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$`)
	return p
})
