package extractor

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// search finds what match finds, in long text, wherever the phrase sits.
func TestPhraseSearchEqualsMatch(t *testing.T) {
	filler := strings.Repeat("this is the text of the article, about this council and its budget. ", 40)
	p := compiled()
	for _, tt := range []struct {
		name string
		ph   phrase
		hit  string
	}{
		{"paywall text", p.paywallText, "this article is only available to subscribers"},
		{"paywall class", p.paywallClass, "tp-modal"},
		{"free false", p.freeFalse, `"isaccessibleforfree": "false"`},
		{"consent", p.consentText, "we value your privacy"},
	} {
		for _, text := range []string{
			filler,
			tt.hit + " " + filler,
			filler + " " + tt.hit,
			filler[:len(filler)/2] + " " + tt.hit + " " + filler[len(filler)/2:],
			"Дорогие читатели " + filler + tt.hit + " ещё",
		} {
			if got, want := tt.ph.search(text), tt.ph.match(text); got != want {
				t.Errorf("%s: search = %v, match = %v on a text of %d bytes", tt.name, got, want, len(text))
			}
		}
		if !tt.ph.search(filler + " " + tt.hit) {
			t.Errorf("%s: %q not found at the end of a long text", tt.name, tt.hit)
		}
	}
}

// The prefilter's literals, pattern by pattern: one of them is in every
// match, and each is long enough to search for.
func TestRequiredLiterals(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		want    []string // nil: no prefilter
	}{
		{`subscribe to (?:continue|read)`, []string{"subscribe to "}},
		{`\bpaywall\b`, []string{"paywall"}},
		{`(?:paywall|regwall)-box`, []string{"paywall", "regwall"}}, // the set whose shortest string is longest
		{`(?:metered|regwall)`, []string{"metered", "regwall"}},
		{`"isaccessibleforfree"\s*:\s*"?false`, []string{`"isaccessibleforfree"`}},
		{`ab|cd`, nil},         // too short to search for
		{`\d+ (?:ab|cd)`, nil}, // no child has a literal of 3 bytes
		{`(?i)paywall`, nil},   // folded case: the text is lowered, the pattern must be too
	} {
		t.Run(tt.pattern, func(t *testing.T) {
			re, err := syntax.Parse(tt.pattern, syntax.Perl)
			if err != nil {
				t.Fatal(err)
			}
			got := requiredLiterals(re.Simplify())
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("requiredLiterals(%q) = %q, want %q", tt.pattern, got, want)
			}
		})
	}
}

// Every match of every pattern the extractor compiles holds one of its
// literals, on the text and markup of real pages (and on the pattern's
// own test cases, in lexicon_test.go): a literal that a match can lack
// would make the prefilter drop a match.
func TestEveryMatchHoldsALiteral(t *testing.T) {
	pages := loadPages(t, devDir)
	if raceDetector {
		pages = pages[:len(pages)/10] // a sample: see raceDetector
	}
	p := compiled()
	var all []phrase
	for _, r := range p.lexicon {
		all = append(all, r.phrase)
	}
	all = append(all, p.relatedHeading, p.challengeTitle, p.challengeText, p.consentText, p.paywallClass, p.paywallText, p.freeFalse)
	checked := 0
	for _, page := range pages {
		doc, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{strings.ToLower(nodeText(doc)), strings.ToLower(markupSample(doc))}
		for _, text := range texts {
			for _, ph := range all {
				if ph.lits == nil {
					continue
				}
				for _, m := range ph.re.FindAllStringIndex(text, -1) {
					s := text[m[0]:m[1]]
					checked++
					if !slices.ContainsFunc(ph.lits, func(l string) bool { return strings.Contains(s, l) }) {
						t.Errorf("%q matches %q, which holds none of %q", ph.re, s, ph.lits)
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d matches on the dev pages: the test proves little", checked)
	}
}
