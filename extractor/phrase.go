package extractor

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// phrase is a lower-case regular expression with a literal prefilter:
// strings one of which every match must contain. Checking those with
// strings.Contains first skips the regexp engine for nearly all text.
type phrase struct {
	re   *regexp.Regexp
	lits []string // nil: no usable prefilter, always run re
}

func newPhrase(pattern string) phrase {
	p := phrase{re: regexp.MustCompile(pattern)}
	if t, err := syntax.Parse(pattern, syntax.Perl); err == nil {
		p.lits = requiredLiterals(t.Simplify())
	}
	return p
}

func (p *phrase) maybe(lower string) bool {
	if p.lits == nil {
		return true
	}
	for _, l := range p.lits {
		if strings.Contains(lower, l) {
			return true
		}
	}
	return false
}

func (p *phrase) match(lower string) bool { return p.maybe(lower) && p.re.MatchString(lower) }

func (p *phrase) findAll(lower string) [][]int {
	if !p.maybe(lower) {
		return nil
	}
	return p.re.FindAllStringIndex(lower, -1)
}

// requiredLiterals returns strings one of which any match of re must
// contain, or nil when there is no such set with strings of 3+ bytes.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		if s := string(re.Rune); len(s) >= 3 {
			return []string{s}
		}
		return nil
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return requiredLiterals(re.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			l := requiredLiterals(s)
			if l == nil {
				return nil
			}
			out = append(out, l...)
		}
		return out
	case syntax.OpConcat:
		// The best child: the set whose shortest string is longest. Runs
		// of adjacent literal children are joined first.
		var best []string
		score := func(ls []string) int {
			m := -1
			for _, l := range ls {
				if m < 0 || len(l) < m {
					m = len(l)
				}
			}
			return m
		}
		var run strings.Builder
		flush := func() {
			if run.Len() >= 3 {
				if c := []string{run.String()}; best == nil || score(c) > score(best) {
					best = c
				}
			}
			run.Reset()
		}
		for _, s := range re.Sub {
			if s.Op == syntax.OpLiteral && s.Flags&syntax.FoldCase == 0 {
				run.WriteString(string(s.Rune))
				continue
			}
			flush()
			if l := requiredLiterals(s); l != nil && (best == nil || score(l) > score(best)) {
				best = l
			}
		}
		flush()
		return best
	}
	return nil
}

// searchWindow is how far on each side of a literal's occurrence search
// looks for a match: more than the longest match of the page-flag phrases.
const searchWindow = 256

// search is match for long text (a page's whole text or markup): the
// regexp runs only on a window around each occurrence of a required
// literal, where a short input lets Go's regexp use its fast backtracker
// instead of scanning the whole text. Only unanchored phrases shorter
// than searchWindow may be searched this way.
func (p *phrase) search(text string) bool {
	if p.lits == nil || len(text) <= 2*searchWindow {
		return p.match(text)
	}
	for _, l := range p.lits {
		for off := 0; off < len(text); {
			i := strings.Index(text[off:], l)
			if i < 0 {
				break
			}
			i += off
			lo, hi := max(0, i-searchWindow), min(len(text), i+len(l)+searchWindow)
			for lo > 0 && !utf8.RuneStart(text[lo]) {
				lo--
			}
			for hi < len(text) && !utf8.RuneStart(text[hi]) {
				hi++
			}
			if p.re.MatchString(text[lo:hi]) {
				return true
			}
			off = i + len(l)
		}
	}
	return false
}
