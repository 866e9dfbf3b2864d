package feedparse

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Limits on what a hostile feed can make one parse cost. They hold before
// the XML parser sees the bytes.
const (
	// MaxDepth is the deepest element nesting kept; a feed nests 5–10
	// deep, with XHTML content perhaps 30. The document is cut where it
	// goes deeper, and the items before the cut are kept.
	MaxDepth = 256
	// MaxElements is the fewest elements one parse reads (after the item
	// cap); with an item cap of N it reads up to 1,000 per item. A feed
	// of 200 items with inline XHTML has perhaps 20,000. A flat flood of
	// millions of empty elements is cut there, as for depth, so that its
	// garbage does not swell the heap.
	MaxElements = 200_000
	// MaxEntityBytes bounds what DOCTYPE-declared entities may add to a
	// document, all references together (a billion-laughs feed stops
	// expanding there).
	MaxEntityBytes = 1 << 20
	// maxEntityNesting bounds entities that refer to other entities.
	maxEntityNesting = 8
	// maxStrayLT bounds how many stray '<' are escaped (each grows the
	// document by 3 bytes).
	maxStrayLT = 100_000
)

// cp1252 maps the C1 range (0x80–0x9F) to what windows-1252 puts there, as
// HTML (and feedparser) read numeric references and stray C1 characters
// in a document declared Latin-1.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

var charRef = lazyRE(`&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));`)

// sanitize drops characters XML forbids (raw or as numeric references:
// &#0;, &#11;, &#xFFFE;), maps C1 characters to their windows-1252
// meaning, and replaces invalid UTF-8. It returns b itself when there is
// nothing to do, and whether anything was dropped.
func sanitize(b []byte) ([]byte, bool) {
	clean := utf8.Valid(b)
	if clean {
		for i := 0; i < len(b); {
			c := b[i]
			if c < 0x80 {
				if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == '&' && i+1 < len(b) && b[i+1] == '#' {
					clean = false
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRune(b[i:])
			if !xmlChar(r) || r >= 0x80 && r <= 0x9F {
				clean = false
				break
			}
			i += n
		}
	}
	if clean {
		return b, false
	}
	dropped := false
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c == '&' && i+1 < len(b) && b[i+1] == '#' {
			if m := charRef().FindSubmatch(b[i:min(len(b), i+16)]); m != nil && bytes.HasPrefix(b[i:], m[0]) {
				var v uint64
				var err error
				if len(m[1]) > 0 {
					v, err = strconv.ParseUint(string(m[1]), 16, 32)
				} else {
					v, err = strconv.ParseUint(string(m[2]), 10, 32)
				}
				r := rune(v)
				switch {
				case err != nil || v > 0x10FFFF || !xmlChar(r):
					dropped = true
				case r >= 0x80 && r <= 0x9F:
					out = utf8.AppendRune(out, cp1252[r-0x80])
				default:
					out = append(out, m[0]...)
				}
				i += len(m[0])
				continue
			}
		}
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				dropped = true
			} else {
				out = append(out, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = append(out, "\uFFFD"...)
		case r >= 0x80 && r <= 0x9F:
			out = utf8.AppendRune(out, cp1252[r-0x80])
		case !xmlChar(r):
			dropped = true
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out, dropped
}

var (
	doctypeRE = lazyRE(`(?is)<!DOCTYPE\s[^\[>]*\[(.*?)\]\s*>`)
	entityRE  = lazyRE(`(?s)<!ENTITY\s+([A-Za-z_:][-A-Za-z0-9._:]*)\s+(?:"([^"]*)"|'([^']*)')\s*>`)
	entRefRE  = lazyRE(`&([A-Za-z_:][-A-Za-z0-9._:]*);`)
)

// expandEntities replaces references to the internal entities a DOCTYPE
// declares with their values, as an XML processor would. Entities may use
// other entities up to maxEntityNesting deep; all expansions together add
// at most MaxEntityBytes. Past the budget references stay literal, and
// the returned problem says so.
func expandEntities(b []byte) ([]byte, string) {
	head := b[:min(len(b), 64<<10)]
	loc := doctypeRE().FindSubmatchIndex(head)
	if loc == nil {
		return b, ""
	}
	decls := map[string]string{}
	for _, m := range entityRE().FindAllSubmatch(head[loc[2]:loc[3]], -1) {
		name := string(m[1])
		if isPredefinedEntity(name) {
			continue
		}
		if _, dup := decls[name]; !dup { // the first declaration binds
			decls[name] = string(m[2]) + string(m[3])
		}
	}
	if len(decls) == 0 {
		return b, ""
	}
	budget := MaxEntityBytes
	over := false
	var expand func(s []byte, depth int) []byte
	expand = func(s []byte, depth int) []byte {
		return entRefRE().ReplaceAllFunc(s, func(ref []byte) []byte {
			v, ok := decls[string(ref[1:len(ref)-1])]
			if !ok {
				return ref
			}
			if depth >= maxEntityNesting || budget < len(v) {
				over = true
				return nil
			}
			budget -= len(v)
			return expand([]byte(v), depth+1)
		})
	}
	body := b[loc[1]:]
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[1]]...)
	out = append(out, expand(body, 0)...)
	problem := ""
	if over {
		problem = fmt.Sprintf("DOCTYPE entities expand past %d bytes or %d levels; the rest were dropped", MaxEntityBytes, maxEntityNesting)
	}
	return out, problem
}

// capDepth returns b cut before the first element nested deeper than
// MaxDepth or the first past maxElements, and whether it cut. It scans the bytes the way an XML parser
// would tokenise them (comments, CDATA, processing instructions, DOCTYPE
// and quoted attribute values are skipped), without building anything.
func capDepth(b []byte, maxElements int) ([]byte, bool) {
	depth, elements := 0, 0
	for i := 0; i < len(b); {
		if i = nextMarkup(b, i); i < 0 {
			break
		}
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skipPast(b, i+2, "?>")
		case bytes.HasPrefix(rest, []byte("<!")):
			i = skipDecl(b, i+2)
		case bytes.HasPrefix(rest, []byte("</")):
			if depth > 0 {
				depth--
			}
			i = skipPast(b, i+2, ">")
		case len(rest) < 2 || !nameStart(rest[1]):
			i++ // a stray '<' in text
		default:
			end, selfClosing := tagEnd(b, i+1)
			if elements++; elements > maxElements {
				return b[:i], true
			}
			if !selfClosing {
				depth++
				if depth > MaxDepth {
					return b[:i], true
				}
			}
			i = end
		}
	}
	return b, false
}

// escapeStrayLT escapes a '<' that cannot open markup ("a < b" in a
// title), which would otherwise stop the parse, as a loose HTML-minded
// reader takes it for text. Comments and CDATA are left alone. It returns
// b itself when there is none; past maxStrayLT it stops escaping.
func escapeStrayLT(b []byte) []byte {
	var out []byte
	strays := 0
	last := 0
	for i := 0; i < len(b); {
		if i = nextMarkup(b, i); i < 0 {
			break
		}
		rest := b[i:]
		switch {
		case len(rest) >= 2 && (nameStart(rest[1]) || rest[1] == '/' || rest[1] == '!' || rest[1] == '?'):
			i++
		case strays >= maxStrayLT:
			// Hostile input: leave the rest; the parse stops there and
			// keeps the items before.
			return append(out, b[last:]...)
		default:
			strays++
			out = append(append(out, b[last:i]...), "&lt;"...)
			i++
			last = i
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// quoteAttrs puts quotes around unquoted attribute values
// (<enclosure url=https://x.org/a.mp3 length=5>), which encoding/xml's
// loose mode reads only when they are plain names. It returns b itself
// when there is none.
func quoteAttrs(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		if i = nextMarkup(b, i); i < 0 {
			break
		}
		rest := b[i:]
		switch {
		case len(rest) < 2 || !nameStart(rest[1]):
			i++
			continue
		}
		// Inside a start tag: find each '=' and look at what follows.
		k := i + 1
		var quote byte
		for k < len(b) && (quote != 0 || b[k] != '>' && b[k] != '<') {
			c := b[k]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '=':
				v := k + 1
				for v < len(b) && (b[v] == ' ' || b[v] == '\t' || b[v] == '\n' || b[v] == '\r') {
					v++
				}
				if v < len(b) && b[v] != '"' && b[v] != '\'' && b[v] != '>' {
					e := v
					for e < len(b) && b[e] != ' ' && b[e] != '\t' && b[e] != '\n' && b[e] != '\r' && b[e] != '>' && b[e] != '<' && b[e] != '"' {
						e++
					}
					if e < len(b) && b[e] == '>' && e > v && b[e-1] == '/' {
						e-- // the slash of "/>"
					}
					out = append(append(out, b[last:v]...), '"')
					out = append(append(out, b[v:e]...), '"')
					last, k = e, e
					continue
				}
			}
			k++
		}
		i = k
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

func nameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

// nextMarkup is the index of the next '<' at or after i that is not
// inside a comment or a CDATA section, or -1.
func nextMarkup(b []byte, i int) int {
	for i < len(b) {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		switch rest := b[i:]; {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipPast(b, i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipPast(b, i+9, "]]>")
		default:
			return i
		}
	}
	return -1
}

func skipPast(b []byte, i int, end string) int {
	j := bytes.Index(b[i:], []byte(end))
	if j < 0 {
		return len(b)
	}
	return i + j + len(end)
}

// skipDecl skips <!DOCTYPE …> with its internal subset in brackets.
func skipDecl(b []byte, i int) int {
	brackets := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '[':
			brackets++
		case ']':
			brackets--
		case '>':
			if brackets <= 0 {
				return i + 1
			}
		}
	}
	return len(b)
}

// tagEnd finds the end of a start tag beginning after '<' at i, skipping
// quoted attribute values.
func tagEnd(b []byte, i int) (int, bool) {
	var quote byte
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1, b[i-1] == '/'
		case c == '<': // a broken tag; let the parser complain
			return i, false
		}
	}
	return len(b), false
}

// isPredefinedEntity reports whether name is one of XML's five predefined
// entities (a switch, not a map: nothing to build at init).
func isPredefinedEntity(name string) bool {
	switch name {
	case "amp", "lt", "gt", "quot", "apos":
		return true
	}
	return false
}
