package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/jsonl"
)

// exportRows exports db with the given flags and returns its rows by
// URL, without their ids, as JSON.
func exportRows(t *testing.T, ctx context.Context, db, out string, flags ...string) map[string]string {
	t.Helper()
	args := append([]string{"export", "--db", db, "--format", "jsonl", "--out", out, "--config", "/nonexistent"}, flags...)
	if code, o, errs := cli(ctx, args...); code != 0 {
		t.Fatalf("export: %d %s %s", code, o, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		if m["id"] == nil {
			t.Fatalf("row without id: %s", l)
		}
		delete(m, "id")
		js, _ := json.Marshal(m)
		rows[m["url"].(string)] = string(js)
	}
	return rows
}

// An archive exported with --history --raw and imported into a new one
// exports the same again: articles, every field, revisions, sightings
// and raw pages; only ids may differ.
func TestExportImportExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml", web.URL+"/atom.xml")
	db := filepath.Join(dir, "a.db")
	for i := 0; i < 2; i++ { // twice: sightings with counts
		if code, out, errs := cli(ctx, "run", "--config", cfg, "--db", db); code != exitOK {
			t.Fatalf("run: %d %s %s", code, out, errs)
		}
	}
	// An imported article, imported again with another text: a revision.
	in := importFixture(t, dir)
	if code, _, errs := cli(ctx, "import", "--db", db, in); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(in)
	edited := filepath.Join(dir, "edited.jsonl")
	os.WriteFile(edited, []byte(strings.Replace(string(b), "The summit in Kazan gathered leaders.", "The summit in Kazan gathered many leaders.", 1)), 0o644)
	if code, _, errs := cli(ctx, "import", "--db", db, edited); code != 0 {
		t.Fatal(errs)
	}
	for _, flags := range [][]string{{"--history", "--raw"}, nil} {
		name := strings.Join(flags, "")
		first := exportRows(t, ctx, db, filepath.Join(dir, "first"+name+".jsonl"), flags...)
		db2 := filepath.Join(dir, "b"+name+".db")
		if code, out, errs := cli(ctx, "import", "--db", db2, filepath.Join(dir, "first"+name+".jsonl")); code != 0 {
			t.Fatalf("import of the export: %d %s %s", code, out, errs)
		}
		second := exportRows(t, ctx, db2, filepath.Join(dir, "second"+name+".jsonl"), flags...)
		if len(first) != len(second) || len(first) < 8 {
			t.Fatalf("%v: %d articles exported, %d after the round trip", flags, len(first), len(second))
		}
		urls := make([]string, 0, len(first))
		for u := range first {
			urls = append(urls, u)
		}
		sort.Strings(urls)
		for _, u := range urls {
			if first[u] != second[u] {
				t.Errorf("%v: %s differs after the round trip:\n first: %s\nsecond: %s", flags, u, first[u], second[u])
			}
		}
		if flags == nil {
			continue
		}
		// The export carried what the archive holds.
		all := strings.Join(func() []string {
			var v []string
			for _, u := range urls {
				v = append(v, first[u])
			}
			return v
		}(), "\n")
		for _, want := range []string{`"revision_history":[{"rev":1`, `"sightings":[{"count":2,"feed":`, `"raw":"`, `"final_url":`, `"status":200`, `"extractor_version":`, `"raw_size":`} {
			if !strings.Contains(all, want) {
				t.Errorf("the export lacks %s:\n%s", want, all)
			}
		}
	}
}

// Every stored field can be picked by query --fields, in csv and jsonl.
func TestQueryEveryField(t *testing.T) {
	ctx := context.Background()
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml")
	db := filepath.Join(dir, "a.db")
	if code, out, errs := cli(ctx, "run", "--config", cfg, "--db", db); code != exitOK {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	fields := strings.Join(jsonl.Fields, ",")
	code, out, errs := cli(ctx, "query", "--db", db, "--format", "csv", "--fields", fields, "--limit", "1")
	if code != exitOK || !strings.HasPrefix(out, fields+"\n") {
		t.Fatalf("csv: %d %s %s", code, out, errs)
	}
	rec, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rec) != 2 {
		t.Fatalf("csv: %v %d rows", err, len(rec))
	}
	for i, f := range jsonl.Fields {
		switch f {
		case "status", "final_url", "content_type", "extractor_version", "raw_size", "headers", "feed", "first_seen", "fetched", "refetch_at":
			if rec[1][i] == "" {
				t.Errorf("csv field %s is empty for a fetched article", f)
			}
		}
	}
	code, out, _ = cli(ctx, "query", "--db", db, "--format", "jsonl", "--fields", "image,description,raw_size,headers", "--limit", "1")
	if code != exitOK || !strings.Contains(out, `"raw_size":`) || !strings.Contains(out, `"headers":`) {
		t.Errorf("jsonl fields: %d %s", code, out)
	}
}

// Listing fields alone (read without decompressing articles) print what
// the same fields print beside a field that needs the article.
func TestQueryListingFieldsSameOutput(t *testing.T) {
	ctx := context.Background()
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml")
	db := filepath.Join(dir, "a.db")
	if code, out, errs := cli(ctx, "run", "--config", cfg, "--db", db); code != exitOK {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	listing := "id,url,published,outlet,first_seen,title"
	for _, format := range []string{"csv", "table"} {
		for _, limit := range []string{"0", "2"} {
			code, list, errs := cli(ctx, "query", "--db", db, "--format", format, "--fields", listing, "--limit", limit)
			if code != exitOK {
				t.Fatalf("%s: %d %s", format, code, errs)
			}
			code, full, errs := cli(ctx, "query", "--db", db, "--format", format, "--fields", listing+",words", "--limit", limit)
			if code != exitOK {
				t.Fatalf("%s: %d %s", format, code, errs)
			}
			var cut []string
			for _, line := range strings.Split(strings.TrimRight(full, "\n"), "\n") {
				sep := ","
				if format == "table" {
					sep = " "
				}
				line = strings.TrimRight(line, " ")
				cut = append(cut, strings.TrimRight(line[:strings.LastIndex(line, sep)], " "))
			}
			var trimmed []string
			for _, line := range strings.Split(strings.TrimRight(list, "\n"), "\n") {
				trimmed = append(trimmed, strings.TrimRight(line, " "))
			}
			if strings.Join(trimmed, "\n") != strings.Join(cut, "\n") || len(trimmed) < 2 {
				t.Errorf("%s --limit %s: listing\n%s\nfull\n%s", format, limit, list, full)
			}
		}
	}
}
