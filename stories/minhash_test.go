package stories

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// signRef is Sign as it was first written (a rune loop, one pass per
// permutation), kept as the reference: signatures are stored in
// archives, so a faster Sign must give the same values.
func signRef(text string) ([]uint32, bool) {
	var ws []uint64
	h, in := uint64(14695981039346656037), false
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			for ; r > 0; r >>= 8 {
				h ^= uint64(r & 0xff)
				h *= 1099511628211
			}
			in = true
			continue
		}
		if in {
			ws = append(ws, h)
			h, in = 14695981039346656037, false
		}
	}
	if in {
		ws = append(ws, h)
	}
	if len(ws) < MinWords {
		return nil, false
	}
	if len(ws) >= MinWords+TailWords {
		ws = ws[:len(ws)-TailWords]
	}
	var mins [Hashes]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	for i := 0; i+Shingle <= len(ws); i++ {
		s := ws[i]
		for _, w := range ws[i+1 : i+Shingle] {
			s = (s^w)*0x100000001b3 + 0x9e3779b97f4a7c15
			s ^= s >> 29
		}
		for j := range mins {
			if v := s*mult[j] + add[j]; v < mins[j] {
				mins[j] = v
			}
		}
	}
	sig := make([]uint32, Hashes)
	for j, v := range mins {
		sig[j] = uint32(v >> 32)
	}
	return sig, true
}

// The fast Sign gives the reference's signatures on the evaluation set
// and on texts that take every path of the word splitter.
func TestSignMatchesReference(t *testing.T) {
	texts := []string{
		strings.Repeat("North Korea fired two missiles into the sea on Thursday, officials said. ", 8),
		strings.Repeat("МОСКВА, 5 ноября. /ТАСС/. Президент России заявил журналистам, что переговоры продолжатся. ", 6),
		strings.Repeat("Ärzte in München_und Zürich: 3,5 % mehr — «Grüße» 東京で会議が開かれた ÉTÉ İstanbul ǅ 12ab ", 9),
		strings.Repeat("broken \xff\xfe utf8 \x00 with\tcontrol\u00a0spaces and CAPS words 42 ", 10),
	}
	for _, it := range loadEval(t) {
		texts = append(texts, it.Text)
	}
	for i, text := range texts {
		want, wok := signRef(text)
		got, gok := Sign(text)
		if wok != gok || !slices.Equal(got, want) {
			t.Fatalf("text %d (%.40q…): Sign = %v %v, reference %v %v", i, text, got, gok, want, wok)
		}
	}
}

func FuzzSignMatchesReference(f *testing.F) {
	f.Add(strings.Repeat("SEOUL (Yonhap) -- North Korea fired two short-range missiles. ", 6))
	f.Add(strings.Repeat("Österreich ÄÖÜ straße İ ı \xc0\x80 ", 20))
	f.Fuzz(func(t *testing.T, s string) {
		want, wok := signRef(s)
		got, gok := Sign(s)
		if wok != gok || !slices.Equal(got, want) {
			t.Fatalf("Sign = %v %v, reference %v %v", got, gok, want, wok)
		}
	})
}

// BenchmarkSignRef is the reference signature, the anchor for BenchmarkSign.
func BenchmarkSignRef(b *testing.B) {
	arts := corpus(1000)
	for i := 0; b.Loop(); i++ {
		signRef(Text(arts[i%len(arts)]))
	}
}
