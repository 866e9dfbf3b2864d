// Package query parses feedvault's query language into a tree. It has no
// dependencies beyond the standard library; the store evaluates the tree
// against its index.
//
//	troops border          both words (AND)
//	"north korea"          the words next to each other
//	troops OR soldiers     either (OR binds tighter than AND)
//	-moscow, NOT moscow    exclude (also a group: -(a OR b))
//	korea*                 any word starting with korea
//	title:summit           in the title; author:smith; outlet:meduza
//	title:(a OR b)         the field on each word: title:a OR title:b
//	(a OR b) c             grouping
//
// Words match whole, case-insensitively, in any script, without stemming.
package query

import (
	"fmt"
	"strings"
	"unicode"
)

// Op is a node's kind.
type Op int

const (
	OpTerm   Op = iota // one word, or a prefix
	OpPhrase           // adjacent words
	OpAnd
	OpOr
	OpNot
)

// Fields a term can be limited to.
const (
	FieldAny    = ""       // title and text
	FieldTitle  = "title"  // title only
	FieldAuthor = "author" // author names
	FieldOutlet = "outlet" // the outlet's short name, exactly
)

// Node is a parsed query.
type Node struct {
	Op     Op
	Field  string   // for OpTerm and OpPhrase
	Words  []string // OpTerm: one word; OpPhrase: several; lower case
	Prefix bool     // OpTerm: Words[0] is a prefix (word*)
	Kids   []*Node  // OpAnd, OpOr: two or more; OpNot: one
}

func (n *Node) String() string {
	switch n.Op {
	case OpTerm:
		s := n.Words[0]
		if n.Prefix {
			s += "*"
		}
		if n.Field == FieldOutlet && strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || r == '(' || r == ')' || r == '*' || isQuote(r)
		}) || strings.HasPrefix(s, "-") {
			s = `"` + s + `"` // a name that does not lex as one word
		}
		return field(n.Field) + s
	case OpPhrase:
		return field(n.Field) + `"` + strings.Join(n.Words, " ") + `"`
	case OpNot:
		if n.Kids[0].Op == OpNot {
			return "-(" + n.Kids[0].String() + ")" // "--x" is an error
		}
		return "-" + n.Kids[0].String()
	}
	parts := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		parts[i] = k.String()
	}
	sep := " "
	if n.Op == OpOr {
		sep = " OR "
	}
	return "(" + strings.Join(parts, sep) + ")"
}

func field(f string) string {
	if f == "" {
		return ""
	}
	return f + ":"
}

// Words splits text into the lower-case words the index holds: runs of
// letters, digits and combining marks, in any script, each rune lowered
// on its own (unicode.ToLower).
func Words(s string) []string {
	var out []string
	EachWord(s, nil, func(w []byte) { out = append(out, string(w)) })
	return out
}

// Error is a query that does not parse.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("query: at character %d: %s", e.Pos+1, e.Msg) }

// Parse parses a query. An empty query gives (nil, nil): everything matches.
func Parse(s string) (*Node, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if len(p.toks) == 0 {
		return nil, nil
	}
	n, err := p.and()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, &Error{t.pos, fmt.Sprintf("unexpected %q", excerpt(t.text))}
	}
	return n, nil
}

// maxDepth bounds the groups and NOTs inside one another: the parser,
// String and the store's evaluator recurse once per level.
const maxDepth = 100

// maxPhraseWords bounds a phrase: each of its words is a posting list
// to read and to ask for every candidate, so a phrase of thousands of
// words (a pasted article) would take minutes to list. A quote of a
// sentence or two is far below it.
const maxPhraseWords = 100

type parser struct {
	toks  []token
	i     int
	depth int    // unary levels open
	field string // the field of the groups open ("title:(...)"), or ""
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

// and := or { or }
func (p *parser) and() (*Node, error) {
	var kids []*Node
	for {
		t := p.peek()
		if t == nil || t.kind == tRParen {
			break
		}
		if t.kind == tAnd { // explicit AND is the default; it joins two operands
			if len(kids) == 0 {
				return nil, &Error{t.pos, "AND needs a word before it"}
			}
			p.i++
			if u := p.peek(); u == nil || u.kind == tRParen || u.kind == tOr || u.kind == tAnd {
				return nil, &Error{t.pos, "AND needs a word after it"}
			}
			continue
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if n != nil {
			kids = append(kids, n)
		}
	}
	switch len(kids) {
	case 0:
		if t := p.peek(); t != nil {
			return nil, &Error{t.pos, "expected a word"}
		}
		last := p.toks[p.i-1] // Parse took no tokens as the empty query
		return nil, &Error{last.pos, fmt.Sprintf("expected a word after %q", excerpt(last.text))}
	case 1:
		return kids[0], nil
	}
	return &Node{Op: OpAnd, Kids: kids}, nil
}

// or := unary { OR unary }
func (p *parser) or() (*Node, error) {
	n, err := p.unary()
	if err != nil || n == nil {
		return n, err
	}
	kids := []*Node{n}
	for {
		t := p.peek()
		if t == nil || t.kind != tOr {
			break
		}
		p.i++
		if u := p.peek(); u == nil || u.kind == tRParen {
			return nil, &Error{t.pos, "OR needs a word after it"}
		}
		m, err := p.unary()
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, &Error{t.pos, "OR needs a word after it"}
		}
		kids = append(kids, m)
	}
	if len(kids) == 1 {
		return n, nil
	}
	return &Node{Op: OpOr, Kids: kids}, nil
}

// unary := [NOT] atom
func (p *parser) unary() (*Node, error) {
	t := p.peek()
	if t == nil {
		return nil, nil
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, &Error{t.pos, fmt.Sprintf("more than %d groups and NOTs inside one another", maxDepth)}
	}
	if t.kind == tNot {
		p.i++
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		if n == nil {
			return nil, &Error{t.pos, "NOT needs a word after it"}
		}
		return &Node{Op: OpNot, Kids: []*Node{n}}, nil
	}
	return p.atom()
}

func (p *parser) atom() (*Node, error) {
	t := p.peek()
	switch t.kind {
	case tOr:
		return nil, &Error{t.pos, "OR needs a word before it"}
	case tAnd:
		return nil, &Error{t.pos, "AND needs a word before it"}
	case tRParen:
		return nil, &Error{t.pos, "unbalanced )"}
	case tLParen:
		p.i++
		outer := p.field
		if t.field != "" {
			p.field = t.field
		}
		n, err := p.and()
		p.field = outer
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != tRParen {
			return nil, &Error{t.pos, "unbalanced ("}
		}
		p.i++
		return n, nil
	}
	p.i++
	if p.field != "" {
		tt := *t
		if tt.field == "" {
			tt.field = p.field
		} else if tt.field != p.field {
			return nil, &Error{t.pos, fmt.Sprintf("%s:( ) holds %s:%s: one field to a group", p.field, tt.field, excerpt(tt.text))}
		}
		t = &tt
	}
	n, err := termNode(t)
	if err != nil || n == nil {
		return n, err
	}
	if t.neg {
		n = &Node{Op: OpNot, Kids: []*Node{n}}
	}
	return n, nil
}

func termNode(t *token) (*Node, error) {
	if t.field == FieldOutlet {
		name := strings.ToLower(strings.TrimSpace(t.text))
		if name == "" {
			return nil, &Error{t.pos, "outlet: needs a name"}
		}
		return &Node{Op: OpTerm, Field: FieldOutlet, Words: []string{name}}, nil
	}
	if t.kind == tPhrase {
		ws := Words(t.text)
		switch len(ws) {
		case 0:
			return nil, &Error{t.pos, "empty phrase"}
		case 1:
			return &Node{Op: OpTerm, Field: t.field, Words: ws}, nil
		}
		return phraseNode(t, ws)
	}
	prefix := strings.HasSuffix(t.text, "*")
	ws := Words(strings.TrimSuffix(t.text, "*"))
	switch {
	case len(ws) == 0 && prefix:
		return nil, &Error{t.pos, "* needs a word before it (korea*)"}
	case len(ws) == 0 && t.field != "":
		return nil, &Error{t.pos, fmt.Sprintf("%s:%s: nothing to search (words are letters and digits)", t.field, excerpt(t.text))}
	case len(ws) == 0:
		// punctuation only ("-", "&"): nothing to match; skip it
		return nil, nil
	case len(ws) == 1:
		return &Node{Op: OpTerm, Field: t.field, Words: ws, Prefix: prefix}, nil
	}
	// "korea's" is two index words next to each other: a phrase
	if prefix {
		return nil, &Error{t.pos, fmt.Sprintf("%q: a prefix must be one word", excerpt(t.text))}
	}
	return phraseNode(t, ws)
}

func phraseNode(t *token, ws []string) (*Node, error) {
	if len(ws) > maxPhraseWords {
		return nil, &Error{t.pos, fmt.Sprintf("a phrase of %d words: at most %d (quote a shorter part of it)", len(ws), maxPhraseWords)}
	}
	return &Node{Op: OpPhrase, Field: t.field, Words: ws}, nil
}
