package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/store"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// importLine is a line of an import file from another tool.
type importLine struct {
	URL       string   `json:"url"`
	Outlet    string   `json:"outlet"`
	Title     string   `json:"title"`
	Published string   `json:"published"`
	Text      string   `json:"text"`
	HTML      string   `json:"html,omitempty"`
	Authors   []string `json:"authors,omitempty"`
}

// importFixture writes a small jsonl archive: English, Russian and Korean
// articles across outlets and days.
func importFixture(t *testing.T, dir string) string {
	t.Helper()
	lines := []importLine{
		{URL: "https://mt.example/a1?utm_source=x", Outlet: "themoscowtimes", Title: "North Korea sends troops", Published: "2024-10-28T09:00:00Z", Text: "North Korea sent thousands of troops to Russia, Seoul said.", Authors: []string{"Ann Smith"}, HTML: "<html><body><article><p>North Korea sent thousands of troops to Russia, Seoul said on Monday.</p><p>The troops are training in the Far East, officials said.</p></article></body></html>"},
		{URL: "https://mt.example/a2", Outlet: "themoscowtimes", Title: "Putin hosts summit", Published: "2024-10-29T09:00:00Z", Text: "The summit in Kazan gathered leaders. Korea was not discussed."},
		{URL: "https://meduza.example/b1", Outlet: "meduza", Title: "Пхеньян и Москва", Published: "2024-10-29T12:00:00Z", Text: "Министр прибыла в Москву. Войска Северной Кореи в России.", Authors: []string{"Иван Петров"}},
		{URL: "https://yna.example/c1", Outlet: "yonhap", Title: "북한 군대 러시아 파병", Published: "2024-10-30T01:00:00Z", Text: "북한이 러시아에 군대를 보냈다고 국정원이 밝혔다."},
		{URL: "https://kyiv.example/d1", Outlet: "kyivindependent", Title: "Troops near Kursk", Published: "2024-10-30T15:00:00Z", Text: "North Korean troops were seen near Kursk, Ukrainian intelligence said.", Authors: []string{"John Smithson"}},
	}
	var b strings.Builder
	for _, l := range lines {
		j, _ := json.Marshal(l)
		b.Write(j)
		b.WriteByte('\n')
	}
	p := filepath.Join(dir, "in.jsonl")
	os.WriteFile(p, []byte(b.String()), 0o644)
	return p
}

func ids(t *testing.T, ctx context.Context, db string, args ...string) string {
	t.Helper()
	rows := queryRows(t, ctx, db, args...)
	var out []string
	for _, r := range rows {
		out = append(out, strings.TrimPrefix(strings.TrimPrefix(r["url"].(string), "https://"), "www."))
	}
	return strings.Join(out, " ")
}

func TestImportQueryCountExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	in := importFixture(t, dir)
	code, out, errs := cli(ctx, "import", "--db", db, in)
	if code != 0 || !strings.Contains(out, "5 new articles") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	// Importing again adds nothing.
	if _, out, _ := cli(ctx, "import", "--db", db, in); !strings.Contains(out, "0 new articles, 5 already archived") {
		t.Errorf("second import: %s", out)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"korea"}, "mt.example/a2 mt.example/a1"}, // newest first; Кореи is another word
		{[]string{`"north korea"`}, "mt.example/a1"},
		{[]string{"troops", "OR", "войска"}, "kyiv.example/d1 meduza.example/b1 mt.example/a1"},
		{[]string{"troops -kursk"}, "mt.example/a1"},
		{[]string{"NOT troops"}, "yna.example/c1 meduza.example/b1 mt.example/a2"},
		{[]string{"summ*"}, "mt.example/a2"},
		{[]string{"title:troops"}, "kyiv.example/d1 mt.example/a1"},
		{[]string{"author:smith"}, "mt.example/a1"},
		{[]string{"outlet:meduza"}, "meduza.example/b1"},
		{[]string{"москву"}, "meduza.example/b1"},
		{[]string{`"Войска Северной"`}, "meduza.example/b1"},
		{[]string{"북한"}, "yna.example/c1"},
		{[]string{"korea", "--outlet", "themoscowtimes"}, "mt.example/a2 mt.example/a1"},
		{[]string{"--since", "2024-10-30"}, "kyiv.example/d1 yna.example/c1"},
		{[]string{"--until", "2024-10-28"}, "mt.example/a1"},
	}
	for _, tt := range tests {
		if got := ids(t, ctx, db, tt.args...); got != tt.want {
			t.Errorf("query %q: %s, want %s", tt.args, got, tt.want)
		}
	}
	if code, _, errs := cli(ctx, "query", "--db", db, "(troops"); code != exitFatal || !strings.Contains(errs, "unbalanced") {
		t.Errorf("bad query: %d %q", code, errs)
	}
	// count --by day, jsonl rows carry the bucket key.
	_, out, _ = cli(ctx, "count", "--db", db, "--by", "day", "--format", "jsonl")
	if out != `{"count":1,"day":"2024-10-28"}`+"\n"+`{"count":2,"day":"2024-10-29"}`+"\n"+`{"count":2,"day":"2024-10-30"}`+"\n" {
		t.Errorf("count by day:\n%s", out)
	}
	_, out, _ = cli(ctx, "count", "--db", db, "troops", "--by", "outlet", "--format", "csv")
	if out != "outlet,count\nkyivindependent,1\nthemoscowtimes,1\n" {
		t.Errorf("count by outlet:\n%s", out)
	}
	// --fields and csv
	_, out, _ = cli(ctx, "query", "--db", db, "--format", "csv", "--fields", "outlet,title", "--limit", "2")
	if out != "outlet,title\nkyivindependent,Troops near Kursk\nyonhap,북한 군대 러시아 파병\n" {
		t.Errorf("csv fields:\n%s", out)
	}
	// export jsonl + manifest, then a round trip through import.
	exp := filepath.Join(dir, "out.jsonl")
	if code, out, errs := cli(ctx, "export", "--db", db, "korea OR 북한", "--format", "jsonl", "--out", exp, "--config", "/nonexistent"); code != 0 {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	var m manifest
	mb, _ := os.ReadFile(exp + ".manifest.json")
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(exp)
	sum := sha256.Sum256(body)
	if m.Articles != 3 || m.PerOutlet["themoscowtimes"] != 2 || m.Query != "korea OR 북한" || len(m.Files) != 1 ||
		m.Files[0].SHA256 != hex.EncodeToString(sum[:]) || m.Files[0].Bytes != int64(len(body)) || m.ExtractorVersion == "" {
		t.Errorf("manifest: %+v", m)
	}
	if strings.Count(string(body), "\n") != 3 {
		t.Errorf("export has %d lines", strings.Count(string(body), "\n"))
	}
	// refusing to overwrite
	if code, _, errs := cli(ctx, "export", "--db", db, "--out", exp); code != exitFatal || !strings.Contains(errs, "exists") {
		t.Errorf("export over an existing file: %d %s", code, errs)
	}
	// WARC: one response record per article with a page.
	warc := filepath.Join(dir, "out.warc.gz")
	if code, _, errs := cli(ctx, "export", "--db", db, "--format", "warc", "--out", warc); code != 0 {
		t.Fatalf("warc export: %s", errs)
	}
	rd, err := gowarc.NewWarcFileReader(warc, 0)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	var target string
	for {
		next, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading the WARC back: %v", err)
		}
		rec := next.WarcRecord
		types = append(types, rec.Type().String())
		if rec.Type() == gowarc.Response {
			target = rec.WarcHeader().Get(gowarc.WarcTargetURI)
			blk := rec.Block().(gowarc.HttpResponseBlock)
			pr, _ := blk.PayloadBytes()
			payload, _ := io.ReadAll(pr)
			if !bytes.Contains(payload, []byte("thousands of troops")) || blk.HttpStatusCode() != 200 {
				t.Errorf("response record: status %d payload %q", blk.HttpStatusCode(), payload)
			}
		}
	}
	rd.Close()
	if strings.Join(types, ",") != "warcinfo,response" || target == "" {
		t.Errorf("warc records %v, target %q", types, target)
	}
	mb, _ = os.ReadFile(warc + ".manifest.json")
	json.Unmarshal(mb, &m)
	if len(m.WithoutRawPage) != 4 {
		t.Errorf("manifest lists %d articles without a page, want 4", len(m.WithoutRawPage))
	}
	// reextract uses the stored html; reindex; check; compact; backup.
	// No config found (none here, none beside the archive): the generic
	// rules. A --config that is not there is an error, not ignored.
	if code, _, errs := cli(ctx, "reextract", "--db", db, "--config", "/nonexistent"); code != exitFatal || !strings.Contains(errs, "/nonexistent") {
		t.Errorf("reextract --config /nonexistent: %d %s", code, errs)
	}
	if code, out, errs := cli(ctx, "reextract", "--db", db); code != 0 || !strings.Contains(out, "re-extracted 1 articles") || !strings.Contains(out, "4 without a stored page") {
		t.Errorf("reextract: %d %s %s", code, out, errs)
	}
	if got := ids(t, ctx, db, "monday"); got != "mt.example/a1" {
		t.Errorf("re-extracted text not searchable: %q", got)
	}
	for _, c := range [][]string{{"reindex"}, {"check"}, {"compact"}} {
		if code, out, errs := cli(ctx, append(c, "--db", db)...); code != 0 {
			t.Errorf("%s: %d %s %s", c[0], code, out, errs)
		}
	}
	bk := filepath.Join(dir, "backup.db")
	if code, _, errs := cli(ctx, "backup", "--db", db, bk); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	if got := ids(t, ctx, bk, "korea"); got != "mt.example/a2 mt.example/a1" {
		t.Errorf("query on the backup: %s", got)
	}
}

func TestImportRejectsBadLines(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	p := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(p, []byte(`{"url":"https://x.example/1","outlet":"x","title":"ok"}
{"url":"not a url","outlet":"x"}
`), 0o644)
	code, _, errs := cli(ctx, "import", "--db", db, p)
	if code != exitFatal || !strings.Contains(errs, "bad.jsonl:2:") || !strings.Contains(errs, "not an absolute") || !strings.Contains(errs, "the 1 article before it is archived") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if n := len(queryRows(t, ctx, db)); n != 1 {
		t.Errorf("%d articles after a failed import, want the 1 before the bad line", n)
	}
}

// Maintenance and reads go through a running daemon; a backup taken while
// it writes holds what was committed before it began.
func TestMaintenanceThroughDaemon(t *testing.T) {
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml")
	db := filepath.Join(dir, "a.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var derr bytes.Buffer
	go func() { done <- run(ctx, []string{"daemon", "--config", cfg, "--db", db}, nil, io.Discard, &derr) }()
	var r archiveapi.Reader
	for i := 0; i < 200; i++ {
		var err error
		if r, err = archiveapi.Dial(context.Background(), db); err == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if r == nil {
		t.Fatalf("daemon did not start: %s", derr.String())
	}
	r.Close()
	bg := context.Background()
	in := importFixture(t, dir)
	if code, out, errs := cli(bg, "import", "--db", db, in); code != 0 || !strings.Contains(out, "via socket") {
		t.Fatalf("import through the daemon: %d %s %s", code, out, errs)
	}
	// Writes go on while a backup is taken.
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			line := fmt.Sprintf(`{"url":"https://w.example/%d","outlet":"w","title":"bulk %d","text":"written during the backup"}`, i, i)
			p := filepath.Join(dir, fmt.Sprintf("w%d.jsonl", i))
			os.WriteFile(p, []byte(line+"\n"), 0o644)
			cli(bg, "import", "--db", db, p)
		}
	}()
	time.Sleep(100 * time.Millisecond)
	bk := filepath.Join(dir, "hot.db")
	code, out, errs := cli(bg, "backup", "--db", db, bk)
	close(stop)
	<-writerDone
	if code != 0 {
		t.Fatalf("backup during writes: %d %s %s", code, out, errs)
	}
	if code, out, _ := cli(bg, "check", "--db", bk); code != 0 || !strings.Contains(out, "ok:") {
		t.Errorf("backup does not check: %s", out)
	}
	if got := ids(t, bg, bk, "kazan OR москву OR 북한"); got != "yna.example/c1 meduza.example/b1 mt.example/a2" {
		t.Errorf("backup lacks what was committed before it: %q", got)
	}
	for _, c := range [][]string{{"check"}, {"reindex"}, {"compact"}, {"reextract", "--config", cfg}} {
		if code, out, errs := cli(bg, append(c, "--db", db)...); code != 0 || c[0] != "check" && !strings.Contains(out, "via socket") {
			t.Errorf("%s through the daemon: %d %s %s", c[0], code, out, errs)
		}
	}
	if code, _, errs := cli(bg, "count", "--db", db, "--by", "outlet"); code != 0 {
		t.Errorf("count through the daemon: %s", errs)
	}
	// The daemon still works after compacting under it.
	if got := ids(t, bg, db, "summit"); got != "mt.example/a2" {
		t.Errorf("query after compact: %q", got)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("daemon exit %d: %s", code, derr.String())
	}
}

func TestShowRevisions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	id, _, _ := st.Put(&store.Article{URL: "https://x.example/a", Outlet: "x", Title: "Talks begin", Text: "First paragraph.\n\nSecond paragraph.", FirstSeen: now, Fetched: now, Status: 200}, []byte("<p>v1</p>"))
	st.Revise(id, 0, store.RefetchResult{Status: 200, Article: &store.Article{Title: "Talks collapse", Text: "First paragraph.\n\nSecond paragraph, corrected.", Fetched: now}})
	st.Close()
	code, out, errs := cli(context.Background(), "show", "--db", db, "--revisions", fmt.Sprint(id))
	for _, want := range []string{"revision 1", "title:   Talks begin", "→  Talks collapse", "-Second paragraph.", "+Second paragraph, corrected."} {
		if !strings.Contains(out, want) {
			t.Errorf("show --revisions lacks %q (exit %d, %s):\n%s", want, code, errs, out)
		}
	}
	if got := queryRows(t, context.Background(), db, "--edited"); len(got) != 1 {
		t.Errorf("query --edited: %d", len(got))
	}
}

// Control characters in archived text never reach a terminal.
func TestSafeOutput(t *testing.T) {
	if got := safe("a\x1b[31mred\x07\u202e", false); got != "a[31mred" {
		t.Errorf("safe: %q", got)
	}
	var b bytes.Buffer
	writeArticles(&b, "table", []string{"title"}, []*store.Article{{Title: "evil\x1b]0;pwned\x07title"}})
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("escape reached the table: %q", b.String())
	}
}
