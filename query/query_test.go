package query

import "testing"

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
	if n, err := Parse("   "); n != nil || err != nil {
		t.Errorf("empty query: %v %v", n, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`a "b c" OR -d*`, "title:(x", `(((`, "NOT NOT x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err == nil && n != nil {
			if _, err := Parse(n.String()); err != nil {
				t.Fatalf("%q parsed to %s, which does not parse: %v", s, n, err)
			}
		}
	})
}
