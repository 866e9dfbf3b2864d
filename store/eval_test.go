package store

import (
	"path/filepath"
	"testing"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// The cheap parts of an AND narrow its phrases: a phrase's text is
// checked only for the candidates that the words, and the words it must
// not hold, leave.
func TestPhraseCheckedWithinTheRest(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, a := range genArticles(700, 5) {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		ev := s.newEvaluator(tx)
		words := func(f string, ws ...string) []uint64 {
			var out []uint64
			for i, w := range ws {
				p := ev.term(&query.Node{Op: query.OpTerm, Field: f, Words: []string{w}})
				if i == 0 {
					out = p
				} else {
					out = intersect(out, p)
				}
			}
			return out
		}
		nk := words(query.FieldAny, "north", "korea")
		for _, c := range []struct {
			q    string
			want []uint64 // the candidates whose text is checked
		}{
			{`"north korea"`, nk},
			{`"north korea" -troops`, minus(nk, words(query.FieldAny, "troops"))},
			{`"north korea" seoul -moscow`, minus(intersect(nk, words(query.FieldAny, "seoul")), words(query.FieldAny, "moscow"))},
			{`("north korea" OR missile) outlet:yonhap`, intersect(nk, ev.outlet("yonhap"))},
		} {
			n, err := query.Parse(c.q)
			if err != nil {
				t.Fatal(err)
			}
			ev.textChecks = 0
			ev.eval(n)
			if ev.textChecks != len(c.want) {
				t.Errorf("%s: %d texts checked, want %d", c.q, ev.textChecks, len(c.want))
			}
			if len(c.want) == 0 || c.q != `"north korea"` && len(c.want) >= len(nk) {
				t.Errorf("%s: %d candidates of %d: the test narrows nothing", c.q, len(c.want), len(nk))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
