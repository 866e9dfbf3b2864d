package query

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A word is a run of letters, digits and marks, as a reader sees it:
//
//   - a soft hyphen (U+00AD), word joiner (U+2060) or zero-width no-break
//     space (U+FEFF) inside it is skipped: they are invisible hints, and
//     "Klima\u00ADwandel" is the word a reader types, "klimawandel";
//   - it is lower-cased, with Greek final sigma folded to sigma, as
//     Unicode case folding does ("ΠΌΛΕΜΟΣ" and "πόλεμος" are one word);
//   - it is in NFC, so a decomposed "e\u0301" is the "é" a query types;
//   - it keeps its first MaxWordBytes bytes, folded, before NFC: a run of
//     letters that long is no word anyone searches for, and an index key
//     has a bound (bbolt's is 32 KB) that one hostile page must not reach.
//
// The index, the queries and the phrase check all split text here, so a
// change to what a word is changes the archive's schema (store.go).

// MaxWordBytes is the longest word kept, in bytes before NFC.
const MaxWordBytes = 1024

// IsWordRune reports whether r belongs to a word.
func IsWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isJoiner reports whether r is skipped inside a word.
func isJoiner(r rune) bool { return r == 0xad || r == 0x2060 || r == 0xfeff }

// HasJoiner reports whether s holds a rune that a word skips (isJoiner).
func HasJoiner(s []byte) bool {
	return bytes.Contains(s, []byte("\u00ad")) || bytes.Contains(s, []byte("\u2060")) || bytes.Contains(s, []byte("\ufeff"))
}

// Fold is r as a word holds it: lower case, final sigma as sigma.
func Fold(r rune) rune {
	if r == 'ς' {
		return 'σ'
	}
	return unicode.ToLower(r)
}

// EachWord calls fn with each word of s, folded, in a buffer that is
// reused (copy it to keep it). buf, if not nil, is used as scratch.
// It allocates nothing itself for ASCII and Cyrillic text: the indexer
// calls it for every article. EachWordAt gives the same words with
// where they are.
func EachWord(s string, buf []byte, fn func(w []byte)) []byte {
	w := buf[:0]
	slow := false       // the word holds a rune outside the fast paths: NFC may change it
	lim := MaxWordBytes // the word's bytes kept: less once it is cut
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII: no decoding
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if len(w) < lim {
					w = append(w, c)
				}
				continue
			case 'A' <= c && c <= 'Z':
				if len(w) < lim {
					w = append(w, c+'a'-'A')
				}
				continue
			}
		} else {
			// Cyrillic U+0400–U+045F (lead byte 0xd0 or 0xd1): letters
			// all, their lower case found without the Unicode tables.
			if (c == 0xd0 || c == 0xd1) && i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
				if r := rune(c&0x1f)<<6 | rune(s[i+1]&0x3f); r <= 0x45f {
					i += 2
					switch {
					case r < 0x410: // Ѐ–Џ
						r += 0x50
					case r < 0x430: // А–Я
						r += 0x20
					}
					if len(w)+2 <= lim {
						w = append(w, byte(0xc0|r>>6), byte(0x80|r&0x3f))
					} else {
						lim = len(w) // cut: nothing more of this word
					}
					continue
				}
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if IsWordRune(r) {
				w, lim = appendFolded(w, r, lim)
				slow = true
				continue
			}
			if isJoiner(r) {
				continue
			}
		}
		if len(w) > 0 {
			fn(nfc(w, slow))
			w, slow = w[:0], false
		}
		lim = MaxWordBytes
	}
	if len(w) > 0 {
		fn(nfc(w, slow))
	}
	return w
}

// appendFolded appends r folded to w if the word stays within lim
// bytes; if not, the word is cut there, and lim becomes len(w) so that
// nothing more of it is kept.
func appendFolded(w []byte, r rune, lim int) ([]byte, int) {
	f := Fold(r)
	if len(w)+utf8.RuneLen(f) > lim {
		return w, len(w)
	}
	return utf8.AppendRune(w, f), lim
}

// nfc returns w in NFC: w itself when it is already, or when it holds
// only runes of the fast paths (ASCII, basic Cyrillic), which are.
func nfc(w []byte, slow bool) []byte {
	if !slow || norm.NFC.IsNormal(w) {
		return w
	}
	return norm.NFC.Append(nil, w...)
}

// EachWordAt calls fn with each word of s as EachWord does, with the
// byte offsets of its first rune and after its last one in s (a word's
// joiners are inside, any around it outside).
func EachWordAt(s string, fn func(start, end int, w []byte)) {
	var w []byte
	start, end, slow, lim := -1, 0, false, MaxWordBytes
	for i, r := range s {
		switch {
		case IsWordRune(r):
			if start < 0 {
				start = i
			}
			end = i + utf8.RuneLen(r)
			w, lim = appendFolded(w, r, lim)
			slow = slow || r >= 0x80
			continue
		case isJoiner(r):
			continue
		}
		if start >= 0 {
			fn(start, end, nfc(w, slow))
			w, start, slow, lim = w[:0], -1, false, MaxWordBytes
		}
	}
	if start >= 0 {
		fn(start, end, nfc(w, slow))
	}
}
