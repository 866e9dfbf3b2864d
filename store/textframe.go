package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/klauspost/compress/s2"
)

// An article's text frame (its title and text, apart from the JSON of
// its other fields) is S2 (klauspost/compress/s2, block format) after a
// CRC-32C of the bytes it holds: S2 decodes a 5 KB text in a third of
// the time zstd takes (a phrase check decodes the text of every
// candidate), and the sum stands for the checksum a zstd frame carries,
// so a damaged text is an error, never other text. Values written
// before (a zstd text frame, or one zstd frame of everything) still
// read; a title and text longer than maxS2Text are written as zstd.

// splitValueS2 starts an article value whose text frame is S2.
const splitValueS2 = 0x02

// maxS2Text is the longest title and text written as S2, well inside
// S2's largest block (4 MB); a damaged frame that claims more is
// refused before any memory is taken for it.
const maxS2Text = 1 << 20

var errTextSum = errors.New("text frame: checksum mismatch")

// appendS2Text appends the text frame of body (uvarint length of the
// title, title, text) to out.
func (z *codec) appendS2Text(out, body []byte) []byte {
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(body, z.castagnoli))
	n := len(out)
	out = append(out, make([]byte, s2.MaxEncodedLen(len(body)))...)
	enc := s2.EncodeBetter(out[n:], body)
	return out[:n+len(enc)]
}

// decodeTextFrame decompresses a text frame of a value of kind (splitValue:
// zstd; splitValueS2: S2) into dst's memory when it has room.
func (z *codec) decodeTextFrame(body []byte, kind byte, dst []byte) ([]byte, error) {
	if kind != splitValueS2 {
		return z.dec.DecodeAll(body, dst)
	}
	if len(body) < 4 {
		return nil, fmt.Errorf("text frame: %d bytes", len(body))
	}
	sum, block := binary.LittleEndian.Uint32(body), body[4:]
	n, err := s2.DecodedLen(block)
	if err != nil {
		return nil, fmt.Errorf("text frame: %w", err)
	}
	if n > maxS2Text {
		return nil, fmt.Errorf("text frame: says it holds %d bytes, more than any written (%d)", n, maxS2Text)
	}
	if cap(dst) < n {
		dst = make([]byte, n)
	}
	raw, err := s2.Decode(dst[:cap(dst)], block)
	if err != nil {
		return nil, fmt.Errorf("text frame: %w", err)
	}
	if crc32.Checksum(raw, z.castagnoli) != sum {
		return nil, errTextSum
	}
	return raw, nil
}
