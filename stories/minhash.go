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

// words splits text into lower-cased words of letters and digits and
// returns the FNV-1a hash of each.
func words(text string) []uint64 {
	var out []uint64
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
			out = append(out, h)
			h, in = 14695981039346656037, false
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
	sig = make([]uint32, Hashes)
	for j, v := range mins {
		sig[j] = uint32(v >> 32)
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
