package quality

import (
	"math"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred string
		p, r, f1    float64
	}{
		{"equal", "The cat sat.", "the CAT sat", 1, 1, 1},
		{"both empty", "", "  ", 1, 1, 1},
		{"empty truth", "", "words", 0, 0, 0},
		{"empty prediction", "words here", "", 0, 0, 0},
		{"half recall", "a b c d", "a b", 1, 0.5, 2.0 / 3},
		{"multiset", "a a b", "a b b", 2.0 / 3, 2.0 / 3, 2.0 / 3},
		{"unicode", "Дорогие читатели", "дорогие", 1, 0.5, 2.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, r, f1 := Words(tt.truth, tt.pred)
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"precision", p, tt.p}, {"recall", r, tt.r}, {"f1", f1, tt.f1}} {
				if math.Abs(c.got-c.want) > 1e-9 {
					t.Errorf("%s = %.4f, want %.4f", c.name, c.got, c.want)
				}
			}
		})
	}
}

func TestSplitBySite(t *testing.T) {
	tests := []struct{ a, b string }{
		{"https://www.bbc.co.uk/news/1", "https://news.bbc.co.uk/x"},
		{"http://example.com/a", "https://EXAMPLE.com:8080/b?q=1"},
	}
	for _, tt := range tests {
		if Site(tt.a) != Site(tt.b) {
			t.Errorf("Site(%q)=%q, Site(%q)=%q: want one site", tt.a, Site(tt.a), tt.b, Site(tt.b))
		}
		if Half(tt.a) != Half(tt.b) {
			t.Errorf("%q and %q are one site but fall in different halves", tt.a, tt.b)
		}
	}
	// Both halves are used: over many sites each gets a fair share.
	n := map[string]int{}
	for i := 0; i < 1000; i++ {
		n[Half("https://site"+string(rune('a'+i%26))+string(rune('a'+i/26%26))+".org/")]++
	}
	if n[Tuning] < 400 || n[Validation] < 400 {
		t.Errorf("split of 676 sites is lopsided: %v", n)
	}
}
