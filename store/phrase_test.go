package store

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/query/reference"
	bolt "go.etcd.io/bbolt"
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

// Article values written at schema 1 (one zstd frame of the whole JSON)
// still read, and still answer phrases, beside two-frame values.
func TestOneFrameArticlesStillRead(t *testing.T) {
	s, err := Open(t.TempDir()+"/a.db", Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(40, 3)
	for i, a := range arts {
		a.Title = "North Korea " + a.Title
		a.Authors = []string{"Ann Smith"}
		if i%2 == 0 {
			a.Text += " north korean troops"
		}
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	// Every other article rewritten as schema 1 wrote it.
	err = s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bArticles)
		for i, a := range arts {
			if i%4 > 1 {
				continue
			}
			js, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := b.Put(u64(a.ID), s.z.fast.EncodeAll(js, nil)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range arts {
		got, err := s.Get(a.ID)
		if err != nil || got.Title != a.Title || got.Text != a.Text || got.URL != a.URL || len(got.Authors) != 1 {
			t.Fatalf("article %d (%s): %v %+v", i, map[bool]string{true: "one frame", false: "two frames"}[i%4 <= 1], err, got)
		}
	}
	for _, qs := range []string{`"north korean troops"`, `title:"north korea"`, `author:"ann smith"`, `"korea north"`} {
		t.Run(qs, func(t *testing.T) {
			q, _ := query.Parse(qs)
			want := 0
			for _, a := range arts {
				if refMatch(q, a) {
					want++
				}
			}
			if want == 0 && qs != `"korea north"` {
				t.Fatalf("no article has %s: the test proves nothing", qs)
			}
			for _, limit := range []int{0, 5} {
				got, err := s.Query(Filter{Query: q, Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				if w := want; limit > 0 && w > limit {
					if len(got) != limit {
						t.Errorf("limit %d: %d articles", limit, len(got))
					}
				} else if len(got) != w {
					t.Errorf("limit %d: %d articles, want %d", limit, len(got), w)
				}
				for _, a := range got {
					if !refMatch(q, a) {
						t.Errorf("%d does not match", a.ID)
					}
				}
			}
		})
	}
}

// The search for a phrase of ASCII words (lowered text, word edges
// checked where the first word stands) agrees with the word-by-word
// search on random text: words inside longer words, capitals, Cyrillic
// and accented letters and combining marks at the edges, the runes that
// lower-case into ASCII, joiners inside and between the words,
// punctuation runs between the words.
func TestSimplePhraseAsWordByWord(t *testing.T) {
	t.Run("runes that lower-case into the simple alphabet", func(t *testing.T) {
		var got []rune
		for r := rune(0x80); r <= unicode.MaxRune; r++ {
			query.EachWord(string(r), nil, func(w []byte) {
				if simpleWords([]string{string(w)}) && !(0x400 <= r && r <= 0x45f) {
					got = append(got, r)
				}
			})
		}
		if want := []rune(dottedCapitalI + kelvinSign); !slices.Equal(got, want) {
			t.Fatalf("%U, the search leaves %U to the word-by-word one", got, want)
		}
	})
	t.Run("random text", func(t *testing.T) {
		pieces := []string{"north", "North", "NORTH", "korean", "Korean", "troops", "northern", "anorth", "korea", "n", " ", "  ", ", ", "-", "\n\n",
			"é", "Ä", "я", "\u0301", "İ", "\u212a", "7", "_", "’", "k", "o", "r", "e", "a", "i", "\u00ad", "\u2060", "\ufeff",
			"Москва", "москва", "МОСКВА", "войска", "Войска", "москвы", "ё", "Ё", "е", "и", "й", "Й", "\u0306", "\u0308", "ґ", "І", "і", "«", "»", "—", "\u0400", "\u0460"}
		phrases := [][]string{{"north", "korean", "troops"}, {"north", "korean"}, {"korean"}, {"korea", "n"}, {"north", "north"}, {"a", "n"}, {"k", "orea"}, {"i", "k"}, {"k"}, {"i"},
			{"москва", "войска"}, {"москва"}, {"войска", "москва"}, {"ё"}, {"й"}, {"е"}, {"и"}, {"і"}, {"ѐ"}, {"korea", "москва"}}
		z, err := newCodec()
		if err != nil {
			t.Fatal(err)
		}
		defer z.close()
		r := rand.New(rand.NewPCG(3, 4))
		seen := 0
		var buf []byte
		for i := 0; i < 30000; i++ {
			var b strings.Builder
			for j := 0; j < r.IntN(12); j++ {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
			a := &Article{Title: "a title", Text: b.String()}
			v, err := z.encodeArticle(a) // a stored value (in every fifth text)
			if err != nil {
				t.Fatal(err)
			}
			s := a.Text
			for _, ph := range phrases {
				want := slowHasPhrase([]string{s}, ph, nil)
				at := articleText{Text: s}
				if got := at.hasPhrase(query.FieldAny, ph, nil); got != want {
					t.Fatalf("%q in %q: %v, word by word %v", strings.Join(ph, " "), s, got, want)
				}
				if i%5 == 0 {
					got := false
					if got, buf, err = z.hasPhraseIn(v, query.FieldTitle, ph, buf); err != nil || got != (ph[0] == "a" && len(ph) == 1) {
						t.Fatalf("%q in the title: %v (%v)", strings.Join(ph, " "), got, err)
					}
					if got, buf, err = z.hasPhraseIn(v, query.FieldAny, ph, buf); err != nil || got != (want || ph[0] == "a" && len(ph) == 1) {
						t.Fatalf("%q in a stored %q: %v (%v), word by word %v", strings.Join(ph, " "), s, got, err, want)
					}
				}
				if want {
					seen++
				}
			}
		}
		if seen < 1000 {
			t.Fatalf("only %d texts held a phrase: the test asks too little", seen)
		}
	})
}

// lowerSimple lowers ASCII and basic Cyrillic capitals as unicode
// does, every other byte left as it is (unless it gives up, for a
// Cyrillic phrase, at a word rune outside the alphabet), eight ASCII bytes at a time or
// one by one, with runs of every length and every ASCII byte (the
// neighbours of 'A' and 'Z' and of 'a' and 'z' among them).
func TestLowerSimpleAsUnicode(t *testing.T) {
	var alphabet []string
	for c := 0; c < 0x80; c++ {
		alphabet = append(alphabet, string(rune(c)))
	}
	alphabet = append(alphabet, "Ѐ", "Џ", "А", "Я", "а", "я", "ѐ", "џ", "Ѡ", "é", "İ", "\u0308", "—", "\ufeff")
	r := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for j := r.IntN(40); j > 0; j-- {
			if r.IntN(4) == 0 {
				b.WriteString(alphabet[0x80+r.IntN(len(alphabet)-0x80)])
			} else {
				b.WriteString(alphabet[r.IntN(0x80)])
			}
		}
		s := b.String()
		want := strings.Map(func(r rune) rune {
			if r < 0x80 || 0x400 <= r && r < 0x430 {
				return unicode.ToLower(r)
			}
			return r
		}, s)
		got := []byte(s)
		if ok := lowerSimple(got, i%2 == 0); !ok && i%2 == 0 {
			continue // a word rune outside the alphabet: it stopped there, for the slow search
		}
		if string(got) != want {
			t.Fatalf("%q lowered to %q, want %q", s, got, want)
		}
	}
}

// BenchmarkLowerSimple lowers an English and a Russian text of about
// 4 KB, the bulk of a phrase check's own work besides decompression.
func BenchmarkLowerSimple(b *testing.B) {
	for _, c := range []struct{ name, words string }{
		{"english", "The troops of North Korea crossed into Russia, officials said on Monday; talks stalled."},
		{"russian", "Северокорейские военные пересекли границу России, сообщили в понедельник; переговоры — в тупике."},
		{"russian lower case", "ганан и тоделбер типолру трасен берсен марфин риру столо анрито риво ганру вофинфин"},
	} {
		text := []byte(strings.Repeat(c.words+" ", 4096/len(c.words)))
		buf := make([]byte, len(text))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				copy(buf, text)
				lowerSimple(buf, c.name != "english")
			}
		})
	}
}
