package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// Re-extraction runs within the budget it is given (the config's
// memory_budget): a page that a small budget cuts is extracted whole
// within the default one, and the other way round.
func TestReextractWithinItsBudget(t *testing.T) {
	var page strings.Builder
	page.WriteString("<html><head><title>Long story</title></head><body><article>")
	for i := 0; page.Len() < 2*MaxExtractBytes(16<<20); i++ {
		fmt.Fprintf(&page, `<div class="para"><p>Sentence %d of the long story about the harbour, which reopened after a winter of repairs.</p></div>`, i)
	}
	page.WriteString("<p>The last sentence of the long story.</p></article></body></html>")
	raw := []byte(page.String())
	if len(raw) > MaxExtractBytes(fetcher.DefaultBudget) {
		t.Fatalf("page of %d bytes: the default budget would cut it too", len(raw))
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &store.Article{URL: "https://news.example.org/long", FinalURL: "https://news.example.org/long", Outlet: "o", Title: "Long story", ContentType: "text/html; charset=utf-8", Status: 200}
	if _, _, err := st.Put(a, raw); err != nil {
		t.Fatal(err)
	}
	rules := map[string]*extractor.CompiledRules{}
	for _, tc := range []struct {
		budget int64
		cut    bool
	}{
		{16 << 20, true},
		{0, false}, // the default
		{fetcher.DefaultBudget, false},
	} {
		t.Run(fmt.Sprint(tc.budget), func(t *testing.T) {
			if _, err := ReextractProgress(context.Background(), st, rules, nil, tc.budget, nil); err != nil {
				t.Fatal(err)
			}
			got, err := st.GetByURL(a.URL)
			if err != nil {
				t.Fatal(err)
			}
			if cut := slices.Contains(got.Flags, FlagCut); cut != tc.cut {
				t.Errorf("within a budget of %d bytes: flagged cut %v, want %v", tc.budget, cut, tc.cut)
			}
			if whole := strings.Contains(got.Text, "The last sentence of the long story."); whole == tc.cut {
				t.Errorf("within a budget of %d bytes: last sentence kept %v, want %v", tc.budget, whole, !tc.cut)
			}
		})
	}
}

// TestReextractInterruptedSaysSo: a reextract stopped by a signal said
// only "context canceled"; it must say it was interrupted, how far it
// got, and that running it again redoes the rest.
func TestReextractInterruptedSaysSo(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range 60 { // each send races the cancelled context: all 60 going through is 2^-60
		a := &store.Article{URL: fmt.Sprintf("https://news.example.org/%d", i), Outlet: "o", Title: "T", ContentType: "text/html"}
		if _, _, err := st.Put(a, []byte("<html><body><article><p>Words of the story.</p></article></body></html>")); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Reextract(ctx, st, nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("reextract with a cancelled context: %v", err)
	}
	for _, want := range []string{"interrupted after ", "run it again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

// An article archived before the pipeline undated dates outside the span
// the archive orders by (filed under a wrapped-around time) is mended by
// reextract, which check names as the remedy: with a stored page or
// without, it ends undated, flagged, and check finds nothing.
func TestReextractMendsDatesOutsideTheRange(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	y3000 := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	seen := time.Date(2024, 10, 1, 12, 0, 0, 0, time.UTC)
	page := []byte(`<html><head><title>T</title></head><body><article><p>The harbour reopened after a winter of repairs, the port authority said on Monday.</p></article></body></html>`)
	arts := []struct {
		a   *store.Article
		raw []byte
	}{
		{&store.Article{URL: "https://x.org/page", FinalURL: "https://x.org/page", Outlet: "x", Title: "T", Published: y3000, FirstSeen: seen, ContentType: "text/html", Status: 200}, page},
		{&store.Article{URL: "https://x.org/feed-only", Outlet: "x", Title: "F", Text: "from the feed", Published: y3000, FirstSeen: seen}, nil},
		{&store.Article{URL: "https://x.org/fine", Outlet: "x", Title: "G", Text: "dated well", Published: seen, FirstSeen: seen}, nil},
	}
	for _, x := range arts {
		if _, _, err := st.Put(x.a, x.raw); err != nil {
			t.Fatal(err)
		}
	}
	if problems, err := st.Check(); err != nil || len(problems) != 2 {
		t.Fatalf("before: check %q, %v; want the two articles of 3000", problems, err)
	}
	if _, err := Reextract(context.Background(), st, nil, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if problems, err := st.Check(); err != nil || len(problems) > 0 {
		t.Errorf("after reextract: check %q, %v", problems, err)
	}
	for _, x := range arts {
		got, err := st.GetByURL(x.a.URL)
		if err != nil {
			t.Fatal(err)
		}
		wantUndated := x.a.Published.Equal(y3000)
		if got.Published.IsZero() != wantUndated || slices.Contains(got.Flags, FlagDateOutOfRange) != wantUndated {
			t.Errorf("%s: published %v, flags %v; undated and flagged: %v", x.a.URL, got.Published, got.Flags, wantUndated)
		}
		if x.raw == nil && got.Text != x.a.Text {
			t.Errorf("%s: text %q, want %q kept", x.a.URL, got.Text, x.a.Text)
		}
	}
}
