package main

import (
	"strings"
	"time"
	"unicode"

	"github.com/feedvault/feedvault/jsonl"
)

// rfc3339 prints a time for JSON: RFC 3339 in UTC, null when unknown.
func rfc3339(t time.Time) *string { return jsonl.Time(t) }

// safe strips control characters (escape sequences among them) from
// archived text before it reaches a terminal; newlines and tabs become
// spaces when oneLine is set.
func safe(s string, oneLine bool) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			if oneLine {
				return ' '
			}
			return r
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
