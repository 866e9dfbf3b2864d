package main

import (
	"os"
	"strings"
	"testing"
)

func TestTermWriterEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text\n\tand tab", "plain text\n\tand tab"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"a\rb\x07c\x00", `a\x0db\x07c\x00`},
		{"left\u202eright", `left\u202eright`},
		{"C1 \u009b2J", `C1 \x9b2J`},
		{"lone byte \x9b", `lone byte \x9b`},
		{"Министр 북한", "Министр 북한"},
	}
	for _, tt := range tests {
		var b strings.Builder
		n, err := termWriter{&b}.Write([]byte(tt.in))
		if err != nil || n != len(tt.in) || b.String() != tt.want {
			t.Errorf("%q: wrote %q (%d, %v), want %q", tt.in, b.String(), n, err, tt.want)
		}
	}
	if !isTerminal(termWriter{&strings.Builder{}}) {
		t.Error("a termWriter is not taken for a terminal: query would print jsonl to one")
	}
}

// /dev/null is a character device, not a terminal: `query > /dev/null`
// gets what a pipe gets (jsonl, buffered), not a table.
func TestDevNullIsNoTerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Errorf("%s is taken for a terminal", os.DevNull)
	}
}
