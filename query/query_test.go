package query

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"troops", "troops"},
		{"North Korea troops", "(north korea troops)"},
		{`"north korea" troops`, `("north korea" troops)`},
		{"troops OR soldiers", "(troops OR soldiers)"},
		{"korea troops OR soldiers", "(korea (troops OR soldiers))"},
		{"-moscow korea", "(-moscow korea)"},
		{"NOT moscow korea", "(-moscow korea)"},
		{"korea*", "korea*"},
		{"title:summit author:Smith outlet:Meduza", "(title:summit author:smith outlet:meduza)"},
		{`title:"north korea"`, `title:"north korea"`},
		{"(a OR b) c", "((a OR b) c)"},
		{"Пхеньян Москва", "(пхеньян москва)"},
		{"북한 군대", "(북한 군대)"},
		{"korea's", `"korea s"`},
		{"a AND b", "(a b)"},
		{"-x", "-x"},
		{"a - b", "(a b)"},
		{"korea -(russia OR moscow)", "(korea -(russia OR moscow))"},
		{"korea NOT (russia OR moscow)", "(korea -(russia OR moscow))"},
		{"korea -(russia -moscow)", "(korea -(russia -moscow))"},
		{"-(a b) c", "(-(a b) c)"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := n.String(); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"OR x", "x OR", "(x", "x)", "NOT", `""`, "outlet:", "ab'c*"} {
		if n, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, n)
		}
	}
	long := strings.Repeat("word ", maxPhraseWords)
	if _, err := Parse(`"` + long + `"`); err != nil {
		t.Errorf("a phrase of %d words: %v", maxPhraseWords, err)
	}
	for _, in := range []string{`"` + long + `more"`, strings.Repeat("a-", maxPhraseWords) + "b"} {
		if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), "at most") {
			t.Errorf("a phrase of %d words: %v, want an error saying the bound", maxPhraseWords+1, err)
		}
	}
	if n, err := Parse("   "); n != nil || err != nil {
		t.Errorf("empty query: %v %v", n, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`a "b c" OR -d*`, "title:(x", `(((`, "NOT NOT x", "title:(a OR -b*) c", `-outlet:"A b"`,
		"«a b» “c”", "a-(b) AND c", "x--y", "korea's e-mail 2024-10-01", "İ ß ς", "a\x00b", "author:(x (y OR NOT z))"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		var qe *Error
		if err != nil && !errors.As(err, &qe) {
			t.Fatalf("%q: %v is not a *query.Error", s, err)
		}
		if err != nil || n == nil {
			return
		}
		again, err := Parse(n.String())
		if err != nil {
			t.Fatalf("%q parsed to %s, which does not parse: %v", s, n, err)
		}
		if again.String() != n.String() {
			t.Fatalf("%q parsed to %s, which parses to %s", s, n, again)
		}
	})
}

// An unknown field prefix is an error that points at it; a URL's scheme,
// a time and quoted text are not fields.
func TestUnknownField(t *testing.T) {
	for _, tt := range []struct {
		q   string
		pos int // 0: no error
	}{
		{"foo:bar", 1},
		{"troops  Foo:bar", 9},
		{"-foo:bar", 2},
		{"title:summit", 0},
		{"http://example.org", 0},
		{"12:30", 0},
		{`"foo:bar"`, 0},
		{"note: the", 0},
	} {
		_, err := Parse(tt.q)
		var qe *Error
		if tt.pos == 0 {
			if err != nil {
				t.Errorf("Parse(%q): %v", tt.q, err)
			}
			continue
		}
		if !errors.As(err, &qe) || qe.Pos+1 != tt.pos {
			t.Errorf("Parse(%q) = %v, want an error at character %d", tt.q, err, tt.pos)
		}
	}
}
