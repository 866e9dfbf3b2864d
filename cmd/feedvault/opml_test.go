package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFeedsImportExportOPML drives the two commands: --dry-run prints a
// diff and writes nothing; the import writes a config that loads, keeps
// the file's mode and its comments; export-opml of it imports into an
// empty-handed config as the same outlets.
func TestFeedsImportExportOPML(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "feeds.yaml")
	base, err := os.ReadFile(filepath.Join("..", "..", "config", "testdata", "opml", "base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg, base, 0o640)
	list := filepath.Join("..", "..", "config", "testdata", "opml", "feedly.opml")

	code, out, errs := cli(ctx, "feeds", "import-opml", "--config", cfg, "--dry-run", list)
	if code != 0 || !strings.Contains(out, "+  - name: tass") || !strings.Contains(out, "--- "+cfg) || !strings.Contains(errs, "nothing written") {
		t.Fatalf("dry run: %d\n%s\n%s", code, out, errs)
	}
	if now, _ := os.ReadFile(cfg); string(now) != string(base) {
		t.Fatal("--dry-run wrote the config")
	}
	code, out, errs = cli(ctx, "feeds", "import-opml", "--config", cfg, list)
	if code != 0 || !strings.Contains(out, "5 new (2 new outlets), 1 already in") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	now, _ := os.ReadFile(cfg)
	if !strings.HasPrefix(string(now), "# A researcher's config") || !strings.Contains(string(now), "# Settings come last in this file, on purpose.") {
		t.Errorf("comments lost:\n%s", now)
	}
	if fi, _ := os.Stat(cfg); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	if code, out, _ := cli(ctx, "feeds", "--config", cfg, "--db", filepath.Join(dir, "a.db"), "--format", "jsonl"); code != 0 || strings.Count(out, "\n") != 8 {
		t.Errorf("feeds after import: %d, %d rows", code, strings.Count(out, "\n"))
	}
	// A second import changes nothing.
	if code, out, _ := cli(ctx, "feeds", "import-opml", "--config", cfg, list); code != 0 || !strings.Contains(out, "0 new") || !strings.Contains(out, "unchanged") {
		t.Errorf("second import: %d %q", code, out)
	}

	opml := filepath.Join(dir, "out.opml")
	if code, _, errs := cli(ctx, "feeds", "export-opml", "--config", cfg, "--out", opml); code != 0 {
		t.Fatalf("export-opml: %s", errs)
	}
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, []byte("outlets:\n  - name: other\n    feeds: [https://other.example/rss]\n"), 0o644)
	if code, out, errs := cli(ctx, "feeds", "import-opml", "--config", other, opml); code != 0 || !strings.Contains(out, "8 new (5 new outlets)") {
		t.Fatalf("import of the export: %d %q %q", code, out, errs)
	}
	_, a, _ := cli(ctx, "feeds", "export-opml", "--config", cfg)
	_, b, _ := cli(ctx, "feeds", "export-opml", "--config", other)
	body := func(s string) string { return s[strings.Index(s, "<body>"):] }
	if !strings.HasSuffix(body(b), strings.TrimPrefix(body(a), "<body>\n")) {
		t.Errorf("round trip differs:\n%s\n---\n%s", body(a), body(b))
	}
	// Bad input: a source list, a file that is not there.
	if code, _, errs := cli(ctx, "feeds", "import-opml", "--config", cfg, filepath.Join("..", "..", "config", "testdata", "opml", "mediacloud-sources.csv")); code != exitFatal || !strings.Contains(errs, "source list") {
		t.Errorf("source list: %d %q", code, errs)
	}
	if code, _, errs := cli(ctx, "feeds", "import-opml", "--config", cfg, filepath.Join(dir, "missing.opml")); code != exitFatal || !strings.Contains(errs, "missing.opml") {
		t.Errorf("missing list: %d %q", code, errs)
	}
}
