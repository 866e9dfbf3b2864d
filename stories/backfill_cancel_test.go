package stories

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/store"
)

// TestBackfillInterruptedSaysSo: a backfill stopped by a signal said
// "stories: backfill: context canceled"; it must say it was interrupted
// and that running it again files the rest.
func TestBackfillInterruptedSaysSo(t *testing.T) {
	st := openTemp(t)
	for i := range 20 {
		if _, _, err := st.Put(&store.Article{URL: fmt.Sprintf("https://o.example/%d", i), Outlet: "o", Text: "words of a story"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Backfill(ctx, st, false)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("backfill with a cancelled context: %v", err)
	}
	for _, want := range []string{"interrupted after filing ", "again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}
