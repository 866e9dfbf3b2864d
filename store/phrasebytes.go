package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/feedvault/feedvault/query"
)

// The byte search of a phrase of simple words: lowered in place and
// searched with word edges checked, not split into words.

// simpleWords reports whether every word of a phrase is made of the
// runes the byte search lowers itself (hasSimplePhrase): ASCII
// lower-case letters and digits, and basic Cyrillic lower-case letters
// (U+0430–U+045F). Each word is also well short of query.MaxWordBytes: a
// word near that long may be the cut of a longer run, which the byte
// search would not take for a word.
func simpleWords(words []string) bool {
	for _, w := range words {
		if w == "" || len(w) > query.MaxWordBytes-utf8.UTFMax {
			return false
		}
		for _, r := range w {
			if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || 0x430 <= r && r <= 0x45f) {
				return false
			}
		}
	}
	return len(words) > 0
}

// asciiOnly reports whether every word is ASCII.
func asciiOnly(words []string) bool {
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			if w[i] >= utf8.RuneSelf {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// Runes outside ASCII whose lower case is ASCII: a word holding one
// can equal an ASCII word. hasSimplePhrase leaves a text holding one to
// the word-by-word search.
const (
	dottedCapitalI = "\u0130" // İ → i
	kelvinSign     = "\u212a" // K → k
)

// lowerSimple lowers s's ASCII capitals and basic Cyrillic capitals
// (U+0400–U+042F, two bytes each, as their lower case) in place, so
// that the words of s stay where they are. ok is false when the byte
// search cannot stand for the word-by-word one: s holds a joiner, or a
// rune that lower-cases into ASCII; and, for a phrase with words outside
// ASCII (cyrillic), any other word rune outside ASCII and basic
// Cyrillic (a combining mark that NFC would compose into a Cyrillic
// letter, say).
func lowerSimple(s []byte, cyrillic bool) (ok bool) {
	other := false // a byte outside ASCII that is not basic Cyrillic
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			// Eight ASCII bytes at a time: a byte's high bit is set in
			// x+0x3f when it is 'A' or above, in x+0x25 when above 'Z'
			// (no carry between bytes below 0x80); 0x20 lowers a capital.
			for i+8 <= len(s) {
				x := binary.LittleEndian.Uint64(s[i:])
				if x&0x8080808080808080 != 0 {
					break
				}
				if upper := (x + 0x3f3f3f3f3f3f3f3f) &^ (x + 0x2525252525252525) & 0x8080808080808080; upper != 0 {
					binary.LittleEndian.PutUint64(s[i:], x|upper>>2)
				}
				i += 8
			}
			if i >= len(s) {
				break
			}
			if c = s[i]; c < utf8.RuneSelf {
				if 'A' <= c && c <= 'Z' {
					s[i] = c + 'a' - 'A'
				}
				continue
			}
		}
		if i+1 < len(s) {
			// Basic Cyrillic, two bytes: lower case already (the most
			// common: а–п, then р–я and ѐ–џ), or a capital to lower.
			switch c2 := s[i+1]; {
			case c == 0xd0 && 0xb0 <= c2 && c2 <= 0xbf, c == 0xd1 && 0x80 <= c2 && c2 <= 0x9f:
				i++
				continue
			case c == 0xd0 && 0x80 <= c2 && c2 <= 0xaf:
				r := 0x400 + rune(c2-0x80)
				if r < 0x410 { // Ѐ–Џ
					r += 0x50
				} else { // А–Я
					r += 0x20
				}
				s[i], s[i+1] = byte(0xc0|r>>6), byte(0x80|r&0x3f)
				i++
				continue
			}
		}
		other = true
		if cyrillic {
			r, n := utf8.DecodeRune(s[i:])
			if query.IsWordRune(r) {
				return false
			}
			i += n - 1
		}
	}
	return !other || !bytes.Contains(s, []byte(dottedCapitalI)) && !bytes.Contains(s, []byte(kelvinSign)) && !query.HasJoiner(s)
}

// hasSimplePhrase searches s for phrase (simpleWords) without splitting
// all of s into words. The words as they stand in s, lower case, are a
// match already when s holds no joiner (a joiner inside a word would
// join the two halves); that spares most matches the lowering. Else it
// lowers s in place (lowerSimple) and searches again. ok is false when
// lowerSimple says the byte search cannot answer: the caller then splits
// s into words.
func hasSimplePhrase(s []byte, phrase []string) (found, ok bool) {
	if findWords(s, phrase) && !query.HasJoiner(s) {
		return true, true
	}
	if !lowerSimple(s, !asciiOnly(phrase)) {
		return false, false
	}
	return findWords(s, phrase), true
}

// findWords reports whether phrase stands in s byte for byte, word
// after word: it finds the first word, and checks the word edges and
// the words after it where it stands, with only non-word runes between.
func findWords(s []byte, phrase []string) bool {
	first := phrase[0]
	k := rarest([]byte(first))
	for off := 0; off < len(s); {
		j := indexRare(s[off:], []byte(first), k)
		if j < 0 {
			return false
		}
		p := off + j
		off = p + 1
		if !wordEdgeBefore(s, p) || !wordEdgeAfter(s, p+len(first)) {
			continue
		}
		pos, all := p+len(first), true
		for _, w := range phrase[1:] {
			pos = skipNonWord(s, pos)
			if !bytes.HasPrefix(s[pos:], []byte(w)) || !wordEdgeAfter(s, pos+len(w)) {
				all = false
				break
			}
			pos += len(w)
		}
		if all {
			return true
		}
	}
	return false
}

// hasPhraseIn reports whether the article value v holds phrase in
// field, as decodeText and hasPhrase do. For a phrase of simple words
// (simpleWords) in a two-frame value, it decompresses the text into buf
// (returned, to be used again) and searches it there, copying nothing.
func (z *codec) hasPhraseIn(v []byte, field string, phrase []string, buf []byte) (bool, []byte, error) {
	_, body, kind, err := articleParts(v)
	if err != nil || body == nil || field == query.FieldAuthor || !simpleWords(phrase) {
		t, err := z.decodeText(v, field)
		if err != nil {
			return false, buf, err
		}
		return t.hasPhrase(field, phrase, nil), buf, nil
	}
	raw, err := z.decodeTextFrame(body, kind, buf[:0])
	if err != nil {
		return false, buf, fmt.Errorf("store: decode article text: %w", err)
	}
	n, w := binary.Uvarint(raw)
	if w <= 0 || n > uint64(len(raw)-w) {
		return false, raw, fmt.Errorf("store: decode article text: bad title length")
	}
	seqs := [][]byte{raw[w : w+int(n)], raw[w+int(n):]} // title, text
	if field == query.FieldTitle {
		seqs = seqs[:1]
	}
	for _, s := range seqs {
		found, ok := hasSimplePhrase(s, phrase)
		if found || !ok && slowHasPhrase([]string{string(s)}, phrase, nil) {
			return true, raw, nil
		}
	}
	return false, raw, nil
}

// wordEdgeBefore reports whether no word rune ends at s[:p].
func wordEdgeBefore(s []byte, p int) bool {
	if p == 0 {
		return true
	}
	if c := s[p-1]; c < utf8.RuneSelf {
		return !isAlnum(c)
	}
	r, _ := utf8.DecodeLastRune(s[:p])
	return !query.IsWordRune(r)
}

// wordEdgeAfter reports whether no word rune starts at s[p:].
func wordEdgeAfter(s []byte, p int) bool {
	if p >= len(s) {
		return true
	}
	if c := s[p]; c < utf8.RuneSelf {
		return !isAlnum(c)
	}
	r, _ := utf8.DecodeRune(s[p:])
	return !query.IsWordRune(r)
}

// skipNonWord returns where the next word of s starts, from p.
func skipNonWord(s []byte, p int) int {
	for p < len(s) {
		if c := s[p]; c < utf8.RuneSelf {
			if isAlnum(c) {
				return p
			}
			p++
			continue
		}
		r, n := utf8.DecodeRune(s[p:])
		if query.IsWordRune(r) {
			return p
		}
		p += n
	}
	return p
}
