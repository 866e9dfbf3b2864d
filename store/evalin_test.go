package store

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// randTree is a random query tree over the words of genArticles: terms,
// prefixes, phrases (some planted, most rare), outlets, NOT, AND, OR.
func randTree(r *rand.Rand, depth int) *query.Node {
	fields := []string{query.FieldAny, query.FieldAny, query.FieldTitle, query.FieldAuthor}
	if depth == 0 || r.IntN(3) == 0 {
		switch r.IntN(6) {
		case 0, 1:
			ws := query.Words(vocab[r.IntN(len(vocab))])
			return &query.Node{Op: query.OpTerm, Field: fields[r.IntN(3)], Words: ws[:1]}
		case 2:
			w := query.Words(vocab[r.IntN(len(vocab))])[0]
			return &query.Node{Op: query.OpTerm, Field: query.FieldAny, Words: []string{string([]rune(w)[:min(3, len([]rune(w)))])}, Prefix: true}
		case 3:
			phrases := [][]string{{"north", "korea"}, {"korea", "troops"}, {"north", "korea", "troops"}, {"москва", "войска"}, {"ann", "smith"}, {"smith"}}
			p := phrases[r.IntN(len(phrases))]
			f := fields[r.IntN(len(fields))]
			if p[0] == "ann" || p[0] == "smith" {
				f = query.FieldAuthor
			}
			return &query.Node{Op: query.OpPhrase, Field: f, Words: p}
		case 4:
			ws := append(query.Words(vocab[r.IntN(len(vocab))]), query.Words(vocab[r.IntN(len(vocab))])...)
			return &query.Node{Op: query.OpPhrase, Field: query.FieldAny, Words: ws}
		default:
			outlets := []string{"themoscowtimes", "meduza", "yonhap", "kyivindependent"}
			return &query.Node{Op: query.OpTerm, Field: query.FieldOutlet, Words: []string{outlets[r.IntN(len(outlets))]}}
		}
	}
	switch r.IntN(3) {
	case 0:
		return &query.Node{Op: query.OpNot, Kids: []*query.Node{randTree(r, depth-1)}}
	default:
		n := &query.Node{Op: query.OpAnd}
		if r.IntN(2) == 0 {
			n.Op = query.OpOr
		}
		for k := 2 + r.IntN(3); k > 0; k-- {
			kid := randTree(r, depth-1)
			if n.Op == query.OpAnd && r.IntN(3) == 0 {
				kid = &query.Node{Op: query.OpNot, Kids: []*query.Node{kid}}
			}
			n.Kids = append(n.Kids, kid)
		}
		return n
	}
}

// The set evaluator, with the cheap parts of an AND narrowing its
// phrases, agrees with the reference on random trees; and evalIn keeps
// its contract for a random bound W: match(n) ∩ W ⊆ result ⊆ match(n).
func TestEvalInMatchesReferenceOnRandomTrees(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	arts := genArticles(500, 21)
	byID := map[uint64]*Article{}
	var ids []uint64
	for i, a := range arts {
		id, _, err := s.Put(a, nil)
		if err != nil {
			t.Fatal(err)
		}
		byID[id] = a
		ids = append(ids, id)
		if i == 380 {
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	slices.Sort(ids)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		s, err := Open(path, Options{ReadOnly: ro, NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(5, 6))
		err = s.view(func(tx *bolt.Tx) error {
			ev := s.newEvaluator(tx)
			for i := 0; i < 600; i++ {
				n := randTree(r, 3)
				var want []uint64
				for _, id := range ids {
					if refMatch(n, byID[id]) {
						want = append(want, id)
					}
				}
				if got := ev.eval(n); !slices.Equal(got, want) {
					t.Fatalf("read-only %v: %s: %d ids, want %d (extra %v, missing %v)", ro, n, len(got), len(want), minus(got, want), minus(want, got))
				}
				var w within
				if r.IntN(3) > 0 {
					w.in = []uint64{}
					for _, id := range ids {
						if r.IntN(2) == 0 {
							w.in = append(w.in, id)
						}
					}
				}
				for _, id := range ids {
					if r.IntN(4) == 0 {
						w.out = append(w.out, id)
					}
				}
				got := ev.evalIn(n, &w)
				if extra := minus(got, want); len(extra) > 0 {
					t.Errorf("read-only %v: %s within a bound: %d ids that do not match (%v)", ro, n, len(extra), extra[:min(5, len(extra))])
				}
				if missing := minus(w.keep(want), got); len(missing) > 0 {
					t.Errorf("read-only %v: %s within a bound: %d matches in the bound missing (%v)", ro, n, len(missing), missing[:min(5, len(missing))])
				}
				if t.Failed() {
					return nil
				}
			}
			return nil
		})
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}
