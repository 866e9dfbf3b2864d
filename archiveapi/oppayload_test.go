package archiveapi

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/store"
)

// TestOpPayloadIsTheBodyExactly: an op's payload reached the op with
// the newline that ends the request object in front of it, so an import
// through the daemon named the line after the bad one ("bad.jsonl:3"
// for line 2); through the file it was right. The op now gets the
// payload as the client sent it, byte for byte.
func TestOpPayloadIsTheBodyExactly(t *testing.T) {
	path := seed(t, t.TempDir())
	got := make(chan string, 1)
	ops := map[string]Op{"import": func(ctx context.Context, st *store.Store, _ json.RawMessage, body io.Reader) (any, error) {
		b, err := io.ReadAll(body)
		got <- string(b)
		return map[string]int{"bytes": len(b)}, err
	}}
	_, _, stop := serve(t, path, DefaultLimits(), ops)
	defer stop()
	r, err := Dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, payload := range []string{"{\"a\":1}\n{\"b\":2}\n", "\n\nline 3\n", "", "no newline at all"} {
		t.Run(strings.ReplaceAll(payload, "\n", `\n`), func(t *testing.T) {
			var out any
			if err := r.(*remote).op(context.Background(), "import", nil, strings.NewReader(payload), &out); err != nil {
				t.Fatal(err)
			}
			if b := <-got; b != payload {
				t.Errorf("the op got %q, the client sent %q", b, payload)
			}
		})
	}
}
