package extractor

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexicon: wording that marks a block as boilerplate. Its data, with
// a firing and a non-firing example for every entry, is in
// lexicon_data.go; this file compiles it (on first use) and decides.
//
// Patterns are phrases, not lone words, so that a body paragraph that
// reports on a fundraising drive or a newsletter stays; the few lone
// words and stems are marked "~" (weak). The decision is made per block
// (see boilerplateWording): a short block goes on a phrase, a label on a
// lone word (a very short block, or one the words cover much of), a
// longer block on a phrase and another match, a long one only when
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
func lex(category string, entries []lexEntry) []lexRule {
	out := make([]lexRule, 0, len(entries))
	for _, e := range entries {
		p := e.pattern
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

// exactLine reports whether a whole line is a known boilerplate label.
func exactLine(t string) (string, bool) {
	t = strings.TrimSpace(t)
	if c, ok := compiled().exactLines[strings.ToLower(t)]; ok {
		return c, true
	}
	norm := strings.ToLower(strings.TrimFunc(t, func(r rune) bool { return unicode.IsPunct(r) && r != ')' && r != '(' || unicode.IsSpace(r) }))
	c, ok := compiled().exactLines[norm]
	return c, ok
}

// lexCandidates lists, in lexicon order, the rules that may match lower:
// those with a required literal present in it (found in one Aho-Corasick
// pass over the text for all rules at once) and those without one.
func (p *patterns) lexCandidates(lower string) []int {
	var on [4]uint64 // a bit per rule; the lexicon has fewer than 256
	for _, m := range p.lexAC.FindAllOverlapping([]byte(lower)) {
		for _, i := range p.litRules[m.PatternID] {
			on[i/64] |= 1 << (i % 64)
		}
	}
	out := make([]int, 0, 4)
	for i := range p.lexicon {
		if on[i/64]&(1<<(i%64)) != 0 || p.lexicon[i].lits == nil {
			out = append(out, i)
		}
	}
	return out
}

// weakLabel is the most words a block has that a lone word decides
// whatever its length; weakCover is the share, in percent, of a longer
// short block's text that lone words must cover.
const (
	weakLabel = 3
	weakCover = 30
)

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
	p := compiled()
	for _, i := range p.lexCandidates(lower) {
		r := &p.lexicon[i]
		locs := r.re.FindAllStringIndex(lower, -1)
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
	case strong > 0 && (words <= 25 || runes <= 120):
		return first, true
	case (words <= 12 || runes <= 60) && (words <= weakLabel || covered*100 >= runes*weakCover):
		// A lone word decides a label ("Newsletter", "Privacy Policy",
		// "Sign up for our newsletter"), not a sentence that uses it
		// ("Summarize the seven newsletters with the highest score").
		return first, true
	case strong > 0 && hits >= 2 && words <= 70, hits >= 3 && words <= 25:
		return first, true
	case covered*100 >= runes*30:
		return first, true
	}
	return "", false
}
