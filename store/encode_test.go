package store

import (
	"runtime"
	"strings"
	"testing"
)

// Decoding an article's text for a page takes fresh memory for the
// strings it returns and nothing else: the decompressed frame goes to a
// scratch buffer used again (a page of 50 articles would otherwise touch
// twice its text in new pages). The same for a phrase check, which keeps
// nothing.
func TestDecodingUsesScratch(t *testing.T) {
	z, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	defer z.close()
	a := &Article{URL: "https://x.org/a", Title: "Troops", Text: strings.Repeat("North Korean troops were seen near Kursk. ", 2000)}
	v, err := z.encodeArticle(a)
	if err != nil {
		t.Fatal(err)
	}
	_, body, kind, err := articleParts(v)
	if err != nil || body == nil {
		t.Fatalf("parts: %v", err)
	}
	var title, text string
	bodyBytes := allocatedPerCall(func() { title, text, _ = z.decodeBody(body, kind) })
	if title != a.Title || text != a.Text {
		t.Fatalf("decoded %q, %d bytes of text", title, len(text))
	}
	// The decoder's own state may take up to decoderSlack a call (it
	// does under the race detector, whose pools drop what they are given).
	const decoderSlack = 32 << 10
	if max := int64(len(a.Title)+len(a.Text)) + decoderSlack; bodyBytes > max {
		t.Errorf("decodeBody takes %d bytes an article, want at most %d (its strings)", bodyBytes, max)
	}
	var buf []byte
	found := true
	phraseBytes := allocatedPerCall(func() {
		var ok bool
		ok, buf, _ = z.hasPhraseIn(v, "", []string{"korean", "troops"}, buf)
		found = found && ok
	})
	if !found {
		t.Fatal("phrase not found")
	}
	if phraseBytes > decoderSlack {
		t.Errorf("a phrase check takes %d bytes an article, want none to speak of", phraseBytes)
	}
}

// allocatedPerCall is the heap memory fn allocates a call, over 50 calls
// after a first one (which may fill a pool).
func allocatedPerCall(fn func()) int64 {
	fn()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 50 {
		fn()
	}
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc-before.TotalAlloc) / 50
}
