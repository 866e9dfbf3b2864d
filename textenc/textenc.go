// Package textenc converts feed and page bytes of any common charset to UTF-8.
//
// The order of trust is: a byte-order mark, then valid UTF-8 (which wins
// over a wrong declaration), then the declared charset (HTTP header, XML
// prolog or HTML meta tag), then sniffing of the bytes themselves.
package textenc

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
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
// or "" when unknown. It never fails: bytes that do not decode become
// U+FFFD, so one bad byte never loses a document.
func Decode(b []byte, contentType string) Result {
	if r, ok := unicodeForm(b); ok {
		return r
	}
	if enc, name, ok := ebcdic(b); ok {
		return decodeWith(b, enc, name, "declaration")
	}
	if utf8.Valid(b) {
		if isASCII(b) {
			// Pure ASCII reads the same in any ASCII-compatible charset:
			// report the one the document was sent or declared in.
			if name, src := asciiLabel(b, contentType); name != "" {
				return Result{Text: b, Charset: name, Source: src}
			}
		}
		return Result{Text: b, Charset: "utf-8", Source: "utf8"}
	}
	if name := declared(b, contentType); name != "" {
		src := "declaration"
		if ctCharset(contentType) != "" {
			src = "header"
		}
		if enc, canon := Lookup(name); enc != nil {
			if canon != "utf-8" {
				return decodeWith(b, enc, canon, src)
			}
			// Declared UTF-8 with a few bad bytes: keep it UTF-8.
			if mostlyUTF8(b) {
				return Result{Text: bytes.ToValidUTF8(b, []byte("\uFFFD")), Charset: "utf-8", Source: src}
			}
		}
	}
	enc, name := Sniff(b)
	return decodeWith(b, enc, name, "sniffed")
}

func decodeWith(b []byte, enc encoding.Encoding, name, src string) Result {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		// Keep the bytes rather than lose the document.
		return Result{Text: bytes.ToValidUTF8(b, []byte("\uFFFD")), Charset: "utf-8", Source: src}
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return Result{Text: out, Charset: name, Source: src}
}

// unicodeForm recognises UTF-8, UTF-16 and UTF-32 by their byte-order
// mark, and UTF-16 and UTF-32 without one by the zero bytes around the
// first ASCII characters (XML 1.0 appendix F), so that a document that
// declares UTF-16 only in its XML declaration is read.
func unicodeForm(b []byte) (Result, bool) {
	type form struct {
		prefix []byte
		enc    encoding.Encoding
		name   string
		src    string
	}
	u32be := utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
	u32le := utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	u16be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	u16le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	for _, f := range []form{
		{[]byte{0x00, 0x00, 0xFE, 0xFF}, u32be, "utf-32be", "bom"},
		{[]byte{0xFF, 0xFE, 0x00, 0x00}, u32le, "utf-32le", "bom"},
		{[]byte{0xFE, 0xFF}, u16be, "utf-16be", "bom"},
		{[]byte{0xFF, 0xFE}, u16le, "utf-16le", "bom"},
		{[]byte{0x00, 0x00, 0x00, '<'}, u32be, "utf-32be", "declaration"},
		{[]byte{'<', 0x00, 0x00, 0x00}, u32le, "utf-32le", "declaration"},
		{[]byte{0x00, '<', 0x00, '?'}, u16be, "utf-16be", "declaration"},
		{[]byte{'<', 0x00, '?', 0x00}, u16le, "utf-16le", "declaration"},
	} {
		if bytes.HasPrefix(b, f.prefix) {
			body := b
			if f.src == "bom" {
				body = b[len(f.prefix):]
			}
			out, err := f.enc.NewDecoder().Bytes(body)
			if err != nil {
				continue
			}
			return Result{Text: bytes.ToValidUTF8(out, []byte("\uFFFD")), Charset: f.name, Source: f.src}, true
		}
	}
	if bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		return Result{Text: bytes.ToValidUTF8(b[3:], []byte("\uFFFD")), Charset: "utf-8", Source: "bom"}, true
	}
	return Result{}, false
}

// ebcdic recognises an XML document in EBCDIC ("<?xm" in code page 037)
// and reads the code page its declaration names, when it is one we have.
func ebcdic(b []byte) (encoding.Encoding, string, bool) {
	if !bytes.HasPrefix(b, []byte{0x4C, 0x6F, 0xA7, 0x94}) {
		return nil, "", false
	}
	head, _ := charmap.CodePage037.NewDecoder().Bytes(b[:min(len(b), 256)])
	if m := xmlDecl.FindSubmatch(head); m != nil {
		if enc, name := Lookup(string(m[1])); enc != nil {
			return enc, name, true
		}
	}
	return charmap.CodePage037, "cp037", true
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

var textXML = regexp.MustCompile(`(?i)^\s*text/(?:[a-z0-9.+-]+\+)?xml\s*(?:;|$)`)

// asciiLabel is the charset an ASCII document is labelled with, as
// feedparser reads XML media types (RFC 3023): the HTTP charset; for
// text/xml without one, us-ascii; else the XML declaration. It is ""
// when there is no label, or the label is not an ASCII-compatible
// charset we know.
func asciiLabel(b []byte, contentType string) (string, string) {
	name, src := ctCharset(contentType), "header"
	if name == "" && textXML.MatchString(contentType) {
		return "us-ascii", "header"
	}
	if name == "" {
		if m := xmlDecl.FindSubmatch(b[:min(len(b), 4096)]); m != nil {
			name, src = string(m[1]), "declaration"
		}
	}
	if name == "" {
		return "", ""
	}
	enc, canon := Lookup(name)
	if enc == nil || strings.HasPrefix(canon, "utf-16") || strings.HasPrefix(canon, "utf-32") || canon == "cp037" || canon == "cp1047" || canon == "cp1140" {
		return "", ""
	}
	return strings.ToLower(strings.TrimSpace(name)), src
}

// mostlyUTF8 reports whether b is UTF-8 but for a few stray bytes (at
// least five good non-ASCII sequences for each bad one).
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			good++
		}
		i += n
	}
	return good > 0 && bad*5 <= good
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
// carry no usable declaration. Multi-byte East Asian encodings (GB2312,
// Big5, EUC-JP, Shift_JIS, EUC-KR) are told apart by ICU's detector
// (github.com/saintfish/chardet); single-byte scripts by the byte ranges
// their letters use: Thai (TIS-620), Hebrew (windows-1255), Cyrillic
// (windows-1251 or KOI8-R), else Western European (windows-1252, a
// superset of Latin-1, as WHATWG reads Latin-1).
func Sniff(b []byte) (encoding.Encoding, string) {
	var high, letters, cpLower, koiLower, thai, hebrew, cyrTail int
	for _, c := range b {
		switch {
		case c >= 0x80:
			high++
			if c >= 0xE0 {
				cpLower++ // windows-1251 lower case а..я
			} else if c >= 0xC0 {
				koiLower++ // KOI8-R lower case а..я
			}
			if c >= 0xA1 && c <= 0xBF {
				thai++ // TIS-620 consonants ก..ฟ; rare in Cyrillic code pages
			}
			if c >= 0xE0 && c <= 0xFA {
				hebrew++ // windows-1255 letters א..ת
			}
			if c >= 0xFB {
				cyrTail++ // ы ь э ю я in windows-1251; unassigned in Hebrew and Thai
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letters++
		}
	}
	if high == 0 {
		return charmap.Windows1252, "windows-1252"
	}
	if enc, name, ok := sniffCJK(b); ok {
		return enc, name
	}
	if looksEUCKR(b) {
		return korean.EUCKR, "euc-kr"
	}
	// In Cyrillic, Thai or Hebrew text nearly every letter is a high
	// byte; in Latin-1 text high bytes are the odd accented letter among
	// ASCII ones.
	if float64(high) > 0.3*float64(letters+high) {
		switch {
		case cyrTail == 0 && thai*100 >= high*15:
			return charmap.Windows874, "tis-620"
		case cyrTail == 0 && hebrew*10 >= high*7 && koiLower*10 < high:
			return charmap.Windows1255, "windows-1255"
		case koiLower > cpLower:
			return charmap.KOI8R, "koi8-r"
		}
		return charmap.Windows1251, "windows-1251"
	}
	return charmap.Windows1252, "windows-1252"
}

// sniffCJK asks ICU's detector for a multi-byte East Asian encoding and
// accepts its answer when it is confident and the bytes decode cleanly.
func sniffCJK(b []byte) (encoding.Encoding, string, bool) {
	r, err := chardet.NewTextDetector().DetectBest(b[:min(len(b), 64<<10)])
	if err != nil || r.Confidence < 50 {
		return nil, "", false
	}
	var enc encoding.Encoding
	var name string
	switch r.Charset {
	case "GB-18030":
		enc, name = simplifiedchinese.GB18030, "gb2312"
	case "Big5":
		enc, name = traditionalchinese.Big5, "big5"
	case "EUC-JP":
		enc, name = japanese.EUCJP, "euc-jp"
	case "Shift_JIS":
		enc, name = japanese.ShiftJIS, "shift_jis"
	case "EUC-KR":
		enc, name = korean.EUCKR, "euc-kr"
	default:
		return nil, "", false
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil || bytes.Contains(out, []byte("\uFFFD")) {
		return nil, "", false
	}
	return enc, name, true
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
