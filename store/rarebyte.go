package store

import (
	"bytes"
	"strings"
)

// Finding a word in a text: bytes.Index scans for the needle's first
// byte, which in news text is often common ('n', 't', or the lead byte
// 0xd0/0xd1 of every Cyrillic letter), and checks each place: about a
// nanosecond a byte. indexRare scans for the needle's rarest byte
// instead, with bytes.IndexByte, and checks only where it stands.

// Letters from the most common to the least, in English and in Russian
// news text.
const (
	englishByFrequency = "etaoinsrhldcumfpgwybvkxjqz"
	russianByFrequency = "оеаинтсрвлкмдпуяызьбгчйхжшюцщэфъё"
)

// byteRank is how common b is in news text, higher for more common.
func byteRank(b byte) int {
	switch {
	case b == ' ':
		return 1000
	case b == 0xd0 || b == 0xd1: // the lead byte of every basic Cyrillic letter
		return 900
	case 'a' <= b && b <= 'z':
		return 800 - 10*strings.IndexByte(englishByFrequency, b)
	case '0' <= b && b <= '9':
		return 300
	case b >= 0x80 && b < 0xc0: // a continuation byte: the commonest Russian letter ending in it
		// Every letter of russianByFrequency is two bytes: its last
		// byte stands at an odd index. (A phrase check ranks its first
		// word's bytes once per text: no runes decoded, nothing made.)
		for i := 1; i < len(russianByFrequency); i += 2 {
			if russianByFrequency[i] == b {
				return 700 - 10*(i/2)
			}
		}
	}
	return 0
}

// rarest returns the index of needle's least common byte (byteRank).
func rarest(needle []byte) int {
	best, rank := 0, byteRank(needle[0])
	for i := 1; i < len(needle); i++ {
		if r := byteRank(needle[i]); r < rank {
			best, rank = i, r
		}
	}
	return best
}

// indexRare returns the index of the first needle in s, or -1, as
// bytes.Index does; k is the index of a byte of needle (rarest) that
// it scans s for. When that byte turns out common in s (more than one
// place in 16 bytes to check), bytes.Index takes the rest of s: a text
// of one letter repeated costs no more than it would there.
func indexRare(s, needle []byte, k int) int {
	c := needle[k]
	fails := 0
	for off := k; off < len(s); {
		j := bytes.IndexByte(s[off:], c)
		if j < 0 {
			return -1
		}
		p := off + j - k
		if p+len(needle) <= len(s) && bytes.Equal(s[p:p+len(needle)], needle) {
			return p
		}
		off += j + 1
		if fails++; fails > 8+off/16 {
			// Every place up to p is ruled out.
			if r := bytes.Index(s[p+1:], needle); r >= 0 {
				return p + 1 + r
			}
			return -1
		}
	}
	return -1
}
