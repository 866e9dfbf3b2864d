package query

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tOr
	tAnd
	tNot
	tLParen // field: a field before the group ("title:(a OR b)")
	tRParen
)

type token struct {
	kind  tokKind
	text  string // raw word (with its *), or phrase text
	field string
	neg   bool // a leading "-"
	pos   int
}

// isQuote tells the marks that open and close a phrase: the straight
// double quote and the typographic ones a word processor or a keyboard
// layout puts there (“…”, „…“, «…»), any of them closing any other.
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»', '＂':
		return true
	}
	return false
}

// lex splits a query into tokens. Positions are rune indexes; an error
// is an *Error at the character it is about.
func lex(s string) ([]token, error) {
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
			if r == '-' {
				j := i
				for j < len(rs) && rs[j] == '-' {
					j++
				}
				if j == len(rs) || unicode.IsSpace(rs[j]) {
					// a dash standing alone ("a - b"): punctuation,
					// nothing to search
					toks = append(toks, token{kind: tWord, text: string(rs[i:j]), pos: start})
					i = j
					continue
				}
				if j-i > 1 {
					return nil, &Error{start, fmt.Sprintf("%q: one - excludes what follows it (%s)", excerpt(string(rs[i:j+1])), "-"+excerpt(string(rs[j:min(j+8, len(rs))])))}
				}
				neg = true
				i++
			}
			fieldName, group, err := lexField(rs, &i, &toks, neg)
			if err != nil {
				return nil, err
			}
			if group {
				continue // lexField emitted the group's opening
			}
			if i < len(rs) && isQuote(rs[i]) {
				end := i + 1
				for end < len(rs) && !isQuote(rs[end]) {
					end++
				}
				if end == len(rs) {
					return nil, &Error{i, "unclosed quote"}
				}
				for k := i + 1; k <= end+1 && k < len(rs); k++ {
					if rs[k] == '*' {
						// "north kor*" would search the phrase "north kor"
						return nil, &Error{k, "* goes on a word, not a phrase"}
					}
				}
				toks = append(toks, token{kind: tPhrase, text: string(rs[i+1 : end]), field: fieldName, neg: neg, pos: start})
				i = end + 1
				continue
			}
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) && rs[end] != '(' && rs[end] != ')' && !isQuote(rs[end]) &&
				!(rs[end] == '-' && end+1 < len(rs) && rs[end+1] == '(') {
				end++
			}
			if err := checkStars(rs[i:end], i, fieldName); err != nil {
				return nil, err
			}
			w := string(rs[i:end])
			i = end
			switch {
			case w == "OR" && fieldName == "" && !neg:
				toks = append(toks, token{kind: tOr, text: w, pos: start})
			case w == "NOT" && fieldName == "" && !neg:
				toks = append(toks, token{kind: tNot, text: w, pos: start})
			case w == "AND" && fieldName == "" && !neg:
				toks = append(toks, token{kind: tAnd, text: w, pos: start})
			default:
				toks = append(toks, token{kind: tWord, text: w, field: fieldName, neg: neg, pos: start})
			}
		}
	}
	return toks, nil
}

// lexField reads a "field:" prefix at *i, if there is one, and steps
// over it. Before a group it emits the group's opening (after a NOT for
// neg). A field with nothing right after it, or an unknown one, is an
// error.
func lexField(rs []rune, i *int, toks *[]token, neg bool) (field string, group bool, err error) {
	at := *i
	j := at
	for j < len(rs) && unicode.IsLetter(rs[j]) {
		j++
	}
	if j == at || j == len(rs) || rs[j] != ':' {
		return "", false, nil
	}
	f := strings.ToLower(string(rs[at:j]))
	if f != FieldTitle && f != FieldAuthor && f != FieldOutlet {
		if j+1 < len(rs) && !unicode.IsSpace(rs[j+1]) && rs[j+1] != '/' {
			// "foo:bar" names a field there is none of. (A URL's
			// "http://" is left alone; quote text to search it.)
			return "", false, &Error{at, fmt.Sprintf("unknown field %q: the fields are title:, author: and outlet: (quote the text to search for it as it is)", excerpt(string(rs[at:j+1])))}
		}
		return "", false, nil
	}
	*i = j + 1
	switch next := rune(0); {
	case *i < len(rs):
		next = rs[*i]
		if next == '-' {
			return "", false, &Error{at, fmt.Sprintf("%s:-: put the - before the field to exclude (-%s:word)", f, f)}
		}
		if next == '(' {
			if f == FieldOutlet {
				return "", false, &Error{at, "outlet: takes one name: write (outlet:a OR outlet:b)"}
			}
			if neg {
				*toks = append(*toks, token{kind: tNot, text: "-", pos: at - 1})
			}
			*toks = append(*toks, token{kind: tLParen, text: "(", field: f, pos: at})
			*i++
			return f, true, nil
		}
		if !unicode.IsSpace(next) && next != ')' {
			return f, false, nil
		}
	}
	return "", false, &Error{at, fmt.Sprintf("%s: needs a word right after it (%s:word, %s:\"a phrase\")", f, f, f)}
}

// checkStars allows one "*", at the end of a word (a prefix); outlet
// names are whole. w starts at rune index at.
func checkStars(w []rune, at int, field string) error {
	for k, r := range w {
		switch {
		case r != '*':
		case field == FieldOutlet:
			return &Error{at + k, "outlet: takes a whole name, not a prefix (no *)"}
		case k != len(w)-1:
			return &Error{at + k, "* goes at the end of a word (korea*)"}
		}
	}
	return nil
}

// Notes tells what in a query that parses may not mean what it seems to:
// "or", "and" and "not" in lower case are words to search, not operators.
// The CLI prints them on standard error.
func Notes(s string) []string {
	toks, err := lex(s)
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range toks {
		if t.kind != tWord || t.field != "" || t.neg {
			continue
		}
		if op := strings.ToUpper(t.text); op != t.text && (op == "OR" || op == "AND" || op == "NOT") {
			out = append(out, fmt.Sprintf("at character %d: %q is a word to search; the operator is %s, in capitals", t.pos+1, t.text, op))
		}
	}
	return out
}

// excerpt cuts what an error message quotes of the query to a length a
// terminal line holds.
func excerpt(s string) string {
	const max = 24
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
