// Package reference evaluates a parsed query on one document by brute
// force. It is written apart from the store's index and evaluator, and
// serves as the reference their results are checked against (tests and
// the archive bench); it is far too slow for anything else.
package reference

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/feedvault/feedvault/query"
	"golang.org/x/text/unicode/norm"
)

// Doc is a document as the query language sees it.
type Doc struct {
	Title, Text, Outlet string
	Authors             []string

	seqs map[string][][]string // tokenised fields, filled on first use
}

// word is what the README calls a word: a run of letters, digits and
// combining marks. Digits are decimal digits (Nd): "CO₂", "x²", "½" and
// "Ⅻ" hold no other number signs the index would keep.
var word = regexp.MustCompile(`[\p{L}\p{Nd}\p{M}]+`)

// joiners are invisible inside a word: soft hyphen, word joiner,
// zero-width no-break space. They go before the text is split.
var joiners = strings.NewReplacer("\u00ad", "", "\u2060", "", "\ufeff", "")

// words splits s into words, each lower case with final sigma as sigma,
// cut to its first query.MaxWordBytes bytes (whole runes), in NFC.
func words(s string) []string {
	ws := word.FindAllString(joiners.Replace(s), -1)
	for i := range ws {
		w := strings.ReplaceAll(strings.ToLower(ws[i]), "ς", "σ")
		for len(w) > query.MaxWordBytes {
			_, n := utf8.DecodeLastRuneInString(w)
			w = w[:len(w)-n]
		}
		ws[i] = norm.NFC.String(w)
	}
	return ws
}

// fields returns the word sequences a field searches: title and text are
// separate sequences (a phrase does not run from one into the other), as
// are authors.
func (d *Doc) fields(f string) [][]string {
	if d.seqs == nil {
		d.seqs = map[string][][]string{}
	}
	if s, ok := d.seqs[f]; ok {
		return s
	}
	var out [][]string
	switch f {
	case query.FieldTitle:
		out = [][]string{words(d.Title)}
	case query.FieldAuthor:
		for _, a := range d.Authors {
			out = append(out, words(a))
		}
	default:
		out = [][]string{words(d.Title), words(d.Text)}
	}
	d.seqs[f] = out
	return out
}

// Match reports whether the document satisfies the query.
func Match(n *query.Node, d *Doc) bool {
	switch n.Op {
	case query.OpTerm:
		if n.Field == query.FieldOutlet {
			return strings.EqualFold(d.Outlet, n.Words[0])
		}
		for _, seq := range d.fields(n.Field) {
			for _, w := range seq {
				if w == n.Words[0] || n.Prefix && strings.HasPrefix(w, n.Words[0]) {
					return true
				}
			}
		}
		return false
	case query.OpPhrase:
		for _, seq := range d.fields(n.Field) {
			if strings.Contains(" "+strings.Join(seq, " ")+" ", " "+strings.Join(n.Words, " ")+" ") {
				return true
			}
		}
		return false
	case query.OpNot:
		return !Match(n.Kids[0], d)
	case query.OpAnd:
		for _, k := range n.Kids {
			if !Match(k, d) {
				return false
			}
		}
		return true
	case query.OpOr:
		for _, k := range n.Kids {
			if Match(k, d) {
				return true
			}
		}
	}
	return false
}
