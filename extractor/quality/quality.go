// Package quality scores extracted text the way the project's referees in
// ../shared/eval do, so that Go tests and benchmarks report the same
// figures: shingle F1 against a page's articleBody (score_extraction.py)
// and keep recall and drop leakage against keep/drop lists
// (score_appeals.py).
package quality

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

const ngram = 4

// word is Python's \w+ for text: letters, numbers, underscore.
var word = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// Triple is a page's normalised true-positive, false-positive and
// false-negative shingle shares.
type Triple struct{ TP, FP, FN float64 }

func shingles(toks []string) map[string]int {
	m := map[string]int{}
	if len(toks) == 0 {
		return m
	}
	if len(toks) < ngram {
		m[strings.Join(toks, "\x00")]++
		return m
	}
	for i := 0; i+ngram <= len(toks); i++ {
		m[strings.Join(toks[i:i+ngram], "\x00")]++
	}
	return m
}

// Match compares predicted text with the truth.
func Match(truth, pred string) Triple {
	t, p := shingles(word.FindAllString(truth, -1)), shingles(word.FindAllString(pred, -1))
	var tp, fp, fn int
	for k, tc := range t {
		pc := p[k]
		tp += min(tc, pc)
		if tc > pc {
			fn += tc - pc
		}
	}
	for k, pc := range p {
		if tc := t[k]; pc > tc {
			fp += pc - tc
		}
	}
	total := float64(tp + fp + fn)
	if total == 0 {
		return Triple{}
	}
	return Triple{float64(tp) / total, float64(fp) / total, float64(fn) / total}
}

// Aggregate gives the benchmark's precision, recall and F1 over pages.
func Aggregate(ts []Triple) (p, r, f1 float64) {
	var ps, rs []float64
	for _, t := range ts {
		if t.TP+t.FP > 0 {
			ps = append(ps, prec(t))
		}
		if t.TP+t.FN > 0 {
			rs = append(rs, rec(t))
		}
	}
	p, r = mean(ps), mean(rs)
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

func prec(t Triple) float64 {
	switch {
	case t.FP == 0 && t.FN == 0:
		return 1
	case t.TP == 0 && t.FP == 0:
		return 0
	}
	return t.TP / (t.TP + t.FP)
}

func rec(t Triple) float64 {
	switch {
	case t.FP == 0 && t.FN == 0:
		return 1
	case t.TP == 0 && t.FN == 0:
		return 0
	}
	return t.TP / (t.TP + t.FN)
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

var spaces = regexp.MustCompile(`\s+`)

func normText(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(norm.NFC.String(s), " "))
}

// Appeals counts, for one page, the keep strings present and the drop
// strings leaked, by score_appeals.py's rules: whitespace collapsed and
// NFC; a drop string inside a keep sentence does not count; a drop string
// of one or two words counts only as a whole line.
func Appeals(text string, keep, drop []string) (kept int, missed []string, leaked []string, drops int) {
	on := normText(text)
	lines := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		if n := normText(l); n != "" {
			lines[n] = true
		}
	}
	var keepNorm []string
	for _, k := range keep {
		if n := normText(k); n != "" {
			keepNorm = append(keepNorm, n)
			if strings.Contains(on, n) {
				kept++
			} else {
				missed = append(missed, k)
			}
		}
	}
	for _, d := range drop {
		dn := normText(d)
		if dn == "" {
			continue
		}
		drops++
		inKeep := false
		for _, k := range keepNorm {
			if strings.Contains(k, dn) {
				inKeep = true
			}
		}
		if inKeep {
			continue
		}
		if len(strings.Fields(dn)) <= 2 {
			if lines[dn] {
				leaked = append(leaked, d)
			}
		} else if strings.Contains(on, dn) {
			leaked = append(leaked, d)
		}
	}
	return kept, missed, leaked, drops
}

// Words is WCXB's page score on multisets of lower-cased words: precision,
// recall and F1. An empty truth scores 1 when the prediction is empty too,
// else 0; an empty prediction scores 0 (score_extraction.py --metric words).
func Words(truth, pred string) (p, r, f1 float64) {
	t, q := wordBag(truth), wordBag(pred)
	if len(t) == 0 {
		if len(q) == 0 {
			return 1, 1, 1
		}
		return 0, 0, 0
	}
	if len(q) == 0 {
		return 0, 0, 0
	}
	overlap, nt, nq := 0, 0, 0
	for w, c := range t {
		overlap += min(c, q[w])
		nt += c
	}
	for _, c := range q {
		nq += c
	}
	p, r = float64(overlap)/float64(nq), float64(overlap)/float64(nt)
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

func wordBag(s string) map[string]int {
	m := map[string]int{}
	for _, w := range word.FindAllString(s, -1) {
		m[strings.ToLower(w)]++
	}
	return m
}

// PageF1 is a page's shingle F1, the per-page figure of the scrapinghub
// metric (the summary F1 is computed from means, see Aggregate).
func PageF1(t Triple) float64 {
	p, r := prec(t), rec(t)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// LostBelow is the page F1 under which a page counts as lost: most of its
// article is missing, or most of the output is not the article.
const LostBelow = 0.5
