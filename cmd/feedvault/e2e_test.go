package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
)

const seedDir = "../../../shared/testdata/seed"

// newsWeb is a local news site: an RSS feed, an Atom feed, article pages,
// and (when ../shared is present) the Moscow Times seed page.
type newsWeb struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	notMod   atomic.Int64
	seedHTML []byte
}

func article(title, date, body string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + title + ` | Test Times</title>
<meta property="og:title" content="` + title + `">
<meta property="article:published_time" content="` + date + `">
<meta name="author" content="Ann Reporter"></head>
<body><header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>` + title + `</h1><div class="byline">By Ann Reporter</div>
<div class="article-body">` + body + `</div>
<div class="share-bar"><a href="#">Share on Facebook</a></div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/x">Some other story entirely</a></li></ul></aside></main>
<footer>© Test Times. All rights reserved.</footer></body></html>`
}

var pages = map[string]string{
	"/news/1": article("Troops gather near the border", "2024-10-28T10:00:00Z", `<p>Thousands of troops gathered near the border on Monday, officials said, in a move that alarmed neighbouring capitals.</p><p>The ministry declined to comment on the numbers, but satellite images showed long columns of vehicles.</p>`),
	"/news/2": article("Parliament ratifies treaty", "2024-10-29T10:00:00Z", `<p>Lawmakers ratified the mutual defence treaty on Tuesday after a short debate in the lower house.</p><p>The treaty obliges both sides to provide military assistance in case of an attack, the text says.</p>`),
	"/news/3": article("Пхеньян и Москва", "2024-10-30T09:00:00Z", `<p>Министр иностранных дел прибыла в Москву для переговоров с российскими официальными лицами.</p><p>Визит стал третьим с начала года, сообщили в посольстве, пояснив детали поездки.</p>`),
}

func newNewsWeb(t *testing.T) *newsWeb {
	w := &newsWeb{hits: map[string]int{}}
	if b, err := os.ReadFile(filepath.Join(seedDir, "themoscowtimes-choe-visit.html")); err == nil {
		w.seedHTML = b
	}
	mux := http.NewServeMux()
	serveFeed := func(path, ctype, body string) {
		etag := fmt.Sprintf(`"%x"`, len(body))
		mux.HandleFunc(path, func(rw http.ResponseWriter, r *http.Request) {
			w.count(r)
			if r.Header.Get("If-None-Match") == etag {
				w.notMod.Add(1)
				rw.WriteHeader(http.StatusNotModified)
				return
			}
			rw.Header().Set("ETag", etag)
			rw.Header().Set("Content-Type", ctype)
			fmt.Fprint(rw, body)
		})
	}
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		w.count(r)
		if r.URL.Path == "/mt/choe-visit" && w.seedHTML != nil {
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			rw.Write(w.seedHTML)
			return
		}
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, p)
	})
	w.Server = httptest.NewServer(mux)
	t.Cleanup(w.Close)
	u := w.URL
	seedItem := ""
	if w.seedHTML != nil {
		seedItem = `<item><title>North Korea’s Foreign Minister Arrives in Russia for Talks</title><link>` + u + `/mt/choe-visit</link><guid>` + u + `/mt/choe-visit</guid><pubDate>Tue, 29 Oct 2024 11:42:00 +0300</pubDate></item>`
	}
	serveFeed("/rss.xml", "application/rss+xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test Times</title><link>`+u+`</link>
<item><title>Troops gather near the border</title><link>`+u+`/news/1?utm_source=rss&amp;utm_medium=feed</link><guid isPermaLink="false">tt-1</guid><pubDate>Mon, 28 Oct 2024 10:00:00 +0000</pubDate></item>
<item><title>Parliament ratifies treaty</title><link>`+u+`/news/2</link><guid isPermaLink="false">tt-2</guid><pubDate>Tue, 29 Oct 2024 10:00:00 +0000</pubDate></item>
`+seedItem+`
</channel></rss>`)
	serveFeed("/atom.xml", "application/atom+xml", `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Test Times Atom</title><id>urn:tt</id><updated>2024-10-30T00:00:00Z</updated>
<entry><title>Troops gather near the border</title><id>urn:tt:atom-1</id><link href="`+u+`/news/1#comments"/><updated>2024-10-28T10:00:00Z</updated></entry>
<entry><title>Пхеньян и Москва</title><id>urn:tt:atom-3</id><link href="`+u+`/news/3"/><updated>2024-10-30T09:00:00Z</updated><author><name>Иван Петров</name></author></entry>
</feed>`)
	return w
}

func (w *newsWeb) count(r *http.Request) {
	if !strings.Contains(r.UserAgent(), "feedvault") {
		panic("request without feedvault in its User-Agent: " + r.UserAgent())
	}
	w.mu.Lock()
	w.hits[r.URL.Path]++
	w.mu.Unlock()
}

func (w *newsWeb) articleHits() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for p, c := range w.hits {
		if strings.HasPrefix(p, "/news/") || strings.HasPrefix(p, "/mt/") {
			n += c
		}
	}
	return n
}

func writeConfig(t *testing.T, dir string, feeds ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("defaults:\n  per_host_delay: 0s\n  timeout: 10s\n  interval: 1m\noutlets:\n  - name: testtimes\n    language: en\n    feeds:\n")
	for _, f := range feeds {
		fmt.Fprintf(&b, "      - %s\n", f)
	}
	p := filepath.Join(dir, "feeds.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// cli runs feedvault in-process and returns its exit code and output.
func cli(ctx context.Context, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func queryRows(t *testing.T, ctx context.Context, db string, extra ...string) []map[string]any {
	t.Helper()
	code, out, errs := cli(ctx, append([]string{"query", "--db", db, "--format", "jsonl", "--limit", "0"}, extra...)...)
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, errs)
	}
	var rows []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("bad jsonl line %q: %v", sc.Text(), err)
		}
		rows = append(rows, m)
	}
	return rows
}

func TestEndToEndRunTwiceThenQuery(t *testing.T) {
	ctx := context.Background()
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml", web.URL+"/atom.xml")
	db := filepath.Join(dir, "archive.db")

	code, out, errs := cli(ctx, "run", "--config", cfg, "--db", db)
	if code != exitOK {
		t.Fatalf("first run: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	want := 3
	if web.seedHTML != nil {
		want = 4
	} else {
		t.Log("../shared is absent: the seed page part of this test is skipped")
	}
	rows := queryRows(t, ctx, db)
	if len(rows) != want {
		t.Fatalf("after first run: %d articles, want %d: %v", len(rows), want, rows)
	}
	for _, r := range rows {
		for _, k := range []string{"id", "url", "outlet", "title", "published", "fetched", "text"} {
			if _, ok := r[k]; !ok {
				t.Errorf("jsonl row lacks %q: %v", k, r)
			}
		}
		if r["text"] == "" {
			t.Errorf("article %v has no text", r["url"])
		}
		if strings.Contains(r["url"].(string), "utm_") || strings.Contains(r["url"].(string), "#") {
			t.Errorf("url not canonical: %v", r["url"])
		}
		text := r["text"].(string)
		for _, junk := range []string{"Share on Facebook", "Some other story", "All rights reserved", "Home", "By Ann Reporter"} {
			if strings.Contains(text, junk) {
				t.Errorf("%v: boilerplate %q in text:\n%s", r["url"], junk, text)
			}
		}
	}
	// Newest first.
	for i := 1; i < len(rows); i++ {
		if rows[i-1]["published"].(string) < rows[i]["published"].(string) {
			t.Errorf("not newest first: %v before %v", rows[i-1]["published"], rows[i]["published"])
		}
	}
	if web.seedHTML != nil {
		checkSeed(t, ctx, db)
	}

	// Second run: both feeds answer 304, nothing is fetched or duplicated.
	before := web.articleHits()
	code, _, errs = cli(ctx, "run", "--config", cfg, "--db", db)
	if code != exitOK {
		t.Fatalf("second run: exit %d: %s", code, errs)
	}
	if got := web.notMod.Load(); got != 2 {
		t.Errorf("second run: %d feeds answered 304, want 2", got)
	}
	if after := web.articleHits(); after != before {
		t.Errorf("second run fetched %d article pages, want 0", after-before)
	}
	if rows := queryRows(t, ctx, db); len(rows) != want {
		t.Errorf("after second run: %d articles, want %d (duplicates?)", len(rows), want)
	}

	// Query by word, in Cyrillic too, and by date.
	if rows := queryRows(t, ctx, db, "gathered", "troops"); len(rows) != 1 || rows[0]["title"] != "Troops gather near the border" {
		t.Errorf("query gathered troops: %v", rows)
	}
	if rows := queryRows(t, ctx, db, "troop"); len(rows) != 0 {
		t.Errorf("query troop matched %d articles; words must match whole", len(rows))
	}
	if rows := queryRows(t, ctx, db, "МОСКВУ"); len(rows) != 1 {
		t.Errorf("query МОСКВУ: got %d rows, want 1", len(rows))
	}
	if rows := queryRows(t, ctx, db, "--since", "2024-10-30"); len(rows) != 1 {
		t.Errorf("--since 2024-10-30: got %d rows, want 1", len(rows))
	}
	// show by id and by a non-canonical URL form.
	if code, out, errs := cli(ctx, "show", "--db", db, web.URL+"/news/2?utm_campaign=x"); code != 0 || !strings.Contains(out, "Lawmakers ratified") {
		t.Errorf("show by URL: exit %d, out %q, err %q", code, out, errs)
	}
	// feeds shows both feeds healthy.
	code, out, _ = cli(ctx, "feeds", "--config", cfg, "--db", db, "--format", "jsonl")
	if code != 0 || strings.Count(out, `"consecutive_failures":0`) != 2 || !strings.Contains(out, `"last_error":""`) {
		t.Errorf("feeds: exit %d:\n%s", code, out)
	}
}

func checkSeed(t *testing.T, ctx context.Context, db string) {
	t.Helper()
	var truth struct {
		Keep []string `json:"keep"`
		Drop []string `json:"drop"`
	}
	b, err := os.ReadFile(filepath.Join(seedDir, "themoscowtimes-choe-visit.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	rows := queryRows(t, ctx, db, "Vladivostok")
	if len(rows) != 1 {
		t.Fatalf("seed article not found by query: %d rows", len(rows))
	}
	text := rows[0]["text"].(string)
	for _, k := range truth.Keep {
		if !strings.Contains(text, k) {
			t.Errorf("seed: paragraph missing: %q", k)
		}
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, d := range truth.Drop {
		short := len(strings.Fields(d)) <= 2
		if short && lines[d] || !short && strings.Contains(text, d) {
			t.Errorf("seed: boilerplate kept: %q", d)
		}
	}
}

func TestDaemonServesQueriesAndRunIsBusy(t *testing.T) {
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml", web.URL+"/atom.xml")
	db := filepath.Join(dir, "archive.db")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var dout, derr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"daemon", "--config", cfg, "--db", db}, nil, &dout, &derr) }()

	// Wait for the daemon's first poll to archive the articles. Bounded
	// by a count of tries, not by a wall-clock assertion.
	var rows []map[string]any
	for i := 0; i < 200; i++ {
		if r, err := archiveapi.Dial(context.Background(), db); err == nil {
			feeds, _ := r.Feeds(context.Background())
			r.Close()
			polled := 0
			for _, f := range feeds {
				if !f.LastSuccess.IsZero() {
					polled++
				}
			}
			if polled == 2 {
				rows = queryRows(t, context.Background(), db)
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(rows) < 3 {
		t.Fatalf("daemon did not archive the articles; stderr:\n%s", derr.String())
	}
	// query, show and feeds answer through the daemon.
	if code, out, errs := cli(context.Background(), "show", "--db", db, "1"); code != 0 || !strings.Contains(out, "id:") {
		t.Errorf("show during daemon: exit %d: %s %s", code, out, errs)
	}
	if code, out, errs := cli(context.Background(), "feeds", "--config", cfg, "--db", db, "--format", "jsonl"); code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("feeds during daemon: exit %d: %s %s", code, out, errs)
	}
	// A cron run while the daemon holds the archive is busy, at once.
	code, _, errs := cli(context.Background(), "run", "--config", cfg, "--db", db)
	if code != exitFatal || !strings.Contains(errs, "busy") || !strings.Contains(errs, "daemon") {
		t.Errorf("run during daemon: exit %d, stderr %q; want exit 2 and a busy message naming the daemon", code, errs)
	}
	cancel() // SIGTERM, as the signal context delivers it
	if code := <-done; code != 0 {
		t.Fatalf("daemon exit %d after cancel; stderr:\n%s", code, derr.String())
	}
	if _, err := os.Stat(archiveapi.SocketPath(db)); !os.IsNotExist(err) {
		t.Errorf("socket left behind after a clean stop: %v", err)
	}
	// The archive is consistent and readable directly.
	if rows2 := queryRows(t, context.Background(), db); len(rows2) != len(rows) {
		t.Errorf("after stop: %d articles, during: %d", len(rows2), len(rows))
	}
}

func TestRunBadFeedIsOneFailure(t *testing.T) {
	web := newNewsWeb(t)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/null.json":
			w.Header().Set("Content-Type", "application/feed+json")
			fmt.Fprint(w, `{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[null]}`)
		case "/html":
			fmt.Fprint(w, "<!doctype html><html><body>not a feed</body></html>")
		case "/garbage":
			w.Write([]byte{0, 1, 2, 0xff, 0xfe, 'x'})
		default:
			http.Error(w, "boom", 500)
		}
	}))
	defer bad.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml", bad.URL+"/null.json", bad.URL+"/html", bad.URL+"/garbage", bad.URL+"/500", "http://127.0.0.1:1/unreachable")
	db := filepath.Join(dir, "archive.db")
	code, _, errs := cli(context.Background(), "run", "--config", cfg, "--db", db)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d (some feeds failed): %s", code, exitPartial, errs)
	}
	if rows := queryRows(t, context.Background(), db); len(rows) < 2 {
		t.Errorf("good feed not archived beside the bad ones: %d rows", len(rows))
	}
	_, out, _ := cli(context.Background(), "feeds", "--config", cfg, "--db", db, "--format", "jsonl")
	classes := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r feedRow
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		classes[r.URL] = r.ErrorClass
		if r.URL != web.URL+"/rss.xml" && (r.ConsecutiveFailures != 1 || r.LastError == "") {
			t.Errorf("%s: failures %d, error %q; want 1 and a message", r.URL, r.ConsecutiveFailures, r.LastError)
		}
	}
	want := map[string]string{
		bad.URL + "/null.json": "parse", bad.URL + "/html": "not_feed", bad.URL + "/500": "http_status",
		"http://127.0.0.1:1/unreachable": "network",
	}
	for u, c := range want {
		if classes[u] != c {
			t.Errorf("%s: class %q, want %q", u, classes[u], c)
		}
	}
}

func TestConfigErrorsStopTheRun(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "feeds.yaml")
	os.WriteFile(p, []byte("outlets:\n  - name: a\n    feeds: [ftp://x]\n    intervall: 5m\n"), 0o644)
	db := filepath.Join(dir, "a.db")
	code, _, errs := cli(context.Background(), "run", "--config", p, "--db", db)
	if code != exitFatal {
		t.Errorf("exit %d, want %d", code, exitFatal)
	}
	for _, want := range []string{p + ":3:13: outlets[0].feeds[0]", p + ":4:5: outlets[0].intervall: unknown field", `did you mean "interval"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("an archive was created although the config is invalid")
	}
}
