package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/parquetexport"
	"github.com/feedvault/feedvault/store"
)

// parquetManifestName is the manifest inside a Parquet export: a leading
// _ keeps it out of the dataset for Spark, pyarrow and DuckDB globs.
const parquetManifestName = "_manifest.json"

// parquetExportManifest is the manifest of a Parquet export: the
// manifest of every export, and the dataset's own part.
type parquetExportManifest struct {
	manifest
	Parquet *parquetManifest `json:"parquet"`
}

// parquetManifest is what a Parquet export adds to the manifest.
type parquetManifest struct {
	Archive      string               `json:"archive"`
	Shard        string               `json:"shard,omitempty"`
	Partitioning string               `json:"partitioning"`
	Files        []parquetexport.File `json:"files"`
}

const parquetPartitioning = "hive: outlet=OUTLET/month=YYYY-MM/part-ARCHIVE-N.parquet; month is the UTC month of published, else of first_seen " +
	"(" + parquetexport.DefaultPartition + " when neither is known); outlet is escaped as Hive does (%XX) and is not a column of the files; " +
	"(archive, id) is unique across the exports of several archives, url identifies the article"

// exportParquet is export --format parquet: a directory of Parquet files
// partitioned by outlet and month, with its manifest inside.
func exportParquet(ctx context.Context, e *env, dbPath, dir, label string, pos []string, ff *filterFlags, cfgPath string) int {
	if dir == "-" {
		return fail(e, fmt.Errorf("export: --format parquet writes a directory; --out - is not possible"))
	}
	q, r, err := exportSource(ctx, ff, pos, dbPath)
	if err != nil {
		return fail(e, err)
	}
	defer r.Close()
	st, err := r.Status(ctx)
	if err != nil {
		return fail(e, fmt.Errorf("export: %w", err))
	}
	if label == "" {
		label = archiveLabel(st.Stats.Shard)
	}
	w, err := parquetexport.Create(dir, parquetexport.Options{Label: label, Version: version})
	if err != nil {
		return fail(e, fmt.Errorf("export: %w", err))
	}
	if w.Removed != "" {
		fmt.Fprintf(e.stderr, "feedvault: removed %s, left by an export that was stopped before it ended\n", w.Removed)
	}
	m := parquetExportManifest{manifest: newManifest(q, "parquet", cfgPath)}
	files, err := writeParquet(ctx, w, r, q, &m.manifest)
	if err == nil {
		m.Coverage = coverageForExport(ctx, e, dbPath, q, m.PerOutlet)
		m.Parquet = &parquetManifest{Archive: label, Shard: st.Stats.Shard, Partitioning: parquetPartitioning, Files: files}
		for _, f := range files {
			m.Files = append(m.Files, fileSum{Path: f.Path, SHA256: f.SHA256, Bytes: f.Bytes})
		}
		mb, _ := json.MarshalIndent(m, "", "  ")
		err = os.WriteFile(filepath.Join(w.TempDir(), parquetManifestName), append(mb, '\n'), 0o644)
	}
	if err == nil {
		err = w.Commit()
	}
	if err != nil {
		w.Abort()
		return fail(e, fmt.Errorf("export: %w", err))
	}
	outlets := make([]string, 0, len(m.PerOutlet))
	for o := range m.PerOutlet {
		outlets = append(outlets, o)
	}
	sort.Strings(outlets)
	fmt.Fprintf(e.stdout, "exported %d articles (%s) to %d Parquet files in %s; manifest %s\n",
		m.Articles, strings.Join(outlets, ", "), len(files), dir, filepath.Join(dir, parquetManifestName))
	return exitOK
}

// writeParquet pages through the articles that match q (memory holds one
// page and the open files' row groups) into w.
func writeParquet(ctx context.Context, w *parquetexport.Writer, r archiveapi.Reader, q archiveapi.QueryRequest, m *manifest) ([]parquetexport.File, error) {
	err := archiveapi.Pages(ctx, r, q, 1000, func(arts []*store.Article) error {
		for _, a := range arts {
			if err := w.Write(a); err != nil {
				return err
			}
			m.PerOutlet[a.Outlet]++
		}
		m.Articles += len(arts)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w.Finish()
}

// archiveLabel names an archive in Parquet file names: its shard
// (shard2of4), else the host's name.
func archiveLabel(shard string) string {
	if sh, err := config.ParseShard(shard); err == nil && !sh.IsZero() {
		return sh.Label()
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "archive"
}
