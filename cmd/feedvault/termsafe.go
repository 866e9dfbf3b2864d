package main

import (
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

// termWriter escapes, on the way to a terminal, every control character
// but newline and tab, and the bidi and line-separator characters that
// can disguise text: ESC becomes \x1b, U+202E becomes \u202e. Archived
// text is cleaned when stored; this also covers raw pages (show --raw),
// files given to extract, and anything else printed.
type termWriter struct{ w io.Writer }

func needsEscape(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

func (t termWriter) Write(p []byte) (int, error) {
	var out []byte
	last := 0
	for i := 0; i < len(p); {
		c := p[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= 0x80 {
			r, size = utf8.DecodeRune(p[i:])
			if r == utf8.RuneError && size == 1 {
				r = rune(c) // a lone byte: escaped when in the C1 range
			}
		}
		if needsEscape(r) {
			out = append(out, p[last:i]...)
			if r < 0x100 {
				out = fmt.Appendf(out, `\x%02x`, r)
			} else {
				out = fmt.Appendf(out, `\u%04x`, r)
			}
			last = i + size
		}
		i += size
	}
	if out == nil {
		return t.w.Write(p)
	}
	out = append(out, p[last:]...)
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// forTerminal wraps w in a termWriter when it is a terminal.
func forTerminal(w io.Writer) io.Writer {
	if isTerminal(w) {
		return termWriter{w}
	}
	return w
}
