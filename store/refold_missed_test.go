package store

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The schema-4 migration finds every article whose words change, also
// those whose text is in NFC and holds no joiner or final sigma: a
// capital followed by a mark whose small letter composes with it ("J̌"
// is no one rune, "ǰ" is), and a run of letters that lower-casing makes
// longer than query.MaxWordBytes ("Ⱥ" is 2 bytes, "ⱥ" 3). Without that,
// the article keeps its schema-3 postings and never gets the new ones.
func TestRefoldFindsWordsLowerCasingChanges(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		queries    []string
	}{
		{"capital and caron", "Sheikh J\u030Cabir", []string{"ǰabir", "j*", "ǰ*"}},
		{"capital and ring", "W\u030A and", []string{"ẘ", "w*"}},
		{"dotted capital and acute", "İ\u0301stanbul", []string{"ístanbul", "i*", "í*"}},
		{"run lower-casing lengthens", strings.Repeat("Ⱥ", 500), []string{strings.Repeat("ⱥ", 341), strings.Repeat("ⱥ", 341) + "*", strings.Repeat("ⱥ", 400) + "*"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.db")
			s, err := Open(path, Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			arts := genArticles(20, 5)
			arts[7].Text += " " + tc.text
			for _, a := range arts {
				if _, _, err := s.Put(a, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
			s.Close()
			asSchema3(t, path)
			w, err := Open(path, Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if _, err := w.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
			for _, qs := range tc.queries {
				if ids, want := idsAndReference(t, w, arts, qs); !slices.Equal(ids, want) {
					t.Errorf("%.40s: got %v, reference %v", qs, ids, want)
				}
			}
			if p, err := w.Check(); err != nil || len(p) > 0 {
				t.Errorf("check: %v %v", p, err)
			}
		})
	}
}
