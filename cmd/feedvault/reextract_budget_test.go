package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/pipeline"
	"github.com/feedvault/feedvault/store"
)

// reextract extracts within the config's memory_budget, as run does: a
// page that the default budget extracts whole is cut, and flagged, under
// a small one, and whole again without it.
func TestReextractUsesTheConfigBudget(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	var page strings.Builder
	page.WriteString("<html><head><title>Long story</title></head><body><article>")
	for i := 0; page.Len() < 2*pipeline.MaxExtractBytes(16<<20); i++ {
		fmt.Fprintf(&page, `<div class="para"><p>Sentence %d of the long story about the harbour, which reopened after a winter of repairs.</p></div>`, i)
	}
	page.WriteString("<p>The last sentence of the long story.</p></article></body></html>")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Article{URL: "https://news.example.org/long", FinalURL: "https://news.example.org/long", Outlet: "harbourpost", Title: "Long story", ContentType: "text/html; charset=utf-8", Status: 200}
	if _, _, err := st.Put(a, []byte(page.String())); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, tc := range []struct {
		budget string // memory_budget in the config, "" for none
		cut    bool
	}{
		{"16MiB", true},
		{"", false},
	} {
		t.Run("memory_budget "+tc.budget, func(t *testing.T) {
			cfg := filepath.Join(dir, "feeds.yaml")
			y := "outlets:\n  - name: harbourpost\n    feeds:\n      - https://news.example.org/feed.xml\n"
			if tc.budget != "" {
				y = "defaults:\n  memory_budget: " + tc.budget + "\n" + y
			}
			if err := os.WriteFile(cfg, []byte(y), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := cli(ctx, "reextract", "--db", db, "--config", cfg); code != exitOK {
				t.Fatalf("reextract: %d %s %s", code, out, errs)
			}
			st, err := store.Open(db, store.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			got, err := st.GetByURL(a.URL)
			if err != nil {
				t.Fatal(err)
			}
			if cut := slices.Contains(got.Flags, pipeline.FlagCut); cut != tc.cut {
				t.Errorf("flagged cut %v, want %v", cut, tc.cut)
			}
		})
	}
}
