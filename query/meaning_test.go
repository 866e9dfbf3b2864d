package query

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Queries whose parse once meant something else than their text says
// (a field or a "-" dropped, a quote or a "*" ignored), and what they
// mean now.
func TestParseMeaning(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// a field before a group applies to every word in it (it was
		// dropped: title:(a OR b) searched title and text)
		{"title:(a OR b)", "(title:a OR title:b)"},
		{`title:(korea "north korea")`, `(title:korea title:"north korea")`},
		{"-title:(a OR b)", "-(title:a OR title:b)"},
		{"author:(smith -jones)", "(author:smith -author:jones)"},
		{"title:(a title:b*)", "(title:a title:b*)"},
		{"title:(a (b OR c))", "(title:a (title:b OR title:c))"},
		// NOT NOT x printed as --x, which parsed back as -x
		{"NOT NOT x", "-(-x)"},
		{"-(-a)", "-(-a)"},
		{"NOT -title:x", "-(-title:x)"},
		// "-(" excludes the group after a word too (it was a hyphen:
		// korea-(russia OR moscow) searched FOR the group)
		{"korea-(russia OR moscow)", "(korea -(russia OR moscow))"},
		// typographic quotes make a phrase (they were dropped: the words
		// were ANDed anywhere)
		{"“north korea”", `"north korea"`},
		{"„north korea“", `"north korea"`},
		{"«северная корея»", `"северная корея"`},
		{"title:“north korea” troops", `(title:"north korea" troops)`},
		// an outlet name with a space prints quoted (it printed bare,
		// which parsed back as three terms)
		{`outlet:"The Moscow Times"`, `outlet:"the moscow times"`},
		{`-outlet:"a b"`, `-outlet:"a b"`},
		// unchanged: a dash standing alone is punctuation
		{"a - b", "(a b)"},
		{"a -- b", "(a b)"},
		{"a AND b", "(a b)"},
		{"a AND -b", "(a -b)"},
		{"e-mail", `"e mail"`},
		{"-e-mail", `-"e mail"`},
	} {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := n.String(); got != tt.want {
				t.Fatalf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
			again, err := Parse(n.String())
			if err != nil || again.String() != tt.want {
				t.Fatalf("Parse(%q) = %v, %v: String does not parse back", n.String(), again, err)
			}
		})
	}
}

// Queries that were silently accepted with a meaning their text does not
// have are errors that say where.
func TestParseErrorsSayWhere(t *testing.T) {
	deep := strings.Repeat("(", 200) + "a" + strings.Repeat(")", 200)
	for _, tt := range []struct {
		in   string
		pos  int // 1-based character
		says string
	}{
		{"title: x", 1, "title: needs a word right after it"},
		{"korea title:", 7, "title: needs a word"},
		{"title:)", 1, "title: needs a word"},
		{"title:-x", 1, "put the - before the field"},
		{"title:&", 1, "nothing to search"},
		{`"north korea`, 1, "unclosed quote"},
		{`troops "north korea`, 8, "unclosed quote"},
		{`x"`, 2, "unclosed quote"},
		{"“north korea", 1, "unclosed quote"},
		{"*x", 1, "* goes at the end of a word"},
		{"k*rea", 2, "* goes at the end of a word"},
		{"korea**", 6, "* goes at the end of a word"},
		{"korea *", 7, "* needs a word before it"},
		{"*", 1, "* needs a word before it"},
		{`"north korea"*`, 14, "* goes on a word, not a phrase"},
		{`title:"a"*`, 10, "* goes on a word, not a phrase"},
		{`"north kor*"`, 11, "* goes on a word, not a phrase"},
		{"korea -(", 8, `expected a word after "("`},
		{"x-(", 3, `expected a word after "("`},
		{"outlet:meduza*", 14, "outlet: takes a whole name"},
		{"outlet:(meduza OR novaya)", 1, "outlet: takes one name"},
		{"title:(a author:b)", 10, "title:( ) holds author:b"},
		{"title:(a outlet:b)", 10, "title:( ) holds outlet:b"},
		{"--x", 1, "one - excludes"},
		{"korea --(russia)", 7, "one - excludes"},
		{"AND", 1, "AND needs a word before it"},
		{"AND korea", 1, "AND needs a word before it"},
		{"korea AND", 7, "AND needs a word after it"},
		{"korea AND OR x", 7, "AND needs a word after it"},
		{"(korea AND) x", 8, "AND needs a word after it"},
		{"a OR AND b", 6, "AND needs a word before it"},
		{"(a OR) b", 4, "OR needs a word after it"},
		{deep, 101, "inside one another"},
		// a message quotes at most 24 characters of the query
		{strings.Repeat("-", 1000) + "x", 1, `"------------------------…": one - excludes`},
		{strings.Repeat("f", 1000) + ":x", 1, `unknown field "ffffffffffffffffffffffff…"`},
		{strings.Repeat("NOT ", 200) + "a", 401, "inside one another"},
		{strings.Repeat("-(", 200) + "a" + strings.Repeat(")", 200), 101, "inside one another"}, // each -( is a NOT and a group
	} {
		name := tt.in
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			n, err := Parse(tt.in)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) = %v, %v; want an error at character %d", tt.in, n, err, tt.pos)
			}
			if qe.Pos+1 != tt.pos || !strings.Contains(qe.Msg, tt.says) {
				t.Fatalf("Parse(%q): %v; want at character %d: …%s…", tt.in, err, tt.pos, tt.says)
			}
		})
	}
}

// Lower-case operators are words; Notes says so, and only of them.
func TestNotes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"korea or russia", []string{`at character 7: "or" is a word to search; the operator is OR, in capitals`}},
		{"korea Not russia", []string{`at character 7: "Not" is a word to search; the operator is NOT, in capitals`}},
		{"war and peace", []string{`at character 5: "and" is a word to search; the operator is AND, in capitals`}},
		{"korea OR russia", nil},
		{`"war and peace"`, nil},
		{"-and title:or", nil},
		{"oregon notes", nil},
		{`"unclosed or`, nil},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := Notes(tt.in); !slices.Equal(got, tt.want) {
				t.Fatalf("Notes(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
