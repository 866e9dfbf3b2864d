package store

import (
	"strings"
	"testing"

	"github.com/feedvault/feedvault/query"
)

// FuzzSimplePhraseAsWordByWord compares the byte search of a simple
// phrase (hasSimplePhrase, with its fallback) with the word-by-word one
// on arbitrary bytes: invalid UTF-8, lone 0xd0/0xd1 bytes, text cut in a
// rune, words about MaxWordBytes long. The phrase is either the words of
// phrase, or a run of the text's own words (from, n), so that matches
// are common.
func FuzzSimplePhraseAsWordByWord(f *testing.F) {
	long := strings.Repeat("a", query.MaxWordBytes-5)
	longCyr := strings.Repeat("я", (query.MaxWordBytes-6)/2)
	for _, c := range []struct {
		text, phrase string
		from, n      uint8
	}{
		{"North Korean troops", "north korean", 0, 0},
		{"Москва\xd0 войска", "москва войска", 0, 0},
		{"Москва\xd1", "москва", 0, 0},
		{"\xd0\xd0\x90 и", "а и", 0, 0},
		{"Ѐ Џ ЀЏ", "ѐ џ", 0, 0},
		{"ТЕКСТ\xd0", "", 0, 1},
		{long + "b " + long, "", 0, 2},
		{long + "ÄÄ x", "", 0, 1},
		{longCyr + "Я x", "", 0, 2},
		{strings.Repeat("Я", 600) + " x", "", 0, 1},
		{"a\u00adb c", "ab c", 0, 0},
		{"İstanbul \u212aorea", "istanbul korea", 0, 0},
		{"\xff\xfeabc\xe2\x80 def", "", 0, 2},
		{"е\u0308ж", "ёж", 0, 0},
	} {
		f.Add(c.text, c.phrase, c.from, c.n)
	}
	f.Fuzz(func(t *testing.T, text, phrase string, from, n uint8) {
		var words []string
		if n == 0 {
			words = query.Words(phrase)
		} else if tw := query.Words(text); len(tw) > 0 {
			i := int(from) % len(tw)
			words = tw[i:min(len(tw), i+int(n)%4+1)]
		}
		if !simpleWords(words) {
			return
		}
		want := slowHasPhrase([]string{text}, words, nil)
		s := []byte(text)
		got, ok := hasSimplePhrase(s, words)
		if !ok {
			got = slowHasPhrase([]string{string(s)}, words, nil)
		}
		if got != want {
			t.Fatalf("%q in %q: byte search %v (ok %v), word by word %v", words, text, got, ok, want)
		}
		at := articleText{Text: text}
		if got := at.hasPhrase(query.FieldAny, words, nil); got != want {
			t.Fatalf("%q in %q: hasPhrase %v, word by word %v", words, text, got, want)
		}
	})
}
