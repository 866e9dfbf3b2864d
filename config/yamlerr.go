package config

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// syntaxError is the error for a file yaml.v3 cannot parse, at the line
// that breaks it. yaml.v3 says where the enclosing block began, one line
// early (or no line on the first one): a bad indent on line 5 of an
// outlet reads "line 1". The line here is the first one whose prefix of
// the file fails with the same problem as the whole file: found by
// halving, with the prefix before it parsing and the prefix through it
// failing; when none does, the message stays as yaml.v3 gave it.
func syntaxError(path string, b []byte, err error) error {
	msg := problem(err)
	if line := breakingLine(b, msg); line > 0 {
		text := bytes.Split(b, []byte("\n"))[line-1]
		return fmt.Errorf("config: %s:%d: %s%s", path, line, msg, syntaxHint(msg, text))
	}
	return fmt.Errorf("config: %s: %s%s", path, strings.TrimPrefix(err.Error(), "yaml: "), syntaxHint(msg, nil))
}

// problem is a yaml.v3 error without its "yaml: line N: " prefix.
func problem(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		if _, rest, ok := strings.Cut(msg, ": "); ok {
			return rest
		}
	}
	return msg
}

func breakingLine(b []byte, msg string) int {
	ends := []int{0} // ends[k]: the length of the first k lines
	for i, c := range b {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if ends[len(ends)-1] != len(b) {
		ends = append(ends, len(b))
	}
	fails := func(k int) bool {
		var n yaml.Node
		return yaml.Unmarshal(b[:ends[k]], &n) != nil
	}
	lo, hi := 0, len(ends)-1 // the first lo lines parse; the first hi fail
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	var n yaml.Node
	if err := yaml.Unmarshal(b[:ends[hi]], &n); err == nil || problem(err) != msg {
		return 0 // the prefix fails otherwise (cut inside a quote or a list)
	}
	return hi
}

// syntaxHint says what to look for; text is the breaking line.
func syntaxHint(msg string, text []byte) string {
	indent := text[:len(text)-len(bytes.TrimLeft(text, " \t"))]
	switch {
	case strings.Contains(msg, "tab character"), bytes.ContainsRune(indent, '\t'):
		return " (indent with spaces, not tabs)"
	case strings.Contains(msg, "UTF-8"):
		return " (the file is not UTF-8 text: save it as UTF-8)"
	}
	if text == nil {
		return " (YAML syntax: look at the indentation, quotes and brackets there and below)"
	}
	return " (YAML syntax: look at this line's indentation, quotes and brackets, and at the line before)"
}
