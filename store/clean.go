// Text fields are cleaned on the way in: no control characters, no
// terminal escape sequences. The raw page is stored as it came.

package store

import (
	"strings"
	"unicode/utf8"
)

// cleanArticle cleans a's text fields in place.
func cleanArticle(a *Article) {
	a.Title = cleanText(a.Title, false)
	a.Description = cleanText(a.Description, false)
	a.Section = cleanText(a.Section, false)
	a.Outlet = cleanText(a.Outlet, false)
	a.Summary = cleanText(a.Summary, true)
	a.Text = cleanText(a.Text, true)
	a.FetchError = cleanText(a.FetchError, false)
	for _, l := range [][]string{a.Authors, a.Tags, a.Flags} {
		for i := range l {
			l[i] = cleanText(l[i], false)
		}
	}
}

func cleanRevision(r *Revision) {
	r.Title = cleanText(r.Title, false)
	r.Text = cleanText(r.Text, true)
	for i := range r.Authors {
		r.Authors[i] = cleanText(r.Authors[i], false)
	}
}

// cleanText removes control characters from s, and terminal escape
// sequences whole (ESC [ 31 m goes, not only its ESC). With multiline,
// newlines and tabs stay (CR LF becomes LF); without, each becomes a
// space. Invalid UTF-8 becomes U+FFFD, as JSON encoding would make it.
func cleanText(s string, multiline bool) string {
	clean := true
	lines := false // newlines or tabs, which multiline text keeps
	for i := 0; i < len(s); i++ {
		c := s[i]
		if multiline && (c == '\n' || c == '\t') {
			lines = true
			continue
		}
		if c < 0x20 || c == 0x7f || c == 0xc2 { // 0xc2 leads the C1 controls U+0080–U+009F
			clean = false
			break
		}
	}
	// Text whose only controls are the newlines and tabs it keeps comes
	// out of the loop below unchanged when it is valid UTF-8.
	if clean && (!lines || utf8.ValidString(s)) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b || r == 0x9b: // ESC, CSI
			i += size + escapeLen(s[i+size:], r == 0x9b)
			continue
		case r == '\r' && multiline && i+1 < len(s) && s[i+1] == '\n':
		case r == '\n' || r == '\t' || r == '\r':
			if multiline && r != '\r' {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError) // as JSON would store it; a removal must not join bytes into a control
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeLen is the length of the rest of an escape sequence after ESC
// (or after CSI when csi): a CSI sequence up to its final byte, an OSC
// string up to BEL or ST, or one character.
func escapeLen(s string, csi bool) int {
	if s == "" {
		return 0
	}
	if !csi {
		switch s[0] {
		case '[':
			return 1 + escapeLen(s[1:], true)
		case ']', 'P', '_', '^': // OSC, DCS, APC, PM: a string up to BEL or ESC \
			for i := 1; i < len(s); i++ {
				if s[i] == 0x07 {
					return i + 1
				}
				if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
					return i + 2
				}
			}
			return len(s)
		}
		if s[0] >= 0x20 && s[0] < 0x7f {
			return 1
		}
		return 0
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x40 && c <= 0x7e {
			return i + 1
		} else if c < 0x20 || c > 0x7e {
			return i // not a sequence after all
		}
	}
	return len(s)
}

// asJSON is s as a JSON string stores it: each byte that is not valid
// UTF-8 becomes U+FFFD. The title and text frame of an article holds
// them so, as the JSON frame holds the other fields.
func asJSON(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
