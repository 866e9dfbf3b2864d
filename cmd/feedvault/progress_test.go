package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProgressDraws: the display shows the verb, units done of the
// total, the counters and a rate; log lines written meanwhile are kept.
func TestProgressDraws(t *testing.T) {
	var b syncBuffer
	tp := newTermProgress(&b, 100, "polling", "feeds", 0, "pages", "archived")
	tp.Total(4)
	for i := 0; i < 3; i++ {
		tp.Done(1)
		tp.Count("pages")
		tp.Count("archived")
	}
	tp.Count("pages")
	// Wait for a frame that shows it (mpb draws every 200 ms).
	for i := 0; i < 500 && !strings.Contains(b.String(), "pages 4 · archived 3"); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	tp.finish()
	out := b.String()
	for _, want := range []string{"polling", "3/4 feeds", "pages 4 · archived 3", "feeds/s", "ETA"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the progress output:\n%q", want, out)
		}
	}
}

// TestNoProgressWhenNotATerminal: with standard error not a terminal (a
// pipe, a file, cron), run, import and export print no progress: no
// carriage returns, no escape sequences, no bar.
func TestNoProgressWhenNotATerminal(t *testing.T) {
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	if tp, stop := startProgress(e, "x", "feeds", 1); tp != nil {
		stop()
		t.Fatal("progress on a buffer")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	web := newHitWeb(t)
	cfg := writeConfig(t, dir, web.URL+"/a.xml", web.URL+"/b.xml")
	outputs := map[string][]string{
		"run":       {"run", "--config", cfg, "--db", db},
		"import":    {"import", "--db", db, importFixture(t, dir)},
		"export":    {"export", "--db", db, "--out", filepath.Join(dir, "x.jsonl")},
		"reextract": {"reextract", "--db", db, "--config", cfg},
		"reindex":   {"reindex", "--db", db},
	}
	for _, name := range []string{"run", "import", "export", "reextract", "reindex"} {
		code, out, errs := cli(ctx, outputs[name]...)
		if code != 0 {
			t.Fatalf("%s: %d %s", name, code, errs)
		}
		if strings.ContainsAny(out+errs, "\r\x1b") || strings.Contains(errs, "polling") || strings.Contains(errs, "importing") ||
			strings.Contains(errs, "exporting") || strings.Contains(errs, "re-extracting") || strings.Contains(errs, "reindexing") {
			t.Errorf("%s printed progress:\n%q\n%q", name, out, errs)
		}
	}
}
