package query

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// wordsByTables splits s as EachWord does, rune by rune through the
// Unicode tables alone (no fast paths).
func wordsByTables(s string) []string {
	var out []string
	var w []rune
	for _, r := range s {
		if IsWordRune(r) {
			w = append(w, unicode.ToLower(r))
			continue
		}
		if len(w) > 0 {
			out = append(out, string(w))
			w = w[:0]
		}
	}
	if len(w) > 0 {
		out = append(out, string(w))
	}
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
		pieces := []string{"Пхеньян", "МОСКВА", "Ёлка", "ЎЄЇ", "Ѐѝ", "ѠѡѢ", "Қазақ", "Korea", "K", "İ", " ", ", ", "\n", "-", "\xd0", "\xd1\x41", "\xd0\xc0", "é", "日本", "x2"}
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
