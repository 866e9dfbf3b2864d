package query

import (
	"strings"
	"unicode"
)

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tOr
	tNot
	tLParen
	tRParen
	tBadField // an unknown field: prefix, reported by Parse
)

type token struct {
	kind  tokKind
	text  string // raw word (with field: and *), or phrase text
	field string
	neg   bool // a leading "-"
	pos   int
}

func lex(s string) []token {
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{kind: tLParen, text: "(", pos: i})
			i++
		case r == '-' && i+1 < len(rs) && rs[i+1] == '(':
			// "-(a OR b)" excludes the group, as "NOT (a OR b)" does.
			toks = append(toks, token{kind: tNot, text: "-", pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, text: ")", pos: i})
			i++
		default:
			start := i
			neg := false
			if r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
				neg = true
				i++
			}
			// field:
			fieldName := ""
			j := i
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			if j < len(rs) && rs[j] == ':' && j > i {
				if f := strings.ToLower(string(rs[i:j])); f == FieldTitle || f == FieldAuthor || f == FieldOutlet {
					fieldName = f
					i = j + 1
				} else if j+1 < len(rs) && !unicode.IsSpace(rs[j+1]) && rs[j+1] != '/' {
					// "foo:bar" names a field there is none of. (A URL's
					// "http://" is left alone; quote text to search it.)
					toks = append(toks, token{kind: tBadField, text: string(rs[i : j+1]), pos: i})
				}
			}
			if i < len(rs) && rs[i] == '"' {
				end := i + 1
				for end < len(rs) && rs[end] != '"' {
					end++
				}
				toks = append(toks, token{kind: tPhrase, text: string(rs[i+1 : min(end, len(rs))]), field: fieldName, neg: neg, pos: start})
				i = end + 1
				continue
			}
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) && rs[end] != '(' && rs[end] != ')' && rs[end] != '"' {
				end++
			}
			w := string(rs[i:end])
			i = end
			switch {
			case w == "OR" && fieldName == "" && !neg:
				toks = append(toks, token{kind: tOr, text: w, pos: start})
			case w == "NOT" && fieldName == "" && !neg:
				toks = append(toks, token{kind: tNot, text: w, pos: start})
			case w == "AND" && fieldName == "" && !neg:
				// explicit AND is the default; skip it
			default:
				toks = append(toks, token{kind: tWord, text: w, field: fieldName, neg: neg, pos: start})
			}
		}
	}
	return toks
}
