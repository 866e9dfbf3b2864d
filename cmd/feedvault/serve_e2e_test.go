package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/feedvault/feedvault/store"
)

// syncBuffer is a bytes.Buffer safe to write from serve and read here.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// chromium finds Debian's chromium; .ci/run installs it. The test skips,
// saying so, only when it is not installed.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH: the browser tests need it (apt-get install -y chromium; .ci/run installs it)")
	return ""
}

// artifacts is where the screenshots go: $FEEDVAULT_ARTIFACTS, else a
// temporary directory (named in the log).
func artifacts(t *testing.T) string {
	if d := os.Getenv("FEEDVAULT_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// profileDir is a fresh chromium profile. Chromium's helper processes
// may still write to it for a moment after the browser exits, so its
// removal is retried instead of failing the test as t.TempDir would.
func profileDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "feedvault-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 50; i++ {
			if err = os.RemoveAll(d); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("chromium profile %s left behind: %v", d, err)
	})
	return d
}

// startServe runs 'feedvault serve' in-process on a free loopback port
// and returns its base URL; the test's cleanup stops it and waits.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), out, errb)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, errb.String())
		}
	})
	re := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if u := re.FindString(out.String()); u != "" {
			return u
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited %d: %s", code, errb.String())
		default:
		}
	}
	t.Fatalf("serve did not start: %s", errb.String())
	return ""
}

// workbenchArchive is the e2e archive: the local news site (with the
// Moscow Times seed page when ../shared is present) archived by 'run',
// generated articles of three more outlets over October 2024 imported,
// and one article edited after publication.
func workbenchArchive(t *testing.T) (db, cfg string) {
	t.Helper()
	site := newNewsWeb(t)
	dir := t.TempDir()
	cfg = writeConfig(t, dir, site.URL+"/rss.xml", site.URL+"/atom.xml")
	db = filepath.Join(dir, "archive.db")
	ctx := context.Background()
	if code, _, errs := cli(ctx, "run", "--config", cfg, "--db", db); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var b strings.Builder
	outlets := []string{"meduza", "kyivindependent", "yonhap"}
	for i := 0; i < 120; i++ {
		o := outlets[i%3]
		day := time.Date(2024, 10, 1+i*30/120, 8+i%9, 0, 0, 0, time.UTC)
		title, text := fmt.Sprintf("Summit diary %d", i), fmt.Sprintf("Leaders met in Kazan on day %d.\n\nThe agenda was trade.", i)
		// Attention to troops grows over the month, unevenly by outlet.
		if (i*7+i%3*3)%10 < 2+day.Day()/5 {
			title, text = fmt.Sprintf("Troops on the move (%s, %d)", o, i), fmt.Sprintf("North Korean troops were reported near Kursk, report %d says.\n\nOfficials did not comment.", i)
		}
		html := "<html><body><nav><a href='/'>Home</a></nav><article><h1>" + title + "</h1><p>" + strings.ReplaceAll(text, "\n\n", "</p><p>") +
			"</p><div class='newsletter'>Sign up for our newsletter</div></article><footer>All rights reserved.</footer></body></html>"
		line, _ := json.Marshal(importLine{URL: fmt.Sprintf("https://%s.example/%d", o, i), Outlet: o, Title: title,
			Published: day.Format(time.RFC3339), Text: text, HTML: html})
		b.Write(line)
		b.WriteByte('\n')
	}
	in := filepath.Join(dir, "gen.jsonl")
	os.WriteFile(in, []byte(b.String()), 0o644)
	if code, _, errs := cli(ctx, "import", "--db", db, in); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.GetByURL(site.URL + "/news/2")
	if err != nil {
		t.Fatalf("treaty article: %v", err)
	}
	edited := *a
	edited.Title = "Parliament ratifies defence treaty"
	edited.Text = strings.Replace(a.Text, "after a short debate", "after a heated debate", 1)
	edited.Fetched = a.Fetched.Add(6 * time.Hour)
	if ok, err := st.Revise(a.ID, 0, store.RefetchResult{Status: 200, Article: &edited}); err != nil || !ok {
		t.Fatalf("revise: %v %v", ok, err)
	}
	return db, cfg
}

// The workbench in a real browser: search by typing a query, the
// attention chart against 'feedvault count', an article with its
// revisions, audit and sandboxed raw page, the feeds page.
func TestWorkbenchInBrowser(t *testing.T) {
	chrome := chromium(t)
	db, cfg := workbenchArchive(t)
	base := startServe(t, "--db", db, "--config", cfg)
	shots := artifacts(t)
	t.Logf("screenshots in %s", shots)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profileDir(t)), chromedp.WindowSize(1200, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	shot := func(name, sel string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var buf []byte
			var err error
			if sel == "" {
				err = chromedp.CaptureScreenshot(&buf).Do(ctx)
			} else {
				err = chromedp.Screenshot(sel, &buf, chromedp.ByQuery).Do(ctx)
			}
			if err != nil {
				return fmt.Errorf("screenshot %s: %w", name, err)
			}
			return os.WriteFile(filepath.Join(shots, name), buf, 0o644)
		})
	}

	// Search: type a query, submit, read the results.
	var titles, marks []string
	var loc, total string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible("#q", chromedp.ByQuery),
		chromedp.SendKeys("#q", `troops -kazan`, chromedp.ByQuery),
		chromedp.Click("#go", chromedp.ByQuery),
		// The front page lists results too: wait for the search's own page
		// (its URL holds the query), not just for a result list.
		chromedp.ActionFunc(func(ctx context.Context) error {
			deadline := time.Now().Add(60 * time.Second)
			for {
				var href string
				// Errors while the page navigates are expected: try again.
				if err := chromedp.Location(&href).Do(ctx); err == nil && strings.Contains(href, "q=") {
					return nil
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("the search page never loaded")
				}
				time.Sleep(100 * time.Millisecond)
			}
		}),
		chromedp.WaitVisible("#results", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Text("#total", &total, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("li.result a.title")].map(e => e.textContent)`, &titles),
		chromedp.Evaluate(`[...document.querySelectorAll("li.result mark")].map(e => e.textContent.toLowerCase())`, &marks),
		shot("search.png", ""),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if !strings.Contains(loc, "q=troops+-kazan") {
		t.Errorf("the URL does not hold the query: %s", loc)
	}
	want := queryRows(t, context.Background(), db, "troops -kazan")
	if total != fmt.Sprint(len(want)) || len(titles) != min(len(want), 20) {
		t.Errorf("search shows %s matches, %d titles; query gives %d", total, len(titles), len(want))
	}
	for i, row := range want[:min(len(want), len(titles))] {
		if titles[i] != row["title"] {
			t.Errorf("result %d: %q, query gives %q", i, titles[i], row["title"])
		}
	}
	if !strings.Contains(strings.Join(titles, "|"), "Troops gather near the border") {
		t.Errorf("the site's troops article is not found: %q", titles)
	}
	for _, m := range marks {
		if m != "troops" {
			t.Errorf("highlighted %q, not a match of the query", m)
		}
	}
	if len(marks) == 0 {
		t.Error("no highlighted match")
	}

	// Attention: from the search, per day, against 'feedvault count'.
	var cells map[string]map[string]int
	var points int
	err = chromedp.Run(ctx,
		chromedp.Navigate(base+"/attention?q=troops&by=day"),
		chromedp.WaitVisible("#chart", chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const out = {}; for (const td of document.querySelectorAll("table#data td")) {
			const o = td.dataset.outlet, p = td.closest("tr").querySelector("th").textContent, n = +td.dataset.count;
			if (n > 0) { (out[o] = out[o] || {})[p] = n } } return out })()`, &cells),
		chromedp.Evaluate(`document.querySelectorAll("#chart circle.point").length`, &points),
		shot("attention.png", ""),
	)
	if err != nil {
		t.Fatalf("attention: %v", err)
	}
	for _, o := range []string{"testtimes", "meduza", "kyivindependent", "yonhap"} {
		code, out, errs := cli(context.Background(), "count", "troops", "--by", "day", "--outlet", o, "--db", db, "--format", "jsonl")
		if code != 0 {
			t.Fatalf("count: %s", errs)
		}
		want := map[string]int{}
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var row struct {
				Day   string `json:"day"`
				Count int    `json:"count"`
			}
			json.Unmarshal(sc.Bytes(), &row)
			want[row.Day] = row.Count
		}
		if len(want) == 0 || fmt.Sprint(want) != fmt.Sprint(cells[o]) {
			t.Errorf("%s: the chart says %v, feedvault count says %v", o, cells[o], want)
		}
	}
	if points == 0 {
		t.Error("the chart has no points")
	}
	err = chromedp.Run(ctx, chromedp.Navigate(base+"/attention?q=troops&by=week&mode=stacked"),
		chromedp.WaitVisible("#chart rect.point", chromedp.ByQuery), shot("attention-stacked.png", ""),
		chromedp.Navigate(base+"/attention?q=troops&by=week&measure=share"),
		chromedp.WaitVisible("#chart circle.point", chromedp.ByQuery), shot("attention-share.png", ""))
	if err != nil {
		t.Fatalf("attention, stacked share: %v", err)
	}

	// Article: open the edited one from a search, check revisions and audit.
	var title, revs, audit, frameOrigin string
	var rules int
	var frameOpaque bool
	err = chromedp.Run(ctx,
		chromedp.Navigate(base+"/?q=treaty"),
		chromedp.WaitVisible("li.result a.title", chromedp.ByQuery),
		chromedp.Click("li.result a.title", chromedp.ByQuery),
		chromedp.WaitVisible("#article", chromedp.ByQuery),
		chromedp.Text("#title", &title, chromedp.ByQuery),
		chromedp.Text("#revisions", &revs, chromedp.ByQuery),
		chromedp.Text("#audit", &audit, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#audit td.rule").length`, &rules),
		// Sandboxed without allow-same-origin: the frame is another origin.
		chromedp.Evaluate(`(() => { try { return document.getElementById("raw").contentDocument === null } catch (e) { return true } })()`, &frameOpaque),
		shot("article.png", ""),
		chromedp.ScrollIntoView("#revisions-h", chromedp.ByQuery),
		shot("article-revisions.png", ""),
		chromedp.ScrollIntoView("#raw", chromedp.ByQuery),
		chromedp.WaitVisible("#raw", chromedp.ByQuery),
		chromedp.Sleep(300*time.Millisecond), // the lazy frame paints
		shot("article-raw.png", "#raw"),
		chromedp.Navigate(base+"/raw/1"),
		chromedp.Evaluate(`window.origin`, &frameOrigin),
	)
	if err != nil {
		t.Fatalf("article: %v", err)
	}
	if title != "Parliament ratifies defence treaty" || !strings.Contains(revs, "Parliament ratifies treaty") ||
		!strings.Contains(revs, "after a short debate") || !strings.Contains(revs, "after a heated debate") {
		t.Errorf("article %q, revisions:\n%s", title, revs)
	}
	if rules == 0 || !strings.Contains(audit, "Share on Facebook") {
		t.Errorf("removal audit (%d rules):\n%s", rules, audit)
	}
	if !frameOpaque {
		t.Error("the raw page frame is same-origin with the workbench")
	}
	if frameOrigin != "null" {
		t.Errorf("a raw page opened alone runs on origin %q, want the opaque origin of a sandbox", frameOrigin)
	}

	// Feeds.
	var statuses []string
	err = chromedp.Run(ctx, chromedp.Navigate(base+"/feeds"), chromedp.WaitVisible("#feeds", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("tr.feed")].map(e => e.dataset.status)`, &statuses),
		shot("feeds.png", ""))
	if err != nil {
		t.Fatalf("feeds: %v", err)
	}
	if fmt.Sprint(statuses) != "[ok ok]" {
		t.Errorf("feed statuses %v, want two ok", statuses)
	}
	for _, n := range []string{"search.png", "attention.png", "article.png", "feeds.png"} {
		if fi, err := os.Stat(filepath.Join(shots, n)); err != nil || fi.Size() < 1000 {
			t.Errorf("screenshot %s: %v", n, err)
		}
	}
}
