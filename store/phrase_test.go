package store

import (
	"strings"
	"testing"

	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/query/reference"
)

// hasPhrase agrees with the brute-force reference, repeated words and
// field boundaries included.
func TestHasPhraseMatchesReference(t *testing.T) {
	texts := []articleText{
		{Title: "North Korea", Text: "troops north north korea troops, a a a b", Authors: []string{"Ann Smith", "Bob Jones"}},
		{Title: "A a", Text: "b c Пхеньян  Москва войска", Authors: []string{"Ann", "Smith"}},
		{Title: "", Text: "north korean", Authors: nil},
	}
	phrases := []string{`"north korea"`, `"north north korea"`, `"korea troops"`, `"a a b"`, `"a a a a"`, `"a b c"`, `title:"north korea"`,
		`title:"a a"`, `author:"ann smith"`, `author:"smith bob"`, `author:"ann smith bob"`, `"москва войска"`, `"korea north"`, `"north korean"`}
	for i, at := range texts {
		for _, ps := range phrases {
			t.Run(ps, func(t *testing.T) {
				n, err := query.Parse(ps)
				if err != nil || n.Op != query.OpPhrase {
					t.Fatalf("%q: %v %v", ps, n, err)
				}
				want := reference.Match(n, &reference.Doc{Title: at.Title, Text: at.Text, Authors: at.Authors})
				if got := at.hasPhrase(n.Field, n.Words, nil); got != want {
					t.Errorf("text %d: %s: %v, reference %v", i, strings.Join(n.Words, " "), got, want)
				}
			})
		}
	}
}
