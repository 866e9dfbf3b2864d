package parquetexport

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/jsonl"
	"github.com/feedvault/feedvault/redact"
	"github.com/feedvault/feedvault/store"
	"github.com/parquet-go/parquet-go"
)

func at(y int, m time.Month, d, h, min, s, us int) time.Time {
	return time.Date(y, m, d, h, min, s, us*1000, time.FixedZone("MSK", 3*3600))
}

// articles are every kind of row: all fields set, none set, undated,
// with no time at all, an outlet whose name needs escaping, and enough
// of one outlet and month for several row groups.
func articles() []*store.Article {
	full := &store.Article{
		ID: 7, URL: "https://news.example/a/full", Outlet: "alpha", Feed: "https://reader:secret@news.example/rss",
		GUIDs: []string{"g-1", "g-2"}, Aliases: []string{"https://m.news.example/a/full"}, Title: "Full «article»",
		Authors: []string{"Ann Reporter", "Иван Петров"}, Published: at(2024, 10, 31, 23, 30, 0, 123456),
		Modified: at(2024, 11, 1, 9, 0, 0, 0), FirstSeen: at(2024, 11, 1, 0, 5, 1, 7), Fetched: at(2024, 11, 1, 0, 5, 2, 0),
		Language: "ru", Description: "desc", Section: "World", Tags: []string{"war", "diplomacy"}, Image: "https://news.example/i.jpg",
		Summary: "what the feed said", Flags: []string{"fallback_parse"}, Status: 200, FinalURL: "https://news.example/a/full?x=1",
		ContentType: "text/html; charset=utf-8", ExtractorVersion: "3.1", FetchError: "", RawSize: 51234,
		Headers: map[string]string{"ETag": `"abc"`, "Last-Modified": "Thu, 31 Oct 2024 20:30:00 GMT"}, Edited: true, Revisions: 2,
		TakenDown: at(2024, 11, 20, 12, 0, 0, 0), RefetchStage: 3, RefetchAt: at(2024, 12, 1, 0, 0, 0, 0),
		FromFeed: &store.FeedItem{Authors: []string{"A. Reporter"}, Categories: []string{"World"},
			Enclosures: []store.Enclosure{{URL: "https://news.example/a.mp3", Type: "audio/mpeg", Length: 1234}, {URL: "https://news.example/b.jpg"}},
			Published:  at(2024, 10, 31, 23, 29, 0, 0)},
		Text: "Troops gathered near the border.\n\nThe ministry declined to comment.",
	}
	bare := &store.Article{ID: 8, URL: "https://news.example/a/bare", Outlet: "alpha", Title: "Bare",
		Published: at(2024, 10, 2, 1, 0, 0, 0), FirstSeen: at(2024, 10, 2, 1, 0, 0, 0), Text: "Only text."}
	undated := &store.Article{ID: 9, URL: "https://news.example/a/undated", Outlet: "beta", Title: "Undated",
		FirstSeen: at(2024, 9, 2, 2, 0, 0, 0), FetchError: "timeout", Text: ""}
	timeless := &store.Article{ID: 10, URL: "https://news.example/a/timeless", Outlet: "beta", Title: "Timeless", Text: "x"}
	odd := &store.Article{ID: 11, URL: "https://news.example/a/odd", Outlet: "Radio Free/Europe: 100%", Title: "Odd",
		Published: at(2025, 1, 5, 0, 0, 0, 0), FirstSeen: at(2025, 1, 5, 0, 0, 0, 0), Text: "odd outlet"}
	arts := []*store.Article{full, undated, timeless, odd}
	for i := range 300 {
		arts = append(arts, &store.Article{ID: uint64(100 + i), URL: fmt.Sprintf("https://news.example/bulk/%d", i),
			Outlet: []string{"gamma", "delta", "epsilon"}[i%3], Title: fmt.Sprintf("Bulk %d", i),
			Authors: []string{}, Published: time.Date(2024, 8+time.Month(i/100), 1+i%28, 6, 0, 0, 0, time.UTC),
			FirstSeen: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), Text: strings.Repeat(fmt.Sprintf("word%d ", i), 300)})
	}
	// alpha's October again, long after its file was closed.
	return append(arts, bare)
}

func TestPartitionValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"themoscowtimes", "themoscowtimes"},
		{"a_b.c-d", "a_b.c-d"},
		{"", DefaultPartition},
		{"Radio Free/Europe: 100%", "Radio Free%2FEurope%3A 100%25"},
		{"a=b?c#d", "a%3Db%3Fc%23d"},
		{"tab\there", "tab%09here"},
		{"2024-10", "2024-10"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := PartitionValue(tt.in); got != tt.want {
				t.Errorf("PartitionValue(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// unescape undoes PartitionValue, as a reader of the dataset does.
func unescape(t *testing.T, v string) string {
	if v == DefaultPartition {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '%' {
			var c byte
			if _, err := fmt.Sscanf(v[i+1:i+3], "%02X", &c); err != nil {
				t.Fatalf("bad escape in %q", v)
			}
			b.WriteByte(c)
			i += 2
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// TestExportReadBack writes every kind of article, with limits small
// enough to need several files per partition and several row groups per
// file, reads every file back with the Parquet reader and checks every
// row, every field and every column's type.
func TestExportReadBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "export")
	w, err := Create(dir, Options{Label: "shard2of4", Version: "test", MaxOpen: 4, RowGroupBytes: 8 << 10, BufferBytes: 20 << 10})
	if err != nil {
		t.Fatal(err)
	}
	arts := articles()
	for _, a := range arts {
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatal("the export is visible before Commit")
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + ".partial"); err == nil {
		t.Error("the .partial directory is left after Commit")
	}

	// The files on disk are exactly the files listed, with their sums.
	var onDisk []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return err
	})
	var listed []string
	for _, f := range files {
		listed = append(listed, f.Path)
		b, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(b)) != f.Bytes {
			t.Errorf("%s: listed sha256 %s, %d bytes; the file has %x, %d", f.Path, f.SHA256, f.Bytes, sum, len(b))
		}
	}
	if !slices.Equal(onDisk, listed) {
		t.Errorf("files on disk %v, listed %v", onDisk, listed)
	}

	byID := map[int64]*store.Article{}
	for _, a := range arts {
		byID[int64(a.ID)] = a
	}
	seen := map[int64]int{}
	rowGroups, splitPartitions := 0, map[string]int{}
	for _, f := range files {
		parts := strings.Split(f.Path, "/")
		if len(parts) != 3 || !strings.HasPrefix(parts[0], "outlet=") || !strings.HasPrefix(parts[1], "month=") ||
			!strings.HasPrefix(parts[2], "part-shard2of4-") || !strings.HasSuffix(parts[2], ".parquet") {
			t.Fatalf("file %s is not outlet=X/month=Y/part-shard2of4-N.parquet", f.Path)
		}
		outlet := unescape(t, strings.TrimPrefix(parts[0], "outlet="))
		month := unescape(t, strings.TrimPrefix(parts[1], "month="))
		splitPartitions[parts[0]+"/"+parts[1]]++
		if outlet != f.Outlet || month != f.Month {
			t.Errorf("%s: listed as %q %q", f.Path, f.Outlet, f.Month)
		}
		b, _ := os.ReadFile(filepath.Join(dir, f.Path))
		pf, err := parquet.OpenFile(strings.NewReader(string(b)), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		checkSchema(t, f.Path, pf.Schema())
		rowGroups += len(pf.RowGroups())
		if got, _ := pf.Lookup("feedvault.archive"); got != "shard2of4" {
			t.Errorf("%s: metadata feedvault.archive = %q", f.Path, got)
		}
		rows, err := parquet.Read[Row](strings.NewReader(string(b)), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if len(rows) != f.Rows {
			t.Errorf("%s: %d rows, listed %d", f.Path, len(rows), f.Rows)
		}
		for _, r := range rows {
			a := byID[r.ID]
			if a == nil {
				t.Errorf("%s: row with unknown id %d", f.Path, r.ID)
				continue
			}
			seen[r.ID]++
			if a.Outlet != outlet || Month(a) != month {
				t.Errorf("article %d (%s, %s) is in %s", a.ID, a.Outlet, Month(a), f.Path)
			}
			checkRow(t, r, a)
		}
	}
	for id := range byID {
		if seen[id] != 1 {
			t.Errorf("article %d is in %d rows, want 1", id, seen[id])
		}
	}
	// The limits were small: the bulk outlets' months took several row
	// groups, and files were closed and begun again.
	if rowGroups <= len(files) {
		t.Errorf("%d row groups in %d files: the row-group limit did not act", rowGroups, len(files))
	}
	split := 0
	for _, n := range splitPartitions {
		if n > 1 {
			split++
		}
	}
	if split == 0 {
		t.Error("no partition got a second file: MaxOpen did not act")
	}
	if month := Month(byID[10]); month != "" || !slices.Contains(listed, "outlet=beta/month="+DefaultPartition+"/part-shard2of4-0.parquet") {
		t.Errorf("the article with no time at all: month %q, files %v", month, listed)
	}
	if !slices.Contains(listed, "outlet=beta/month=2024-09/part-shard2of4-0.parquet") {
		t.Errorf("the undated article is not under the month it was first seen: %v", listed)
	}
	if !slices.Contains(listed, "outlet=alpha/month=2024-10/part-shard2of4-0.parquet") || !slices.Contains(listed, "outlet=alpha/month=2024-10/part-shard2of4-1.parquet") {
		t.Errorf("the article published 2024-10-31 23:30 +03 is not under 2024-10 UTC: %v", listed)
	}
}

// checkRow compares a row read back with the article it came from, field by field.
func checkRow(t *testing.T, r Row, a *store.Article) {
	t.Helper()
	errorf := func(field string, got, want any) {
		t.Errorf("article %d: %s = %v, want %v", a.ID, field, got, want)
	}
	if r.Archive != "shard2of4" {
		errorf("archive", r.Archive, "shard2of4")
	}
	str := func(field string, got *string, want string) {
		switch {
		case want == "" && got != nil:
			errorf(field, *got, "null")
		case want != "" && got == nil:
			errorf(field, "null", want)
		case want != "" && *got != want:
			errorf(field, *got, want)
		}
	}
	tm := func(field string, got *time.Time, want time.Time) {
		switch {
		case want.IsZero() && got != nil:
			errorf(field, *got, "null")
		case !want.IsZero() && got == nil:
			errorf(field, "null", want)
		case !want.IsZero() && (!got.Equal(want.Truncate(time.Microsecond)) || got.Location() != time.UTC):
			errorf(field, *got, want.UTC())
		}
	}
	list := func(field string, got, want []string) {
		if got == nil || !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			errorf(field, got, want)
		}
	}
	if r.URL != a.URL {
		errorf("url", r.URL, a.URL)
	}
	wantFeed := strings.Replace(a.Feed, "reader:secret@", redact.Mask+"@", 1) // credentials are never shown
	str("feed", r.Feed, wantFeed)
	if r.Feed != nil && strings.Contains(*r.Feed, "secret") {
		t.Errorf("article %d: the feed's password is in the export: %s", a.ID, *r.Feed)
	}
	list("guids", r.GUIDs, a.GUIDs)
	list("aliases", r.Aliases, a.Aliases)
	if r.Title != a.Title {
		errorf("title", r.Title, a.Title)
	}
	list("authors", r.Authors, a.Authors)
	tm("published", r.Published, a.Published)
	tm("modified", r.Modified, a.Modified)
	tm("first_seen", r.FirstSeen, a.FirstSeen)
	tm("fetched", r.Fetched, a.Fetched)
	str("language", r.Language, a.Language)
	str("description", r.Description, a.Description)
	str("section", r.Section, a.Section)
	list("tags", r.Tags, a.Tags)
	str("image", r.Image, a.Image)
	str("summary", r.Summary, a.Summary)
	list("flags", r.Flags, a.Flags)
	if (a.Status == 0) != (r.Status == nil) || r.Status != nil && int(*r.Status) != a.Status {
		errorf("status", r.Status, a.Status)
	}
	str("final_url", r.FinalURL, a.FinalURL)
	str("content_type", r.ContentType, a.ContentType)
	str("extractor_version", r.ExtractorVersion, a.ExtractorVersion)
	str("fetch_error", r.FetchError, a.FetchError)
	if (a.RawSize == 0) != (r.RawSize == nil) || r.RawSize != nil && int(*r.RawSize) != a.RawSize {
		errorf("raw_size", r.RawSize, a.RawSize)
	}
	if len(r.Headers) != len(a.Headers) || !maps.Equal(r.Headers, a.Headers) {
		errorf("headers", r.Headers, a.Headers)
	}
	if r.Edited != a.Edited {
		errorf("edited", r.Edited, a.Edited)
	}
	if int(r.Revisions) != a.Revisions {
		errorf("revisions", r.Revisions, a.Revisions)
	}
	tm("taken_down", r.TakenDown, a.TakenDown)
	if int(r.RefetchStage) != a.RefetchStage {
		errorf("refetch_stage", r.RefetchStage, a.RefetchStage)
	}
	tm("refetch_at", r.RefetchAt, a.RefetchAt)
	if r.Text != a.Text {
		errorf("text", len(r.Text), len(a.Text))
	}
	switch ff := a.FromFeed; {
	case ff == nil && r.FromFeed != nil:
		errorf("from_feed", r.FromFeed, "null")
	case ff != nil && r.FromFeed == nil:
		errorf("from_feed", "null", ff)
	case ff != nil:
		list("from_feed.authors", r.FromFeed.Authors, ff.Authors)
		list("from_feed.categories", r.FromFeed.Categories, ff.Categories)
		tm("from_feed.published", r.FromFeed.Published, ff.Published)
		tm("from_feed.updated", r.FromFeed.Updated, ff.Updated)
		if len(r.FromFeed.Enclosures) != len(ff.Enclosures) {
			errorf("from_feed.enclosures", r.FromFeed.Enclosures, ff.Enclosures)
			break
		}
		for i, e := range ff.Enclosures {
			g := r.FromFeed.Enclosures[i]
			if g.URL != e.URL {
				errorf("from_feed.enclosures.url", g.URL, e.URL)
			}
			str("from_feed.enclosures.type", g.Type, e.Type)
			if (e.Length == 0) != (g.Length == nil) || g.Length != nil && *g.Length != e.Length {
				errorf("from_feed.enclosures.length", g.Length, e.Length)
			}
		}
	}
}

// column is what a column of the file must be.
type column struct {
	kind     parquet.Kind // physical type; -1 for a group
	logical  string       // the logical type, as parquet-go prints it; "" for none
	optional bool
}

const group = parquet.Kind(-1)

var wantColumns = map[string]column{
	"archive":           {parquet.ByteArray, "STRING", false},
	"id":                {parquet.Int64, "INT(64,true)", false},
	"url":               {parquet.ByteArray, "STRING", false},
	"feed":              {parquet.ByteArray, "STRING", true},
	"guids":             {group, "LIST", false},
	"aliases":           {group, "LIST", false},
	"title":             {parquet.ByteArray, "STRING", false},
	"authors":           {group, "LIST", false},
	"published":         {parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", true},
	"modified":          {parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", true},
	"first_seen":        {parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", true},
	"fetched":           {parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", true},
	"language":          {parquet.ByteArray, "STRING", true},
	"description":       {parquet.ByteArray, "STRING", true},
	"section":           {parquet.ByteArray, "STRING", true},
	"tags":              {group, "LIST", false},
	"image":             {parquet.ByteArray, "STRING", true},
	"summary":           {parquet.ByteArray, "STRING", true},
	"flags":             {group, "LIST", false},
	"status":            {parquet.Int32, "INT(32,true)", true},
	"final_url":         {parquet.ByteArray, "STRING", true},
	"content_type":      {parquet.ByteArray, "STRING", true},
	"extractor_version": {parquet.ByteArray, "STRING", true},
	"fetch_error":       {parquet.ByteArray, "STRING", true},
	"raw_size":          {parquet.Int64, "INT(64,true)", true},
	"headers":           {group, "MAP", true},
	"edited":            {parquet.Boolean, "", false},
	"revisions":         {parquet.Int32, "INT(32,true)", false},
	"taken_down":        {parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", true},
	"refetch_stage":     {parquet.Int32, "INT(32,true)", false},
	"refetch_at":        {parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", true},
	"from_feed":         {group, "", true},
	"text":              {parquet.ByteArray, "STRING", false},
}

func checkSchema(t *testing.T, file string, s *parquet.Schema) {
	t.Helper()
	var names []string
	for _, f := range s.Fields() {
		names = append(names, f.Name())
		want, ok := wantColumns[f.Name()]
		if !ok {
			t.Errorf("%s: unexpected column %s", file, f.Name())
			continue
		}
		kind := group
		if f.Leaf() {
			kind = f.Type().Kind()
		}
		logical := ""
		if lt := f.Type().LogicalType(); lt != nil {
			logical = lt.String()
		}
		if kind != want.kind || logical != want.logical || f.Optional() != want.optional {
			t.Errorf("%s: column %s is %v %q optional=%v, want %v %q optional=%v", file, f.Name(), kind, logical, f.Optional(), want.kind, want.logical, want.optional)
		}
		if want.logical == "LIST" {
			// LIST: a repeated group "list" of one "element".
			l := f.Fields()
			if len(l) != 1 || l[0].Name() != "list" || !l[0].Repeated() || len(l[0].Fields()) != 1 || l[0].Fields()[0].Name() != "element" {
				t.Errorf("%s: %s is not a standard 3-level LIST", file, f.Name())
			}
		}
	}
	// The same fields as a jsonl row, outlet aside (it is the partition).
	wantNames := []string{"archive"}
	for _, f := range jsonl.Fields {
		if f != "outlet" {
			wantNames = append(wantNames, f)
		}
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("%s: columns %v, want %v", file, names, wantNames)
	}
}

func TestCreateRefusesAnExistingDirectory(t *testing.T) {
	base := t.TempDir()
	for _, existing := range []string{"out"} {
		t.Run(existing, func(t *testing.T) {
			dir := filepath.Join(base, existing)
			os.Mkdir(dir, 0o755)
			defer os.Remove(dir)
			if _, err := Create(filepath.Join(base, "out"), Options{Label: "x"}); err == nil || !strings.Contains(err.Error(), "exists") {
				t.Errorf("Create over an existing %s: %v", existing, err)
			}
		})
	}
	w, err := Create(filepath.Join(base, "out"), Options{Label: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(articles()[0]); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if entries, _ := os.ReadDir(base); len(entries) != 0 {
		t.Errorf("Abort left %v", entries)
	}
}

// TestNewestFirstClosesEachMonth: in an export's order, newest first, a
// month's files are closed once an earlier month begins, so that only
// one month's partitions are open, and each partition is one file.
func TestNewestFirstClosesEachMonth(t *testing.T) {
	var arts []*store.Article
	for _, a := range articles() {
		if a.Outlet == "gamma" || a.Outlet == "delta" || a.Outlet == "epsilon" {
			arts = append(arts, a)
		}
	}
	slices.SortStableFunc(arts, func(a, b *store.Article) int { return b.Published.Compare(a.Published) })
	w, err := Create(filepath.Join(t.TempDir(), "out"), Options{Label: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	most := 0
	for _, a := range arts {
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
		most = max(most, len(w.open))
	}
	files, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if most != 3 {
		t.Errorf("at most %d files open at once, want 3 (one month of three outlets)", most)
	}
	if len(files) != 9 {
		t.Errorf("%d files for 3 outlets × 3 months: %v", len(files), files)
	}
	if len(w.free) == 0 {
		t.Error("no writer was reused")
	}
}
