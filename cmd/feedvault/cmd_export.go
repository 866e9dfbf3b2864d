package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/feedvault/feedvault/jsonl"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/store"
)

const exportHelp = `
Usage: feedvault export [QUERY] [flags] --format jsonl|csv|warc|parquet --out FILE|DIR

Writes the articles that match QUERY (all when none; same query and
filters as 'feedvault query') to FILE, and a manifest beside it,
FILE.manifest.json, that a paper can cite: the query and filters, when it
was made, a hash of feeds.yaml, the feedvault and extractor versions, the
count per outlet, and the sha256 and size of each file written.

With --out - the data goes to standard output, so that it pipes; the
manifest then goes to --manifest FILE, or to standard error.

  jsonl  one article per line, every stored field (importable with
         'feedvault import'); --history adds each article's earlier
         versions and sightings, --raw its raw page (base64): with both,
         export then import moves an archive whole
  csv    id, published, outlet, title, authors, url, fetched, text
  warc   the stored raw responses as WARC 1.1 response records (gzip per
         record when FILE ends in .gz), for replay in standard tools;
         articles without a stored page are listed in the manifest
  parquet  a directory DIR of Parquet files partitioned hive-style,
         DIR/outlet=X/month=YYYY-MM/part-ARCHIVE-N.parquet, the manifest
         inside as DIR/_manifest.json; one row per article with the
         fields of jsonl (typed: timestamps, lists; null when unknown)
         and archive, which also names the files: the archive's shard
         (shard2of4), else the host, or --label. The exports of all
         shards together form one dataset for DuckDB, Spark, pandas:
         see README, "Scaling past one machine"
` + queryLanguageHelp + `
Examples:
  feedvault export '"north korea" troops' --since 2024-10-01 --format csv --out nk-troops.csv
  feedvault export --outlet themoscowtimes --format warc --out mt.warc.gz
  feedvault export --since 2024-10-01 --out - --manifest oct.manifest.json | gzip > oct.jsonl.gz
  feedvault export --format parquet --out exports/$(date +%F)-shard2
`

// manifest describes an export.
type manifest struct {
	Created          time.Time       `json:"created"`
	Query            string          `json:"query"`
	Filters          map[string]any  `json:"filters"`
	Format           string          `json:"format"`
	FeedvaultVersion string          `json:"feedvault_version"`
	ExtractorVersion string          `json:"extractor_version"`
	Config           *fileSum        `json:"config,omitempty"`
	Articles         int             `json:"articles"`
	PerOutlet        map[string]int  `json:"per_outlet"`
	Files            []fileSum       `json:"files"`
	WithoutRawPage   []uint64        `json:"without_raw_page,omitempty"`
	Coverage         *exportCoverage `json:"coverage,omitempty"`
}

type fileSum struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

func cmdExport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "export", exportHelp)
	ff := addFilterFlags(fs)
	format := fs.String("format", "jsonl", "jsonl, csv, warc or parquet")
	out := fs.String("out", "", "the file to write (required; must not exist), or - for standard output")
	manifestPath := fs.String("manifest", "", "with --out -: where the manifest goes (default: standard error)")
	cfgPath := fs.String("config", defaultConfig(), "config file whose hash goes into the manifest")
	history := fs.Bool("history", false, "jsonl: add each article's revision_history and sightings")
	withRaw := fs.Bool("raw", false, "jsonl: add each article's raw page, base64, as raw")
	dbPath := fs.String("db", defaultDB(), "archive file")
	label := fs.String("label", "", "parquet: the archive's name in file names and rows (default: its shard, e.g. shard2of4, else the host name)")
	pos, perr := parseQueryFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if *out == "" {
		fmt.Fprintln(e.stderr, "feedvault export: --out FILE is required")
		fs.Usage()
		return fail(e, errUsage)
	}
	if *format != "jsonl" && *format != "csv" && *format != "warc" && *format != "parquet" {
		return fail(e, fmt.Errorf("export: unknown --format %q (want jsonl, csv, warc or parquet)", *format))
	}
	if (*history || *withRaw) && *format != "jsonl" {
		return fail(e, fmt.Errorf("export: --history and --raw go with --format jsonl"))
	}
	if *label != "" && *format != "parquet" {
		return fail(e, fmt.Errorf("export: --label goes with --format parquet"))
	}
	if *format == "parquet" {
		return exportParquet(ctx, e, *dbPath, *out, *label, pos, ff, *cfgPath)
	}
	if *out == "-" {
		return exportToStdout(ctx, e, *dbPath, pos, ff, *format, *cfgPath, *manifestPath,
			exportOptions{history: *history, withRaw: *withRaw})
	}
	for _, p := range []string{*out, *out + ".manifest.json"} {
		if _, err := os.Stat(p); err == nil {
			return fail(e, fmt.Errorf("export: %s exists; name a new file", p))
		}
	}
	q, r, err := exportSource(ctx, ff, pos, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	defer r.Close()
	m := newManifest(q, *format, *cfgPath)
	tmp := *out + ".partial"
	f, err := createPartial(tmp, 0o644, e.stderr)
	if err != nil {
		return fail(e, fmt.Errorf("export: %w", err))
	}
	defer f.release() // once the file has its name, or is removed
	w := bufio.NewWriterSize(f, 1<<20)
	tp, stopProgress := startProgress(e, "exporting", "articles", 0)
	err = writeExport(ctx, w, r, q, *format, exportOptions{gz: strings.HasSuffix(*out, ".gz"), history: *history, withRaw: *withRaw, progress: tp}, &m)
	stopProgress()
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var sum *fileSum
	if err == nil {
		sum, err = sumFile(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return fail(e, fmt.Errorf("export: %w", err))
	}
	sum.Path, _ = filepath.Abs(*out)
	m.Files = []fileSum{*sum}
	m.Coverage = coverageForExport(ctx, e, *dbPath, q, m.PerOutlet)
	mb, _ := json.MarshalIndent(m, "", "  ")
	// All or nothing: the file and its manifest take their names only
	// when both are written, so that a failed export leaves nothing that
	// looks finished, and running it again is not refused.
	mf, err := writePartial(*out+".manifest.json", append(mb, '\n'), e.stderr)
	if err != nil {
		os.Remove(tmp)
		return fail(e, fmt.Errorf("export: manifest: %w (nothing exported)", err))
	}
	defer mf.release()
	mtmp := mf.Name()
	if err := publish(tmp, *out); err != nil {
		os.Remove(tmp)
		os.Remove(mtmp)
		return fail(e, fmt.Errorf("export: %w", err))
	}
	if err := publish(mtmp, *out+".manifest.json"); err != nil {
		os.Remove(*out)
		os.Remove(mtmp)
		return fail(e, fmt.Errorf("export: manifest: %w (nothing exported)", err))
	}
	outlets := make([]string, 0, len(m.PerOutlet))
	for o := range m.PerOutlet {
		outlets = append(outlets, o)
	}
	sort.Strings(outlets)
	fmt.Fprintf(e.stdout, "exported %d articles (%s) to %s, sha256 %s; manifest %s.manifest.json\n",
		m.Articles, strings.Join(outlets, ", "), *out, sum.SHA256, *out)
	if len(m.WithoutRawPage) > 0 {
		fmt.Fprintf(e.stderr, "feedvault: %d articles have no stored page and are not in the WARC; the manifest lists them\n", len(m.WithoutRawPage))
	}
	return exitOK
}

// exportSource is what every export format reads: the request its
// words and filters make, and the archive's reader (the caller closes it).
func exportSource(ctx context.Context, ff *filterFlags, words []string, dbPath string) (archiveapi.QueryRequest, archiveapi.Reader, error) {
	q, err := ff.request(words)
	if err != nil {
		return q, nil, fmt.Errorf("export: %w", err)
	}
	r, err := openReader(ctx, dbPath)
	return q, r, err
}

// exportToStdout is export --out -: the data goes to standard output, so
// that it pipes; the manifest, whose sha256 covers exactly those bytes,
// goes to the --manifest file, or else to standard error.
func exportToStdout(ctx context.Context, e *env, dbPath string, pos []string, ff *filterFlags, format, cfgPath, manifestPath string, opt exportOptions) int {
	if manifestPath != "" {
		if _, err := os.Stat(manifestPath); err == nil {
			return fail(e, fmt.Errorf("export: %s exists; name a new file", manifestPath))
		}
	}
	q, r, err := exportSource(ctx, ff, pos, dbPath)
	if err != nil {
		return fail(e, err)
	}
	defer r.Close()
	m := newManifest(q, format, cfgPath)
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(e.stdout, h)}
	w := bufio.NewWriterSize(cw, 1<<20)
	tp, stopProgress := startProgress(e, "exporting", "articles", 0)
	opt.progress = tp
	err = writeExport(ctx, w, r, q, format, opt, &m)
	stopProgress()
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return fail(e, fmt.Errorf("export: %w", err))
	}
	m.Files = []fileSum{{Path: "-", SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: cw.n}}
	m.Coverage = coverageForExport(ctx, e, dbPath, q, m.PerOutlet)
	mb, _ := json.MarshalIndent(m, "", "  ")
	if manifestPath == "" {
		e.stderr.Write(append(mb, '\n'))
		return exitOK
	}
	mf, err := writePartial(manifestPath, append(mb, '\n'), e.stderr)
	if err == nil {
		if err = publish(mf.Name(), manifestPath); err != nil {
			os.Remove(mf.Name())
		}
		mf.release()
	}
	if err != nil {
		return fail(e, fmt.Errorf("export: manifest: %w", err))
	}
	return exitOK
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// newManifest starts the manifest of an export of q.
func newManifest(q archiveapi.QueryRequest, format, cfgPath string) manifest {
	m := manifest{
		Created: time.Now().UTC(), Query: q.Query, Format: format, FeedvaultVersion: version, ExtractorVersion: extractor.Version,
		Filters:   map[string]any{"outlets": q.Outlets, "since": fmtTimeEmpty(q.Since), "until": fmtTimeEmpty(q.Until), "seen": q.Seen, "edited": q.Edited},
		PerOutlet: map[string]int{},
	}
	if sum, err := sumFile(cfgPath); err == nil {
		m.Config = sum
	}
	return m
}

// exportOptions are export's switches beyond the format.
type exportOptions struct {
	gz               bool          // warc: a gzip member per record
	history, withRaw bool          // jsonl: revisions and sightings; raw pages
	progress         *termProgress // nil: none (not a terminal)
}

// writeExport writes the articles that match q to w in format, paging
// through them (memory holds one page), and counts them into m. The
// workbench's downloads use it too.
func writeExport(ctx context.Context, w io.Writer, r archiveapi.Reader, q archiveapi.QueryRequest, format string, opt exportOptions, m *manifest) error {
	cols := mustFields(format)
	first := true
	if format == "warc" {
		if err := writeWARCInfo(w, opt.gz); err != nil {
			return err
		}
	}
	if opt.progress != nil {
		opt.progress.Total(countMatches(ctx, r, q))
	}
	return archiveapi.Pages(ctx, r, q, 1000, func(arts []*store.Article) error {
		opt.progress.Done(len(arts))
		for _, a := range arts {
			m.PerOutlet[a.Outlet]++
		}
		m.Articles += len(arts)
		if format == "warc" {
			missing, err := writeWARC(ctx, w, r, arts, opt.gz)
			m.WithoutRawPage = append(m.WithoutRawPage, missing...)
			return err
		}
		if format == "jsonl" && (opt.history || opt.withRaw) {
			return writeFullRows(ctx, w, r, arts, opt.history, opt.withRaw)
		}
		if format == "csv" && !first {
			return writeArticles(w, "csv-rows", cols, arts)
		}
		first = false
		return writeArticles(w, format, cols, arts)
	})
}

func mustFields(format string) []string {
	f, _ := pickFields("", format)
	return f
}

func sumFile(path string) (*fileSum, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(path)
	return &fileSum{Path: abs, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n}, nil
}

// writeFullRows writes jsonl rows with, as asked, each article's
// history (revisions and sightings) and raw page.
func writeFullRows(ctx context.Context, w io.Writer, r archiveapi.Reader, arts []*store.Article, history, withRaw bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, a := range arts {
		row := jsonl.FromArticle(a)
		var err error
		if history {
			if row.History, err = r.Revisions(ctx, a.ID); err != nil {
				return err
			}
			if row.Sightings, err = r.Observations(ctx, a.ID); err != nil {
				return err
			}
		}
		if withRaw {
			row.Raw, err = r.Raw(ctx, a.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if err := enc.Encode(row); err != nil {
			return err
		}
	}
	return nil
}

// countMatches is how many articles q matches, for the progress display
// (0, not known, when the count fails).
func countMatches(ctx context.Context, r archiveapi.Reader, q archiveapi.QueryRequest) int {
	rows, err := r.Count(ctx, q, "outlet")
	if err != nil {
		return 0
	}
	n := 0
	for _, row := range rows {
		n += row.Count
	}
	return n
}
