// Package stories groups articles that are copies or near-copies of each
// other (wire reprints, rewrites of one agency text, one page under two
// URLs) with MinHash over word shingles and LSH banding, and detects
// news-agency credits. It reads and writes through the store's API.
package stories

import (
	"unicode"
	"unicode/utf8"
)

// Parameters of the signature. Changing them needs a rebuild
// (feedvault stories reindex).
const (
	Shingle   = 4  // words per shingle
	Hashes    = 64 // signature length
	Rows      = 2  // signature values per LSH band (32 bands)
	MinWords  = 25 // fewer words than this: not compared
	Threshold = 0.35
	TailWords = 25 // words at the end left out of the signature
)

// Sign takes four permutations per pass: Hashes must be a multiple of 4.
var _ = [1]struct{}{}[Hashes%4]

// mult and add are the fixed permutations h_i(x) = mult_i·x + add_i of
// the 64-bit shingle hashes, from splitmix64 so signatures are the same
// in every run.
var mult, add = func() (m, a [Hashes]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range m {
		m[i], a[i] = next()|1, next()
	}
	return
}()

// FNV-1a 64, the word hash.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// words splits text into lower-cased words of letters and digits and
// returns the FNV-1a hash of each (over the rune's bytes, low byte
// first). ASCII takes a path without rune decoding; the hashes are the
// same either way.
func words(text string) []uint64 {
	out := make([]uint64, 0, len(text)/5+1)
	h, in := uint64(fnvOffset), false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				if in {
					out = append(out, h)
					h, in = fnvOffset, false
				}
				continue
			}
			h = (h ^ uint64(c)) * fnvPrime
			in = true
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			for ; r > 0; r >>= 8 {
				h ^= uint64(r & 0xff)
				h *= fnvPrime
			}
			in = true
			continue
		}
		if in {
			out = append(out, h)
			h, in = fnvOffset, false
		}
	}
	if in {
		out = append(out, h)
	}
	return out
}

// Sign computes the MinHash signature of text over shingles of Shingle
// words. ok is false when the text has fewer than MinWords words: too
// little to tell a copy from a coincidence.
func Sign(text string) (sig []uint32, ok bool) {
	ws := words(text)
	if len(ws) < MinWords {
		return nil, false
	}
	// The last words are where outlets put sign-offs no rule knows
	// ("… has served readers since 1911; tips to …"): leave them out
	// when enough text remains, so two short texts do not meet there.
	if len(ws) >= MinWords+TailWords {
		ws = ws[:len(ws)-TailWords]
	}
	// Shingle hashes, in place: shingle i needs words i to i+Shingle-1,
	// and word i is not read again once shingle i is written.
	n := len(ws) - Shingle + 1
	for i := range n {
		s := ws[i]
		for _, w := range ws[i+1 : i+Shingle] {
			s = (s^w)*0x100000001b3 + 0x9e3779b97f4a7c15
			s ^= s >> 29
		}
		ws[i] = s
	}
	sh := ws[:n]
	// Each permutation's minimum, four permutations per pass over the
	// shingles: the four minima are independent, so they run side by side.
	sig = make([]uint32, Hashes)
	for j := 0; j < Hashes; j += 4 {
		m0, m1, m2, m3 := mult[j], mult[j+1], mult[j+2], mult[j+3]
		a0, a1, a2, a3 := add[j], add[j+1], add[j+2], add[j+3]
		v0, v1, v2, v3 := ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
		for _, s := range sh {
			v0 = min(v0, s*m0+a0)
			v1 = min(v1, s*m1+a1)
			v2 = min(v2, s*m2+a2)
			v3 = min(v3, s*m3+a3)
		}
		sig[j], sig[j+1], sig[j+2], sig[j+3] = uint32(v0>>32), uint32(v1>>32), uint32(v2>>32), uint32(v3>>32)
	}
	return sig, true
}

// Similarity estimates the Jaccard resemblance of the shingle sets of
// two signatures: the share of positions where they agree.
func Similarity(a, b []uint32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}
