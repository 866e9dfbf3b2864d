package config

import (
	"strings"
	"testing"
)

// TestSyntaxErrorsNameTheLine: yaml.v3 reports the line where the
// enclosing block began, one less (or no line at all on line 1), so a
// bad indent on line 5 read "line 1". The error must name the line that
// breaks the file.
func TestSyntaxErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"indent", "outlets:\n  - name: a\n    feeds: [http://x.org/f]\n  - name: b\n   feeds: [http://x.org/g]\n", "f.yaml:5: "},
		{"block list indent", "outlets:\n  - name: a\n    feeds:\n    - http://x.org/f\n   - http://x.org/g\n", "f.yaml:5: "},
		{"tab", "outlets:\n  - name: a\n\tfeeds: [http://x.org/f]\n", "f.yaml:3: found a tab character"},
		{"tab on line 1", "\toutlets:\n  - name: a\n", "f.yaml:1: "},
		{"unclosed bracket", "outlets:\n  - name: a\n    feeds: [http://x.org/f\n", "f.yaml:3: "},
		{"unclosed quote", "outlets:\n  - name: \"a\n    feeds: [http://x.org/f]\n", "f.yaml:2: "},
		{"not utf-8", "outlets:\n  - name: a\n    feeds: [http://x.org/f]\n    title: \xff\xfe\n", "f.yaml:4: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v; want %q", err, tt.want)
			}
		})
	}
}

func TestSyntaxErrorHints(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"\toutlets:\n  - name: a\n", "indent with spaces"},
		{"outlets:\n  - name: a\n    title: \xff\n", "save it as UTF-8"},
	} {
		if _, err := Parse("f.yaml", []byte(tt.yaml)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v; want %q", tt.yaml, err, tt.want)
		}
	}
}
