// How values are encoded: articles as zstd(JSON), raw pages as zstd,
// docs entries and time keys as big-endian bytes.

package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"sync"
	"time"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
)

// codec compresses raw pages and articles and decompresses both. One
// codec serves every goroutine of a store (EncodeAll and DecodeAll are
// safe for concurrent use); the store closes it.
type codec struct {
	enc  *zstd.Encoder // raw pages
	fast *zstd.Encoder // articles, read on every query that shows them: the fastest level
	dec  *zstd.Decoder
	// scratch is a buffer for what is decompressed only to be parsed or
	// copied (see withDecoded): a page of 50 articles would otherwise
	// take twice its text in fresh memory, page by page. scratchMu
	// guards it; a goroutine that finds it taken decodes into new memory.
	scratchMu sync.Mutex
	scratch   []byte
	// castagnoli sums S2 text frames (textframe.go).
	castagnoli *crc32.Table
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
	return &codec{enc: enc, fast: fast, dec: dec, castagnoli: crc32.MakeTable(crc32.Castagnoli)}, nil
}

// close stops the decoder's goroutines.
func (z *codec) close() { z.dec.Close() }

func (z *codec) compress(b []byte) []byte { return z.enc.EncodeAll(b, make([]byte, 0, len(b)/4)) }

func (z *codec) decompress(b []byte) ([]byte, error) { return z.dec.DecodeAll(b, nil) }

// withDecoded decompresses b into the scratch buffer (or, when another
// goroutine holds it, into new memory) and calls fn with it. The buffer
// is used again after fn returns: nothing fn is given may outlive the
// call (copy what must).
//
// kind is the kind of frame b is: a text frame of a value (splitValue,
// splitValueS2), or zstd (0).
func (z *codec) withDecoded(b []byte, kind byte, fn func(raw []byte) error) error {
	if !z.scratchMu.TryLock() {
		raw, err := z.decodeTextFrame(b, kind, nil)
		if err != nil {
			return err
		}
		return fn(raw)
	}
	defer z.scratchMu.Unlock()
	raw, err := z.decodeTextFrame(b, kind, z.scratch[:0])
	if err != nil {
		return err
	}
	z.scratch = raw
	return fn(raw)
}

// Articles are stored in two frames (schema 5):
//
//	0x02, uvarint length of the first frame,
//	zstd(JSON of every field but title and text),
//	CRC-32C and S2 of (uvarint length of the title, title, text)
//
// so that a phrase check decompresses the title and text alone and
// parses no JSON (textframe.go). A title and text over maxS2Text, and
// the values schemas 2 to 4 wrote, have a zstd text frame after 0x01;
// a value written before (schema 1) is one frame, zstd(JSON of every
// field). All still read.
//
// encodeArticle first cleans a's text fields in place (see cleanArticle).
func (z *codec) encodeArticle(a *Article) ([]byte, error) {
	cleanArticle(a)
	return z.encodeClean(a)
}

// encodeClean is encodeArticle of an article already cleaned.
func (z *codec) encodeClean(a *Article) ([]byte, error) {
	meta := *a
	meta.Title, meta.Text = "", ""
	js, err := json.Marshal(&meta)
	if err != nil {
		return nil, fmt.Errorf("store: encode article: %w", err)
	}
	jz := z.fast.EncodeAll(js, make([]byte, 0, len(js)/2))
	body := make([]byte, 0, binary.MaxVarintLen64+len(a.Title)+len(a.Text))
	title, text := asJSON(a.Title), asJSON(a.Text)
	body = binary.AppendUvarint(body, uint64(len(title)))
	body = append(append(body, title...), text...)
	kind := byte(splitValueS2)
	if len(body) > maxS2Text {
		kind = splitValue
	}
	room := len(body) / 2
	if kind == splitValueS2 {
		room = 4 + s2.MaxEncodedLen(len(body)) // what appendS2Text asks, at once
	}
	out := make([]byte, 0, 1+binary.MaxVarintLen64+len(jz)+room)
	out = append(out, kind)
	out = binary.AppendUvarint(out, uint64(len(jz)))
	out = append(out, jz...)
	if kind == splitValueS2 {
		return z.appendS2Text(out, body), nil
	}
	return z.fast.EncodeAll(body, out), nil
}

// splitValue starts an article value of two frames, the text a zstd
// frame (a zstd frame starts with 0x28); splitValueS2 (textframe.go),
// one whose text frame is S2.
const splitValue = 0x01

// articleParts splits a value into its JSON frame and its text frame
// (nil for a one-frame value), and says what kind of value it is
// (splitValue, splitValueS2; 0 for one frame).
func articleParts(v []byte) (meta, body []byte, kind byte, err error) {
	if len(v) == 0 || v[0] != splitValue && v[0] != splitValueS2 {
		return v, nil, 0, nil
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n > uint64(len(v)-1-w) {
		return nil, nil, 0, fmt.Errorf("store: decode article: bad frame length")
	}
	return v[1+w : 1+w+int(n)], v[1+w+int(n):], v[0], nil
}

// decodeBody decompresses a text frame of a value of kind into the
// title and the text.
func (z *codec) decodeBody(b []byte, kind byte) (title, text string, err error) {
	err = z.withDecoded(b, kind, func(raw []byte) error {
		n, w := binary.Uvarint(raw)
		if w <= 0 || n > uint64(len(raw)-w) {
			return fmt.Errorf("bad title length")
		}
		title, text = string(raw[w:w+int(n)]), string(raw[w+int(n):])
		return nil
	})
	if err != nil {
		return "", "", fmt.Errorf("store: decode article text: %w", err)
	}
	return title, text, nil
}

// decodeArticle decodes the value of key k. The id comes from the key:
// an article encoded before its id was known (Prepare) holds none.
func (z *codec) decodeArticle(k, v []byte) (*Article, error) {
	if v == nil {
		return nil, ErrNotFound
	}
	meta, body, kind, err := articleParts(v)
	if err != nil {
		return nil, err
	}
	a := new(Article)
	// The JSON is decompressed out of v, into scratch; Unmarshal copies
	// what it keeps: nothing of v escapes the transaction.
	if err := z.withDecoded(meta, 0, func(js []byte) error { return json.Unmarshal(js, a) }); err != nil {
		return nil, fmt.Errorf("store: decode article: %w", err)
	}
	if body != nil {
		if a.Title, a.Text, err = z.decodeBody(body, kind); err != nil {
			return nil, err
		}
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
	known           bool // read from a docs entry (parseDoc of none: false)
}

func parseDoc(v []byte) docInfo {
	if len(v) < 17 {
		return docInfo{}
	}
	return docInfo{binary.BigEndian.Uint64(v), binary.BigEndian.Uint64(v[8:]), v[16], string(v[17:]), true}
}

func timeBits(t time.Time) uint64 { return uint64(t.UnixNano()) ^ (1 << 63) }

func bitsTime(b uint64) time.Time { return time.Unix(0, int64(b^(1<<63))).UTC() }
