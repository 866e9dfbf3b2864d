package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/parquetexport"
	"github.com/parquet-go/parquet-go"
)

// TestParquetExportOfAllShards: each of three shards exports Parquet;
// the exports together are one dataset in which every article of every
// shard is one row, with the fields query shows, under its outlet and
// month, in files whose names never collide.
func TestParquetExportOfAllShards(t *testing.T) {
	ctx := context.Background()
	w := newShardWeb(t)
	dir := t.TempDir()
	cfg := w.config(t, dir)
	const n = shardN
	dbs := runShards(t, ctx, w, cfg, dir, n)
	exports := filepath.Join(dir, "exports")
	want := map[string]map[string]any{} // url → query row
	wantArchive := map[string]string{}
	for k, db := range dbs {
		out := filepath.Join(exports, fmt.Sprintf("shard%d", k+1))
		if code, o, errs := cli(ctx, "export", "--db", db, "--config", cfg, "--format", "parquet", "--out", out); code != exitOK {
			t.Fatalf("export shard %d: %d %s %s", k+1, code, o, errs)
		}
		for _, row := range queryRows(t, ctx, db) {
			want[row["url"].(string)] = row
			wantArchive[row["url"].(string)] = fmt.Sprintf("shard%dof%d", k+1, n)
		}
		checkParquetManifest(t, out, fmt.Sprintf("%d/%d", k+1, n), len(queryRows(t, ctx, db)))
	}
	if len(want) != shardFeeds {
		t.Fatalf("%d articles over the shards, want %d", len(want), shardFeeds)
	}

	// The dataset as DuckDB's exports/*/outlet=*/month=*/*.parquet sees it.
	files, err := filepath.Glob(filepath.Join(exports, "*", "outlet=*", "month=*", "*.parquet"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Parquet files: %v", err)
	}
	flat := map[string]string{} // outlet/month/name → file: merged into one tree, none may collide
	got := map[string]int{}
	for _, f := range files {
		rel, _ := filepath.Rel(exports, f)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		key := strings.Join(parts[1:], "/")
		if prev, dup := flat[key]; dup {
			t.Errorf("%s and %s would collide in one dataset", prev, f)
		}
		flat[key] = f
		outlet := strings.TrimPrefix(parts[1], "outlet=")
		month := strings.TrimPrefix(parts[2], "month=")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := parquet.Read[parquetexport.Row](strings.NewReader(string(b)), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range rows {
			got[r.URL]++
			q := want[r.URL]
			if q == nil {
				t.Errorf("%s: row %s is in no shard's archive", f, r.URL)
				continue
			}
			if r.Archive != wantArchive[r.URL] || !strings.HasPrefix(parts[3], "part-"+r.Archive+"-") {
				t.Errorf("%s: %s has archive %q, want %q in the column and the file name", f, r.URL, r.Archive, wantArchive[r.URL])
			}
			if float64(r.ID) != q["id"].(float64) {
				t.Errorf("%s: %s id %d, query says %v", f, r.URL, r.ID, q["id"])
			}
			if outlet != q["outlet"] || r.Title != q["title"] || r.Text != q["text"] || r.Feed == nil || *r.Feed != q["feed"] {
				t.Errorf("%s: %s is %s %q %v, query says %v %v %v", f, r.URL, outlet, r.Title, r.Feed, q["outlet"], q["title"], q["feed"])
			}
			if r.Published == nil || r.Published.Format(time.RFC3339) != q["published"] || r.Published.Format("2006-01") != month {
				t.Errorf("%s: %s published %v, query says %v", f, r.URL, r.Published, q["published"])
			}
			if r.FirstSeen == nil || r.FirstSeen.Format(time.RFC3339) != q["first_seen"] || r.Fetched == nil || r.Fetched.Format(time.RFC3339) != q["fetched"] {
				t.Errorf("%s: %s first_seen %v fetched %v, query says %v %v", f, r.URL, r.FirstSeen, r.Fetched, q["first_seen"], q["fetched"])
			}
			if len(r.Authors) != 1 || r.Authors[0] != "Ann Reporter" || r.FromFeed == nil || len(r.FromFeed.Categories) != 1 || r.FromFeed.Categories[0] != "port" {
				t.Errorf("%s: %s authors %v from_feed %+v", f, r.URL, r.Authors, r.FromFeed)
			}
			if r.Status == nil || *r.Status != 200 || r.RawSize == nil || *r.RawSize == 0 {
				t.Errorf("%s: %s status %v raw_size %v", f, r.URL, r.Status, r.RawSize)
			}
		}
	}
	for u := range want {
		if got[u] != 1 {
			t.Errorf("%s is in %d rows of the dataset, want 1", u, got[u])
		}
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"again into the same directory", []string{"export", "--db", dbs[0], "--format", "parquet", "--out", filepath.Join(exports, "shard1")}, "exists"},
		{"to standard output", []string{"export", "--db", dbs[0], "--format", "parquet", "--out", "-"}, "writes a directory"},
		{"label with jsonl", []string{"export", "--db", dbs[0], "--label", "x", "--out", filepath.Join(dir, "x.jsonl")}, "--label goes with --format parquet"},
		{"with --history", []string{"export", "--db", dbs[0], "--format", "parquet", "--history", "--out", filepath.Join(dir, "h")}, "--history and --raw go with --format jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := cli(ctx, tt.args...)
			if code != exitFatal || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tt.want)
			}
		})
	}
	// --label names the archive; an unsharded archive is named for its host.
	out := filepath.Join(dir, "labelled")
	if code, _, errs := cli(ctx, "export", "--db", dbs[1], "--format", "parquet", "--label", "machine b", "--out", out, "--outlet", "islandnews"); code != exitOK {
		t.Fatal(errs)
	}
	labelled, _ := filepath.Glob(filepath.Join(out, "outlet=*", "month=*", "*.parquet"))
	for _, f := range labelled {
		if !strings.HasPrefix(filepath.Base(f), "part-machine_b-") || !strings.Contains(f, "outlet=islandnews") {
			t.Errorf("--label 'machine b' --outlet islandnews wrote %s", f)
		}
	}
	if host, _ := os.Hostname(); archiveLabel("") != host && host != "" {
		t.Errorf("an unsharded archive is labelled %q, want the host %q", archiveLabel(""), host)
	}
}

// checkParquetManifest checks the manifest inside an export: every file
// with its sum, the counts, the shard and the coverage section.
func checkParquetManifest(t *testing.T, dir, shard string, articles int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "_manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m parquetExportManifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Format != "parquet" || m.Articles != articles || m.Parquet == nil || m.Parquet.Shard != shard || m.Coverage == nil {
		t.Fatalf("manifest of %s: %s", dir, b)
	}
	rows := 0
	for i, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Bytes {
			t.Errorf("%s: %s listed %s %d, is %x %d", dir, f.Path, f.SHA256, f.Bytes, sum, len(data))
		}
		rows += m.Parquet.Files[i].Rows
	}
	on, _ := filepath.Glob(filepath.Join(dir, "outlet=*", "month=*", "*.parquet"))
	if len(on) != len(m.Files) || rows != articles {
		t.Errorf("%s: %d files on disk, %d listed; %d rows listed, %d articles", dir, len(on), len(m.Files), rows, articles)
	}
}
