package extractor

import (
	"strings"
	"testing"
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
