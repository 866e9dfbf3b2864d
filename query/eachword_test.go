package query

import (
	"golang.org/x/text/unicode/norm"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// wordsByTables splits s as EachWord does, rune by rune through the
// Unicode tables alone (no fast paths): word runes kept, joiners
// skipped, each rune folded, each word cut to MaxWordBytes and put in NFC.
func wordsByTables(s string) []string {
	var out []string
	var w []rune
	flush := func() {
		if len(w) > 0 {
			for len(string(w)) > MaxWordBytes {
				w = w[:len(w)-1]
			}
			out = append(out, norm.NFC.String(string(w)))
			w = w[:0]
		}
	}
	for _, r := range s {
		switch {
		case IsWordRune(r):
			w = append(w, Fold(r))
		case isJoiner(r):
		default:
			flush()
		}
	}
	flush()
	return out
}

func eachWords(s string) []string {
	var out []string
	EachWord(s, nil, func(w []byte) { out = append(out, string(w)) })
	return out
}

// EachWord's fast paths (ASCII, Cyrillic U+0400–U+045F) split and
// lower-case as the Unicode tables do: every rune of the Cyrillic block
// and around it alone and inside words, and random mixed text.
func TestEachWordAsTheTables(t *testing.T) {
	t.Run("each rune U+0300-U+05FF", func(t *testing.T) {
		for r := rune(0x300); r < 0x600; r++ {
			for _, s := range []string{string(r), "a" + string(r) + "b", "Я" + string(r) + "ё", string(r) + " " + string(r)} {
				if got, want := eachWords(s), wordsByTables(s); !slices.Equal(got, want) {
					t.Fatalf("%U in %q: %q, want %q", r, s, got, want)
				}
			}
		}
	})
	t.Run("random text", func(t *testing.T) {
		pieces := []string{"Пхеньян", "МОСКВА", "Ёлка", "ЎЄЇ", "Ѐѝ", "ѠѡѢ", "Қазақ", "Korea", "K", "İ", " ", ", ", "\n", "-", "\xd0", "\xd1\x41", "\xd0\xc0", "é", "日本", "x2",
			"\u00ad", "\u2060", "\ufeff", "e\u0301", "\u0301", "ς", "Σ", "и\u0306", "\u1100\u1161", "\u11a8", "\u212b",
			strings.Repeat("Ab", 300), strings.Repeat("ё", 300), strings.Repeat("ç", 200)}
		r := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 20000; i++ {
			var b strings.Builder
			for j := 0; j < 1+r.IntN(8); j++ {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
			s := b.String()
			want := wordsByTables(s)
			if !utf8.ValidString(s) {
				want = wordsByTables(strings.ToValidUTF8(s, "\uFFFD"))
			}
			if got := eachWords(s); !slices.Equal(got, want) {
				t.Fatalf("%q: %q, want %q", s, got, want)
			}
		}
	})
}

// What a word is, case by case: the ones a reader would type differently
// from how a page stores them.
func TestEachWordFolds(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"soft hyphen inside a word", "Klima\u00adwandel", []string{"klimawandel"}},
		{"soft hyphens and a joiner", "Bundes\u00adver\u00adfassungs\u2060gericht", []string{"bundesverfassungsgericht"}},
		{"a soft hyphen between words", "ein \u00ad Wort", []string{"ein", "wort"}},
		{"a byte order mark first", "\ufeffNews", []string{"news"}},
		{"a hyphen still splits", "north-korean", []string{"north", "korean"}},
		{"final sigma", "πόλεμος ΠΌΛΕΜΟΣ Πόλεμοσ", []string{"πόλεμοσ", "πόλεμοσ", "πόλεμοσ"}},
		{"decomposed accent", "cafe\u0301 café", []string{"café", "café"}},
		{"decomposed Cyrillic short i", "и\u0306од йод", []string{"йод", "йод"}},
		{"conjoining jamo", "\u1112\u1161\u11ab\u1100\u1173\u11af 한글", []string{"한글", "한글"}},
		{"a mark alone is a word", "\u0301", []string{"\u0301"}},
		{"Cyrillic and ASCII", "Пхеньян KOREA", []string{"пхеньян", "korea"}},
		{"a run of letters past the bound", strings.Repeat("A", 40000) + " end", []string{strings.Repeat("a", MaxWordBytes), "end"}},
		{"cut at a whole rune", "x" + strings.Repeat("Я", 600), []string{"x" + strings.Repeat("я", (MaxWordBytes-1)/2)}},
		{"cut at a whole rune outside the fast paths", strings.Repeat("한", 400), []string{strings.Repeat("한", MaxWordBytes/3)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := eachWords(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("EachWord(%q) = %q, want %q", tc.text, got, tc.want)
			}
			if got := wordsAt(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("EachWordAt(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func wordsAt(s string) []string {
	var out []string
	EachWordAt(s, func(_, _ int, w []byte) { out = append(out, string(w)) })
	return out
}

// EachWordAt gives EachWord's words, and each span holds its word: the
// span's own words are that one word, and nothing but joiners and
// non-word runes lies between the spans.
func FuzzEachWordAt(f *testing.F) {
	for _, s := range []string{"Klima\u00adwandel", "πόλεμος", "cafe\u0301!", "\u00ad\u00ad", "Пхеньян, KOREA", "\xd0x\u00ad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := eachWords(s)
		var got []string
		last := 0
		EachWordAt(s, func(start, end int, w []byte) {
			got = append(got, string(w))
			if start < last || end <= start || end > len(s) {
				t.Fatalf("%q: span [%d,%d) after %d", s, start, end, last)
			}
			if in := eachWords(s[start:end]); !slices.Equal(in, []string{string(w)}) {
				t.Fatalf("%q: span %q holds %q, want %q", s, s[start:end], in, w)
			}
			if between := eachWords(s[last:start]); len(between) > 0 {
				t.Fatalf("%q: words %q between spans", s, between)
			}
			last = end
		})
		if !slices.Equal(got, want) {
			t.Fatalf("%q: EachWordAt %q, EachWord %q", s, got, want)
		}
	})
}
