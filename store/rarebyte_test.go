package store

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// indexRare finds what bytes.Index finds, whichever byte it scans for:
// needles at the start and the end, overlapping, repeated, absent, and
// a scanned byte at every offset of the needle.
func TestIndexRareAsIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	alphabet := []string{"a", "b", "n", " ", "ab", "ба", "б", "\xd0", "\xb1", "x"}
	for i := 0; i < 50000; i++ {
		var s, n strings.Builder
		if i%100 == 0 { // one letter repeated: bytes.Index takes over
			s.WriteString(strings.Repeat("a", r.IntN(2000)))
		}
		for j := r.IntN(30); j > 0; j-- {
			s.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		for j := 1 + r.IntN(4); j > 0; j-- {
			n.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		hay, needle := []byte(s.String()), []byte(n.String())
		want := bytes.Index(hay, needle)
		for k := range needle {
			if got := indexRare(hay, needle, k); got != want {
				t.Fatalf("%q in %q scanning byte %d: %d, bytes.Index %d", needle, hay, k, got, want)
			}
		}
	}
}

// The rarest byte of a word is one a news text holds seldom.
func TestRarestByte(t *testing.T) {
	for _, c := range []struct {
		word string
		want byte
	}{
		{"north", 'h'},
		{"korean", 'k'},
		{"the", 'h'},
		{"северокорейские", "й"[1]},
		{"военные", "ы"[1]},
		{"2024", '2'},
	} {
		if got := []byte(c.word)[rarest([]byte(c.word))]; got != c.want {
			t.Errorf("%s: %q, want %q", c.word, got, c.want)
		}
	}
}

// byteRank ranks a continuation byte by the commonest Russian letter
// whose UTF-8 form ends in it, as the letters decoded one by one would.
func TestByteRankContinuation(t *testing.T) {
	for b := 0x80; b < 0xc0; b++ {
		want := 0
		for i, r := range []rune(russianByFrequency) {
			if e := string(r); e[len(e)-1] == byte(b) {
				want = 700 - 10*i
				break
			}
		}
		if got := byteRank(byte(b)); got != want {
			t.Errorf("byteRank(%#x) = %d, want %d", b, got, want)
		}
	}
}

// BenchmarkFindWords finds a phrase at the end of 5 KB of text: the
// bench archive's generated words, and prose; "bytes.Index" is the scan
// for the first word that findWords made before indexRare.
func BenchmarkFindWords(b *testing.B) {
	for _, c := range []struct{ name, text, phrase string }{
		{"generated english", "ganan i todelber tipolru trasen bersen marfin riru stolo anrito rivo ganru vofinfin ", "north korean troops"},
		{"generated russian", "ганан и тоделбер типолру трасен берсен марфин риру столо анрито риво ганру вофинфин ", "северокорейские военные"},
		{"english prose", "Officials said on Monday that the talks between the two governments had stalled again, and that no new date was set. ", "north korean troops"},
		{"russian prose", "В понедельник официальные лица заявили, что переговоры между двумя правительствами снова зашли в тупик и новая дата не назначена. ", "северокорейские военные"},
	} {
		text := []byte(strings.Repeat(c.text, 5000/len(c.text)) + c.phrase)
		phrase := strings.Fields(c.phrase)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if !findWords(text, phrase) {
					b.Fatal("not found")
				}
			}
		})
		b.Run(c.name+", bytes.Index", func(b *testing.B) {
			first := []byte(phrase[0])
			for b.Loop() {
				if bytes.Index(text, first) < 0 {
					b.Fatal("not found")
				}
			}
		})
	}
}
