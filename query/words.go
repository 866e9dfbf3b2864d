package query

import (
	"unicode"
	"unicode/utf8"
)

// EachWord calls fn with each word of s, lower-cased, in a buffer that
// is reused (copy it to keep it). buf, if not nil, is used as scratch.
// It allocates nothing itself: the indexer calls it for every article.
func EachWord(s string, buf []byte, fn func(w []byte)) []byte {
	w := buf[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII: no decoding
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				w = append(w, c)
				continue
			case 'A' <= c && c <= 'Z':
				w = append(w, c+'a'-'A')
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
					w = append(w, byte(0xc0|r>>6), byte(0x80|r&0x3f))
					continue
				}
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if IsWordRune(r) {
				w = utf8.AppendRune(w, unicode.ToLower(r))
				continue
			}
		}
		if len(w) > 0 {
			fn(w)
			w = w[:0]
		}
	}
	if len(w) > 0 {
		fn(w)
	}
	return w
}

// IsWordRune reports whether r belongs to a word.
func IsWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}
