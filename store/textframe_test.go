package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
)

// An article's text is written as S2 (up to maxS2Text), longer ones as
// zstd, and both read back the same, with a phrase found in either; so
// do the values written before S2 (a zstd text frame, or one zstd frame
// of everything).
func TestTextFrameKinds(t *testing.T) {
	z, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	defer z.close()
	for _, c := range []struct {
		name, text string
		kind       byte
	}{
		{"empty", "", splitValueS2},
		{"short", "North Korean troops were seen near Kursk.", splitValueS2},
		{"Cyrillic", strings.Repeat("Северокорейские военные замечены под Курском. ", 200), splitValueS2},
		{"at the limit", strings.Repeat("x", maxS2Text-100) + " north korean troops", splitValueS2},
		{"past the limit", strings.Repeat("north korean troops ", maxS2Text/10), splitValue},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := &Article{URL: "https://x.org/a", Title: "Troops", Text: c.text, Authors: []string{"Ann One"}}
			v, err := z.encodeArticle(a)
			if err != nil {
				t.Fatal(err)
			}
			if v[0] != c.kind {
				t.Fatalf("value kind %#x, want %#x", v[0], c.kind)
			}
			// The same article as the values written before S2.
			meta, body, kind, err := articleParts(v)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := z.decodeTextFrame(body, kind, nil)
			if err != nil {
				t.Fatal(err)
			}
			zstdText := append(binary.AppendUvarint([]byte{splitValue}, uint64(len(meta))), meta...)
			zstdText = z.fast.EncodeAll(raw, zstdText)
			js, _ := json.Marshal(a)
			oneFrame := z.fast.EncodeAll(js, nil)
			for _, form := range []struct {
				name string
				v    []byte
			}{{"as written", v}, {"zstd text frame", zstdText}, {"one zstd frame", oneFrame}} {
				got, err := z.decodeArticle(u64(7), form.v)
				if err != nil {
					t.Fatalf("%s: %v", form.name, err)
				}
				if got.Title != a.Title || got.Text != a.Text || got.URL != a.URL || len(got.Authors) != 1 {
					t.Fatalf("%s: read back %q, %d bytes of text", form.name, got.Title, len(got.Text))
				}
				want := strings.Contains(c.text, "north korean troops") || strings.Contains(c.text, "North Korean troops")
				if found, _, err := z.hasPhraseIn(form.v, "", []string{"north", "korean", "troops"}, nil); err != nil || found != want {
					t.Fatalf("%s: phrase found %v (%v), want %v", form.name, found, err, want)
				}
			}
		})
	}
}

// A damaged S2 text frame is an error, never other text: a flipped byte
// anywhere in it, a cut, or a length past what is ever written.
func TestTextFrameDamage(t *testing.T) {
	z, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	defer z.close()
	a := &Article{URL: "https://x.org/a", Title: "Troops", Text: strings.Repeat("North Korean troops were seen near Kursk. ", 50)}
	v, err := z.encodeArticle(a)
	if err != nil {
		t.Fatal(err)
	}
	_, body, kind, err := articleParts(v)
	if err != nil || kind != splitValueS2 {
		t.Fatalf("kind %#x, %v", kind, err)
	}
	start := len(v) - len(body)
	for i := start; i < len(v); i++ {
		for _, flip := range []byte{0x01, 0x80} {
			d := bytes.Clone(v)
			d[i] ^= flip
			if got, err := z.decodeArticle(u64(1), d); err == nil {
				t.Fatalf("byte %d of the text frame flipped (%#x): read %d bytes of text, no error", i-start, flip, len(got.Text))
			}
		}
	}
	for cut := start; cut < len(v); cut += 7 {
		if _, err := z.decodeArticle(u64(1), v[:cut]); err == nil {
			t.Fatalf("cut at %d of %d: no error", cut, len(v))
		}
	}
	// A frame that says it holds 64 MB.
	huge := binary.LittleEndian.AppendUint32(nil, 0)
	huge = binary.AppendUvarint(huge, 64<<20)
	if _, err := z.decodeTextFrame(append(huge, 0, 0, 0), splitValueS2, nil); err == nil || !strings.Contains(err.Error(), "more than any written") {
		t.Fatalf("a frame of 64 MB: %v", err)
	}
}

// FuzzTextFrame: any bytes as an S2 text frame give text whose sum
// matches, or an error; never a panic.
func FuzzTextFrame(f *testing.F) {
	z, err := newCodec()
	if err != nil {
		f.Fatal(err)
	}
	defer z.close()
	v, _ := z.encodeArticle(&Article{Title: "t", Text: "some text, some more text"})
	_, body, _, _ := articleParts(v)
	f.Add(body)
	f.Add([]byte{0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		raw, err := z.decodeTextFrame(b, splitValueS2, nil)
		if err == nil && len(raw) > maxS2Text {
			t.Fatalf("%d bytes decoded", len(raw))
		}
	})
}
