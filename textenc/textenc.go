// Package textenc converts feed and page bytes of any common charset to UTF-8.
//
// The order of trust is: a byte-order mark, then valid UTF-8 (which wins
// over a wrong declaration), then the declared charset (HTTP header, XML
// prolog or HTML meta tag), then sniffing of the bytes themselves.
package textenc

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"
)

// Result tells how the bytes were decoded.
type Result struct {
	Text    []byte // UTF-8
	Charset string // the charset used, lower case
	Source  string // "bom", "utf8", "header", "declaration", "sniffed"
}

var (
	xmlDecl  = regexp.MustCompile(`(?i)^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
	metaDecl = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)
	ctParam  = regexp.MustCompile(`(?i)charset\s*=\s*["']?([A-Za-z0-9._:-]+)`)
)

// Decode returns b as UTF-8. contentType is the HTTP Content-Type header,
// or "" when unknown.
func Decode(b []byte, contentType string) Result {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return Result{Text: b[3:], Charset: "utf-8", Source: "bom"}
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(b)
		if err == nil {
			return Result{Text: out, Charset: "utf-16", Source: "bom"}
		}
	}
	if utf8.Valid(b) {
		return Result{Text: b, Charset: "utf-8", Source: "utf8"}
	}
	if name := declared(b, contentType); name != "" {
		if enc, canon := charset.Lookup(name); enc != nil && canon != "utf-8" {
			if out, err := enc.NewDecoder().Bytes(b); err == nil {
				src := "declaration"
				if ctCharset(contentType) != "" {
					src = "header"
				}
				return Result{Text: out, Charset: canon, Source: src}
			}
		}
	}
	enc, name := Sniff(b)
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		// windows-1252 decodes every byte, so this cannot fail in practice;
		// keep the bytes rather than lose the document.
		return Result{Text: bytes.ToValidUTF8(b, []byte("\uFFFD")), Charset: "utf-8", Source: "sniffed"}
	}
	return Result{Text: out, Charset: name, Source: "sniffed"}
}

// declared returns the charset named by the header, the XML prolog or an
// HTML meta tag, in that order.
func declared(b []byte, contentType string) string {
	if c := ctCharset(contentType); c != "" {
		return c
	}
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	if m := xmlDecl.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	if m := metaDecl.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

func ctCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	m := ctParam.FindStringSubmatch(contentType)
	if m == nil {
		return ""
	}
	return m[1]
}

// Sniff guesses the legacy encoding of bytes that are not valid UTF-8 and
// carry no usable declaration: Cyrillic (windows-1251 or KOI8-R), Korean
// (EUC-KR) or Western European (windows-1252, a superset of Latin-1).
func Sniff(b []byte) (encoding.Encoding, string) {
	var high, letters, cpLower, koiLower int
	for _, c := range b {
		switch {
		case c >= 0x80:
			high++
			if c >= 0xE0 {
				cpLower++ // windows-1251 lower case а..я
			} else if c >= 0xC0 {
				koiLower++ // KOI8-R lower case а..я
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letters++
		}
	}
	if high == 0 {
		return charmap.Windows1252, "windows-1252"
	}
	if looksEUCKR(b) {
		return korean.EUCKR, "euc-kr"
	}
	// In Cyrillic text nearly every letter is a high byte; in Latin-1 text
	// high bytes are the odd accented letter among ASCII ones.
	if float64(high) > 0.3*float64(letters+high) {
		if koiLower > cpLower {
			return charmap.KOI8R, "koi8-r"
		}
		return charmap.Windows1251, "windows-1251"
	}
	return charmap.Windows1252, "windows-1252"
}

// looksEUCKR reports whether the high bytes of b pair up as EUC-KR
// Hangul syllables (lead 0xB0–0xC8, trail 0xA1–0xFE).
func looksEUCKR(b []byte) bool {
	pairs, bad := 0, 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < 0x80 {
			continue
		}
		if c >= 0xA1 && c <= 0xFE && i+1 < len(b) && b[i+1] >= 0xA1 && b[i+1] <= 0xFE {
			if c >= 0xB0 && c <= 0xC8 {
				pairs++
			}
			i++
			continue
		}
		bad++
	}
	return pairs >= 2 && bad*10 < pairs
}
