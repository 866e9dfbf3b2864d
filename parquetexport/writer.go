package parquetexport

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/feedvault/feedvault/store"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// Options tune a Writer; the zero value is fine but for Label.
type Options struct {
	// Label names the archive: in file names (part-LABEL-N.parquet) and
	// in each row's archive column. Only [A-Za-z0-9_.-] are kept.
	Label string
	// Version is feedvault's, for each file's created_by.
	Version string
	// MaxOpen is how many partition files may be open at once (default
	// 256). Articles come newest first, so a month's partitions fill
	// together and are then done: they are closed when an earlier month
	// begins. Past the limit the least recently written file is closed.
	// A partition that comes back after its file was closed gets a
	// further part (part-LABEL-1, ...).
	MaxOpen int
	// RowGroupBytes is how much text a file buffers before it writes a
	// row group (default 32 MiB); BufferBytes how much all files
	// together buffer before the fullest writes its row group (default
	// 96 MiB). They bound the memory an export takes.
	RowGroupBytes, BufferBytes int
}

// File is one Parquet file written: its path relative to the
// directory, with / as separator, its partition and its sum.
type File struct {
	Path   string `json:"path"`
	Outlet string `json:"outlet"`
	Month  string `json:"month"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Writer writes an export directory. Everything goes into DIR.partial,
// which Commit renames to DIR: a reader never sees half an export.
type Writer struct {
	// Removed is the DIR.partial of an export that was stopped before
	// it ended (nothing held it) that Create removed, for a message.
	Removed  string
	dir, tmp string
	lock     *os.File // the claim on tmp (partial.go), dropped by Commit and Abort
	opt      Options
	open     map[partition]*part
	parts    map[partition]int // files begun per partition
	files    []File
	buffered int
	clock    int
	month    string      // the month of the last article written
	codec    *zstd.Codec // one for all files: its encoders are reused
	// free are closed writers, reused (Reset) for the next file: a new
	// one allocates a page buffer per column.
	free []*parquet.GenericWriter[Row]
}

type partition struct{ outlet, month string }

// part is one open file.
type part struct {
	key      partition
	rel      string
	f        *os.File
	h        hash.Hash
	n        int64
	pw       *parquet.GenericWriter[Row]
	rows     int
	buffered int // text bytes since the last row group
	used     int
}

func (p *part) Write(b []byte) (int, error) {
	n, err := p.f.Write(b)
	p.h.Write(b[:n])
	p.n += int64(n)
	return n, err
}

// Create starts an export into dir, which must not exist yet; its
// parent is made when missing.
func Create(dir string, opt Options) (*Writer, error) {
	opt.Label = cleanLabel(opt.Label)
	if opt.Label == "" {
		return nil, errors.New("parquet: the archive needs a label for its file names")
	}
	if opt.MaxOpen <= 0 {
		opt.MaxOpen = 256
	}
	if opt.RowGroupBytes <= 0 {
		opt.RowGroupBytes = 32 << 20
	}
	if opt.BufferBytes <= 0 {
		opt.BufferBytes = 96 << 20
	}
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return nil, fmt.Errorf("parquet: %s exists; name a new directory", dir)
	}
	tmp := dir + ".partial"
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	lock, removed, err := claimPartial(tmp)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, tmp: tmp, lock: lock, opt: opt, open: map[partition]*part{}, parts: map[partition]int{},
		codec: &zstd.Codec{Level: zstd.SpeedDefault}}
	if removed {
		w.Removed = tmp
	}
	return w, nil
}

// TempDir is where the export is being written: the manifest goes in
// before Commit.
func (w *Writer) TempDir() string { return w.tmp }

// Write adds an article to its partition's file.
func (w *Writer) Write(a *store.Article) error {
	key := partition{outlet: a.Outlet, month: Month(a)}
	if key.month < w.month {
		// An export comes newest first: the later months are done.
		if err := w.finishAfter(key.month); err != nil {
			return err
		}
	}
	w.month = key.month
	p := w.open[key]
	if p == nil {
		var err error
		if p, err = w.begin(key); err != nil {
			return err
		}
	}
	w.clock++
	p.used = w.clock
	if _, err := p.pw.Write([]Row{FromArticle(w.opt.Label, a)}); err != nil {
		return fmt.Errorf("parquet: %s: %w", p.rel, err)
	}
	p.rows++
	size := len(a.Text) + len(a.Title) + len(a.URL) + len(a.Summary) + len(a.Description) + 256
	p.buffered += size
	w.buffered += size
	if p.buffered >= w.opt.RowGroupBytes {
		return w.flush(p)
	}
	if w.buffered >= w.opt.BufferBytes {
		fullest := p
		for _, q := range w.open {
			if q.buffered > fullest.buffered {
				fullest = q
			}
		}
		return w.flush(fullest)
	}
	return nil
}

// flush writes p's buffered rows as a row group.
func (w *Writer) flush(p *part) error {
	if err := p.pw.Flush(); err != nil {
		return fmt.Errorf("parquet: %s: %w", p.rel, err)
	}
	w.buffered -= p.buffered
	p.buffered = 0
	return nil
}

// begin opens the next file of a partition, closing the least recently
// written one when too many are open.
func (w *Writer) begin(key partition) (*part, error) {
	if len(w.open) >= w.opt.MaxOpen {
		var lru *part
		for _, q := range w.open {
			if lru == nil || q.used < lru.used {
				lru = q
			}
		}
		if err := w.finish(lru); err != nil {
			return nil, err
		}
	}
	n := w.parts[key]
	w.parts[key] = n + 1
	dir := path.Join("outlet="+PartitionValue(key.outlet), "month="+PartitionValue(key.month))
	rel := path.Join(dir, fmt.Sprintf("part-%s-%d.parquet", w.opt.Label, n))
	if err := os.MkdirAll(filepath.Join(w.tmp, filepath.FromSlash(dir)), 0o755); err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(w.tmp, filepath.FromSlash(rel)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	p := &part{key: key, rel: rel, f: f, h: sha256.New()}
	if n := len(w.free); n > 0 {
		p.pw, w.free = w.free[n-1], w.free[:n-1]
		p.pw.Reset(p)
	} else {
		p.pw = parquet.NewGenericWriter[Row](p,
			parquet.Compression(w.codec),
			parquet.CreatedBy("feedvault", w.opt.Version, "feedvault"),
			parquet.KeyValueMetadata("feedvault.archive", w.opt.Label),
		)
	}
	w.open[key] = p
	return p, nil
}

// finish closes a file and accounts for it.
func (w *Writer) finish(p *part) error {
	delete(w.open, p.key)
	w.buffered -= p.buffered
	err := p.pw.Close()
	if err == nil {
		w.free = append(w.free, p.pw)
	}
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("parquet: %s: %w", p.rel, err)
	}
	w.files = append(w.files, File{Path: p.rel, Outlet: p.key.outlet, Month: p.key.month, Rows: p.rows,
		SHA256: hex.EncodeToString(p.h.Sum(nil)), Bytes: p.n})
	return nil
}

// finishAfter closes the files of the months after month.
func (w *Writer) finishAfter(month string) error {
	for _, p := range w.open {
		if p.key.month > month {
			if err := w.finish(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// Finish closes every file and returns them all, sorted by path. The
// export is still in TempDir.
func (w *Writer) Finish() ([]File, error) {
	keys := make([]partition, 0, len(w.open))
	for k := range w.open {
		keys = append(keys, k)
	}
	var errs []error
	for _, k := range keys {
		if err := w.finish(w.open[k]); err != nil {
			errs = append(errs, err)
		}
	}
	sort.Slice(w.files, func(i, j int) bool { return w.files[i].Path < w.files[j].Path })
	return w.files, errors.Join(errs...)
}

// Commit moves the finished export to its directory.
func (w *Writer) Commit() error {
	defer w.lock.Close() // the directory has its name, or stays claimed until Abort
	if _, err := os.Lstat(w.dir); err == nil {
		return fmt.Errorf("parquet: %s exists: another process wrote it while this ran; name a new directory", w.dir)
	}
	if err := os.Rename(w.tmp, w.dir); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

// Abort closes what is open and removes the partial export.
func (w *Writer) Abort() {
	for _, p := range w.open {
		p.f.Close()
	}
	w.open = nil
	os.RemoveAll(w.tmp)
	w.lock.Close()
}

// Month is an article's month=: the month (UTC) of its publication,
// else of when it was first seen, as YYYY-MM; "" (the default
// partition) when neither is known.
func Month(a *store.Article) string {
	t := a.Published
	if t.IsZero() {
		t = a.FirstSeen
	}
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01")
}

// DefaultPartition is the value of an empty partition, as Hive and
// Spark write it.
const DefaultPartition = "__HIVE_DEFAULT_PARTITION__"

// PartitionValue escapes a partition value as Hive does: the
// characters that have a meaning in paths become %XX; the empty value
// is DefaultPartition.
func PartitionValue(v string) string {
	if v == "" {
		return DefaultPartition
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < ' ' || c == 0x7f || strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// cleanLabel keeps a label's [A-Za-z0-9_.-] and turns the rest into _.
func cleanLabel(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			return r
		}
		return '_'
	}, s)
}
