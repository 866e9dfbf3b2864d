package extractor

import (
	"strings"
	"testing"
)

// Every lexicon entry, in its own words: the block it must catch, caught
// by that entry and reported as its category, and the body block on the
// same subject it must leave alone.
func TestLexiconEntries(t *testing.T) {
	for _, g := range lexiconSource() {
		for _, e := range g.entries {
			t.Run(g.category+"/"+e.pattern, func(t *testing.T) {
				if e.fires == "" || e.stays == "" {
					t.Fatal("an entry needs a fires and a stays example")
				}
				r := lex(g.category, []lexEntry{e})[0]
				if !r.match(strings.ToLower(e.fires)) {
					t.Errorf("pattern does not match its own example %q", e.fires)
				}
				if cat, ok := boilerplateWording(e.fires); !ok {
					t.Errorf("%q is not caught", e.fires)
				} else if cat != g.category {
					t.Errorf("%q is caught as %s, listed under %s", e.fires, cat, g.category)
				}
				if cat, ok := boilerplateWording(e.stays); ok {
					t.Errorf("body block removed as %s: %q", cat, e.stays)
				}
			})
		}
	}
}

// Every exact label goes as a line of its own, and stays inside a sentence.
func TestExactLines(t *testing.T) {
	for label, category := range exactLineSource() {
		t.Run(label, func(t *testing.T) {
			r := []rune(label)
			capital := strings.ToUpper(string(r[0])) + string(r[1:])
			for _, line := range []string{label, capital, label + ":", " " + label + " "} {
				if cat, ok := exactLine(line); !ok || cat != category {
					t.Errorf("exactLine(%q) = %q, %v; want %q", line, cat, ok, category)
				}
			}
			sentence := "The word " + label + " was the one the minister used in the debate on Tuesday, officials said."
			if cat, ok := exactLine(sentence); ok {
				t.Errorf("a sentence with the label went as %s: %q", cat, sentence)
			}
		})
	}
}

// The related-stories heading decides for a whole box, so it must be the
// heading's whole message.
func TestRelatedHeading(t *testing.T) {
	for _, tt := range []struct {
		heading string
		fires   bool
	}{
		{"You may also like", true},
		{"Related articles:", true},
		{"Читайте также", true},
		{"관련기사", true},
		{"Lesen Sie auch", true},
		{"More details emerged on Tuesday", false},
		{"Related charges were dropped", false},
		{"Latest news", false},
	} {
		if got := compiled().relatedHeading.match(strings.ToLower(tt.heading)); got != tt.fires {
			t.Errorf("relatedHeading(%q) = %v, want %v", tt.heading, got, tt.fires)
		}
	}
}

func TestSplitWords(t *testing.T) {
	tests := map[string]string{
		"article__related-article": "article related article",
		"shareBar":                 "share bar",
		"NEWS-Box2":                "news box2",
		"c-entry-content ":         "c entry content",
	}
	for in, want := range tests {
		got := ""
		for i, w := range splitWords(in, nil) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != want {
			t.Errorf("splitWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// A lone word decides a label, not a short sentence that uses it; two
// lone words do not decide a paragraph.
func TestLoneWordsDecideLabels(t *testing.T) {
	for _, tc := range []struct {
		text  string
		fires bool
	}{
		{"Newsletter", true},
		{"Privacy Policy", true},
		{"Sign up for our newsletter", true},
		{"Start your free trial", true},
		{"Summarize the seven newsletters with the highest score", false},
		{"Monday newsletters always feature top ten travel lists to inspire.", false},
		{"For example, with this newsletter, I might say something like:", false},
		{"To make this practical, we rely on a few battle-tested packages:", false},
		{"Copyright Complexity in a Fragmented World", false},
		{"You can test the service with its 14-day free trial.", false},
		{"The ministry's newsletter asked residents to confirm their email address before the vote, and the mayor said the council would publish the list of polling stations on Friday after a long delay caused by the strike at the printing works.", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if cat, got := boilerplateWording(tc.text); got != tc.fires {
				t.Errorf("boilerplateWording(%q) = %q, %v; want %v", tc.text, cat, got, tc.fires)
			}
		})
	}
}
