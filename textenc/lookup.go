package textenc

import (
	"strings"
	"sync"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/ianaindex"
)

// codePages are DOS, Mac and EBCDIC code pages by the names Python (and
// so feedparser) accepts that the WHATWG list lacks. Built on first use.
var codePages = sync.OnceValue(func() map[string]codePage {
	return map[string]codePage{
		"437": {charmap.CodePage437, "cp437"}, "850": {charmap.CodePage850, "cp850"},
		"852": {charmap.CodePage852, "cp852"}, "855": {charmap.CodePage855, "cp855"},
		"858": {charmap.CodePage858, "cp858"}, "860": {charmap.CodePage860, "cp860"},
		"862": {charmap.CodePage862, "cp862"}, "863": {charmap.CodePage863, "cp863"},
		"865": {charmap.CodePage865, "cp865"}, "866": {charmap.CodePage866, "cp866"},
		"037": {charmap.CodePage037, "cp037"}, "1047": {charmap.CodePage1047, "cp1047"},
		"1140":     {charmap.CodePage1140, "cp1140"},
		"macroman": {charmap.Macintosh, "mac-roman"}, "macintosh": {charmap.Macintosh, "mac-roman"},
		"maccyrillic": {charmap.MacintoshCyrillic, "mac-cyrillic"},
		"tis620":      {charmap.Windows874, "tis-620"}, "874": {charmap.Windows874, "cp874"},
	}
})

type codePage struct {
	enc  encoding.Encoding
	name string
}

// Lookup finds the encoding a declaration names: first by the WHATWG
// labels browsers use (so Latin-1 is read as windows-1252, as HTML
// does), then by Python's names for DOS, Mac and EBCDIC code pages
// (cp437, ibm850, mac-roman…), then in the IANA registry. It returns nil
// when the name is unknown.
func Lookup(name string) (encoding.Encoding, string) {
	name = strings.ToLower(strings.TrimSpace(name))
	key := strings.NewReplacer("-", "", "_", "", " ", "", ".", "").Replace(name)
	if cp, ok := codePages()[key]; ok && !isDigits(key) {
		return cp.enc, cp.name
	}
	for _, p := range []string{"cp", "ibm", "csibm", "dos", "xibm", ""} {
		if rest := strings.TrimPrefix(key, p); rest != key || p == "" {
			if cp, ok := codePages()[rest]; ok && isDigits(rest) {
				return cp.enc, cp.name
			}
		}
	}
	if enc, canon := charset.Lookup(name); enc != nil {
		return enc, canon
	}
	if enc, err := ianaindex.IANA.Encoding(name); err == nil && enc != nil {
		canon, _ := ianaindex.IANA.Name(enc)
		return enc, strings.ToLower(canon)
	}
	return nil, ""
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
