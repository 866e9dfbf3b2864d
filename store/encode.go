// How values are encoded: articles as zstd(JSON), raw pages as zstd,
// docs entries and time keys as big-endian bytes.

package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/klauspost/compress/zstd"
)

// codec compresses raw pages and articles and decompresses both. One
// codec serves every goroutine of a store (EncodeAll and DecodeAll are
// safe for concurrent use); the store closes it.
type codec struct {
	enc  *zstd.Encoder // raw pages
	fast *zstd.Encoder // articles, read on every query that shows them: the fastest level
	dec  *zstd.Decoder
}

func newCodec() (*codec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("store: zstd: %w", err)
	}
	fast, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("store: zstd: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, fmt.Errorf("store: zstd: %w", err)
	}
	return &codec{enc: enc, fast: fast, dec: dec}, nil
}

// close stops the decoder's goroutines.
func (z *codec) close() { z.dec.Close() }

func (z *codec) compress(b []byte) []byte { return z.enc.EncodeAll(b, make([]byte, 0, len(b)/4)) }

func (z *codec) decompress(b []byte) ([]byte, error) { return z.dec.DecodeAll(b, nil) }

// Articles are stored as zstd-compressed JSON. encodeArticle first
// cleans a's text fields in place (see cleanArticle).
func (z *codec) encodeArticle(a *Article) ([]byte, error) {
	cleanArticle(a)
	v, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("store: encode article: %w", err)
	}
	return z.fast.EncodeAll(v, make([]byte, 0, len(v)/3)), nil
}

// decodeArticle decodes the value of key k. The id comes from the key:
// an article encoded before its id was known (Prepare) holds none.
func (z *codec) decodeArticle(k, v []byte) (*Article, error) {
	if v == nil {
		return nil, ErrNotFound
	}
	js, err := z.decompress(v) // a new slice: nothing of v escapes the transaction
	if err != nil {
		return nil, fmt.Errorf("store: decode article: %w", err)
	}
	a := new(Article)
	if err := json.Unmarshal(js, a); err != nil {
		return nil, fmt.Errorf("store: decode article: %w", err)
	}
	if len(k) == 8 {
		a.ID = binary.BigEndian.Uint64(k)
	}
	return a, nil
}

// doc flags
const (
	docEdited = 1 << iota
	docTakenDown
	docNotFetched
)

// docInfo is what queries filter and sort on, without decoding articles:
// published (8 BE, sign bit flipped), first seen (8), flags (1), outlet.
func docValue(a *Article) []byte {
	b := make([]byte, 17, 17+len(a.Outlet))
	binary.BigEndian.PutUint64(b, timeBits(a.SortTime()))
	binary.BigEndian.PutUint64(b[8:], timeBits(a.FirstSeen))
	var f byte
	if a.Edited {
		f |= docEdited
	}
	if !a.TakenDown.IsZero() {
		f |= docTakenDown
	}
	if a.FetchError != "" {
		f |= docNotFetched
	}
	if a.Published.IsZero() {
		f |= docUndated
	}
	b[16] = f
	return append(b, a.Outlet...)
}

type docInfo struct {
	published, seen uint64 // timeBits
	flags           byte
	outlet          string
}

func parseDoc(v []byte) docInfo {
	if len(v) < 17 {
		return docInfo{}
	}
	return docInfo{binary.BigEndian.Uint64(v), binary.BigEndian.Uint64(v[8:]), v[16], string(v[17:])}
}

func timeBits(t time.Time) uint64 { return uint64(t.UnixNano()) ^ (1 << 63) }

func bitsTime(b uint64) time.Time { return time.Unix(0, int64(b^(1<<63))).UTC() }
