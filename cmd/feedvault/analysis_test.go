package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

const wireText = "SEOUL (Yonhap) -- North Korea fired two short-range ballistic missiles into the East Sea on Thursday, the Joint Chiefs of Staff said, " +
	"days after the allies ended a joint air exercise. The missiles flew about 350 kilometres before falling into waters outside Japan's exclusive economic zone. " +
	"South Korea's military said it had stepped up surveillance and was sharing information with the United States and Japan. " +
	"It was the North's third launch this month, and it came as officials in Seoul prepared for talks on the allies' nuclear planning."

func importLines(t *testing.T, dir string, lines []importLine) string {
	t.Helper()
	var b strings.Builder
	for _, l := range lines {
		j, _ := json.Marshal(l)
		b.Write(j)
		b.WriteByte('\n')
	}
	p := filepath.Join(dir, "stories.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not jsonl: %q: %v", l, err)
		}
		rows = append(rows, m)
	}
	return rows
}

// Copies of one wire story across outlets: backfill groups them; stories,
// show, query --collapse and count --by story all see the group.
func TestStoriesCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	in := importLines(t, dir, []importLine{
		{URL: "https://yna.example/1", Outlet: "yonhap", Title: "N. Korea fires two missiles", Published: "2026-11-05T01:00:00Z", Text: wireText},
		{URL: "https://herald.example/2", Outlet: "herald", Title: "Missiles again", Published: "2026-11-05T02:00:00Z", Text: "Subscribe to our newsletter. " + wireText + " Copyright Yonhap."},
		{URL: "https://times.example/3", Outlet: "times", Title: "North Korea launches missiles", Published: "2026-11-05T03:00:00Z", Text: strings.Replace(wireText, "said", "stated", 2)},
		{URL: "https://times.example/4", Outlet: "times", Title: "Talks on nuclear planning open", Published: "2026-11-05T04:00:00Z", Text: "Officials from South Korea and the United States opened talks in Seoul on Thursday on how the allies would plan and exercise for a nuclear crisis, a week after a missile launch by the North. The meeting, the fourth of its kind, is expected to last two days, a ministry spokesman told reporters."},
	})
	if code, out, errs := cli(ctx, "import", "--db", db, in); code != 0 || !strings.Contains(out, "4 new") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if code, out, errs := cli(ctx, "stories", "--db", db, "--format", "jsonl"); code != 0 || strings.TrimSpace(out) != "" {
		t.Fatalf("stories before backfill: %d %q %s", code, out, errs)
	}
	if code, out, errs := cli(ctx, "stories", "backfill", "--db", db); code != 0 || !strings.Contains(out, "filed 4 articles (2 joined") {
		t.Fatalf("backfill: %d %s %s", code, out, errs)
	}
	if code, out, _ := cli(ctx, "stories", "backfill", "--db", db); code != 0 || !strings.Contains(out, "filed 0 articles") || !strings.Contains(out, "4 were filed before") {
		t.Errorf("second backfill should file nothing: %s", out)
	}
	code, out, errs := cli(ctx, "stories", "--db", db, "--format", "jsonl")
	groups := jsonLines(t, out)
	if code != 0 || len(groups) != 1 {
		t.Fatalf("stories: %d %s %s", code, out, errs)
	}
	g := groups[0]
	if g["size"].(float64) != 3 || strings.Join(toStrings(g["outlets"]), " ") != "yonhap herald times" || strings.Join(toStrings(g["agencies"]), ",") != "Yonhap" {
		t.Errorf("group: %v", g)
	}
	if sim := g["min_similarity"].(float64); sim < 0.35 || sim > 1 {
		t.Errorf("min similarity %v", sim)
	}
	if _, out, _ := cli(ctx, "stories", "--db", db, "--format", "jsonl", "talks"); len(jsonLines(t, out)) != 1 {
		t.Errorf("a query matching a member selects its group: %s", out)
	}
	if _, out, _ := cli(ctx, "stories", "--db", db, "--format", "jsonl", "--outlet", "nobody"); strings.TrimSpace(out) != "" {
		t.Errorf("an outlet with no member selects nothing: %s", out)
	}
	story := strconv.FormatFloat(g["story"].(float64), 'f', 0, 64)

	code, out, errs = cli(ctx, "show", "--db", db, "https://times.example/3")
	if code != 0 || !strings.Contains(out, "story "+story+": 3 articles") || !strings.Contains(out, "herald") || !strings.Contains(out, "N. Korea fires two missiles") {
		t.Errorf("show lists the group: %d %s %s", code, out, errs)
	}
	if _, out, _ := cli(ctx, "show", "--db", db, "https://times.example/4"); !strings.Contains(out, "no copy of this text") {
		t.Errorf("show of a lone article: %s", out)
	}
	if _, out, _ := cli(ctx, "show", "--db", db, "--format", "json", "https://yna.example/1"); !strings.Contains(out, `"story"`) || !strings.Contains(out, `"Yonhap"`) {
		t.Errorf("show json carries the story: %s", out)
	}

	if got := ids(t, ctx, db, "--collapse"); got != "times.example/4 times.example/3" {
		t.Errorf("query --collapse: %q", got)
	}
	if code, out, _ := cli(ctx, "query", "--db", db, "--collapse", "--limit", "1", "--format", "jsonl"); code != 0 || len(jsonLines(t, out)) != 1 {
		t.Errorf("query --collapse --limit 1: %s", out)
	}
	code, out, _ = cli(ctx, "count", "--db", db, "--by", "story", "--format", "jsonl")
	rows := jsonLines(t, out)
	if code != 0 || len(rows) != 2 || rows[0]["story"] != story || rows[0]["count"].(float64) != 3 || rows[1]["count"].(float64) != 1 {
		t.Errorf("count --by story: %s", out)
	}
	if code, _, errs := cli(ctx, "count", "--db", db, "--by", "stories"); code != exitFatal || !strings.Contains(errs, "story") {
		t.Errorf("bad --by: %d %s", code, errs)
	}
}

func toStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		out = append(out, x.(string))
	}
	return out
}

// coverage reads the recorded polls: counts, gaps and silence, in every
// format, over a period and per outlet.
func TestCoverageCommand(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "a.db")
	st, err := store.Open(db, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for _, f := range []struct{ url, outlet string }{{"https://a.example/rss", "alpha"}, {"https://b.example/rss", "beta"}} {
		st.PutFeed(&store.FeedState{URL: f.url, Outlet: f.outlet})
		for i := range 60 {
			p := store.Poll{Feed: f.url, Time: t0.Add(time.Duration(i) * time.Hour), Status: 200, Items: 10, Overlap: 9, New: 1}
			switch {
			case f.outlet == "alpha" && i == 20:
				p.Overlap, p.New = 0, 10 // the window overflowed
			case f.outlet == "alpha" && i == 21:
				p.Status, p.Failed, p.Items, p.Overlap, p.New = 503, true, 0, 0, 0
			case f.outlet == "beta" && i >= 30:
				p.New, p.Overlap = 0, 10 // silent from hour 29 on
			}
			if err := st.PutPoll(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	st.Close()
	code, out, errs := cli(ctx, "coverage", "--db", db, "--format", "jsonl", "--since", "2026-11-02", "--until", "2026-11-04")
	rows := jsonLines(t, out)
	if code != 0 || len(rows) != 4 {
		t.Fatalf("coverage: %d %s %s", code, out, errs)
	}
	byKey := map[string]map[string]any{}
	for _, r := range rows {
		byKey[r["kind"].(string)+" "+r["outlet"].(string)] = r
	}
	a, b := byKey["feed alpha"], byKey["feed beta"]
	if a["polls"].(float64) != 60 || a["failures"].(float64) != 1 || len(a["gaps"].([]any)) != 1 || a["silent"] != nil {
		t.Errorf("alpha: %v", a)
	}
	if b["failures"].(float64) != 0 || b["gaps"] != nil || len(b["silent"].([]any)) != 1 || b["articles"].(float64) != 30 {
		t.Errorf("beta: %v", b)
	}
	if o := byKey["outlet beta"]; o == nil || o["articles"].(float64) != 30 {
		t.Errorf("outlet row: %v", o)
	}
	code, out, _ = cli(ctx, "coverage", "--db", db, "--format", "csv", "--outlet", "beta")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 3 || recs[1][2] != "https://b.example/rss" || recs[1][10] != "true" {
		t.Errorf("csv for beta: %v %v", recs, err)
	}
	if code, out, _ := cli(ctx, "coverage", "--db", db, "--format", "table"); code != 0 || !strings.Contains(out, "silent  beta") || !strings.Contains(out, "gap     alpha") {
		t.Errorf("table: %s", out)
	}
	if code, _, errs := cli(ctx, "coverage", "--db", db, "--since", "2026-11-05", "--until", "2026-11-01"); code != exitFatal || !strings.Contains(errs, "before --since") {
		t.Errorf("reversed dates: %d %s", code, errs)
	}
	// The export manifest states the coverage of its outlets and period.
	exp := filepath.Join(filepath.Dir(db), "x.jsonl")
	if code, out, errs := cli(ctx, "export", "--db", db, "--out", exp, "--outlet", "alpha,gamma", "--since", "2026-11-02", "--until", "2026-11-04", "--config", "/nonexistent"); code != 0 {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	mb, err := os.ReadFile(exp + ".manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(mb, &m); err != nil || m.Coverage == nil {
		t.Fatalf("manifest: %v %s", err, mb)
	}
	alpha, ok := m.Coverage.Outlets["alpha"]
	if !ok || alpha.Polls != 60 || alpha.Failures != 1 || len(alpha.Gaps) != 1 || alpha.EstMissed < 1 || !alpha.FirstPoll.Equal(t0) {
		t.Errorf("manifest coverage of alpha: %+v", alpha)
	}
	if strings.Join(m.Coverage.NoPollHistory, ",") != "gamma" || len(m.Coverage.Outlets) != 1 {
		t.Errorf("manifest coverage: %+v", m.Coverage)
	}
}

// With the daemon holding the archive, the analyses answer through its
// socket; the daemon records its polls and files what it archives.
func TestAnalysesThroughDaemon(t *testing.T) {
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml")
	db := filepath.Join(dir, "a.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var derr strings.Builder
	go func() {
		done <- run(ctx, []string{"daemon", "--config", cfg, "--db", db}, nil, io.Discard, &lockedWriter{w: &derr})
	}()
	bg := context.Background()
	// The daemon answers before its first poll has ended: wait for the
	// poll to show (a loaded machine may take seconds), not for an answer.
	var cov []map[string]any
	polled := func() bool {
		return len(cov) == 2 && cov[0]["polls"].(float64) >= 1 && cov[0]["articles"].(float64) >= 1
	}
	for i := 0; i < 1200 && !polled(); i++ {
		time.Sleep(25 * time.Millisecond)
		if code, out, _ := cli(bg, "coverage", "--db", db, "--format", "jsonl"); code == 0 {
			cov = jsonLines(t, out)
		}
	}
	if len(cov) != 2 || cov[0]["polls"].(float64) < 1 || cov[0]["articles"].(float64) < 1 {
		t.Fatalf("coverage through the daemon: %v", cov)
	}
	in := importLines(t, dir, []importLine{
		{URL: "https://yna.example/1", Outlet: "yonhap", Title: "N. Korea fires two missiles", Text: wireText},
		{URL: "https://herald.example/2", Outlet: "herald", Title: "Missiles again", Text: wireText + " Copyright Yonhap."},
	})
	if code, out, errs := cli(bg, "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	if code, out, errs := cli(bg, "stories", "backfill", "--db", db); code != 0 || !strings.Contains(out, "via socket") || !strings.Contains(out, "filed 2 articles (1 joined") {
		t.Fatalf("backfill through the daemon: %d %s %s", code, out, errs)
	}
	code, out, errs := cli(bg, "stories", "--db", db, "--format", "jsonl", "--outlet", "herald")
	if g := jsonLines(t, out); code != 0 || len(g) != 1 || g[0]["size"].(float64) != 2 {
		t.Errorf("stories through the daemon: %d %s %s", code, out, errs)
	}
	// The daemon filed the articles it archived itself.
	rows := queryRows(t, bg, db, "--outlet", "testtimes", "--limit", "1")
	if len(rows) == 0 {
		t.Fatal("the daemon archived nothing")
	}
	if code, out, _ := cli(bg, "show", "--db", db, rows[0]["url"].(string)); code != 0 || strings.Contains(out, "not grouped yet") {
		t.Errorf("an article the daemon archived is not filed: %s", out)
	}
	if code, out, _ := cli(bg, "count", "--db", db, "--by", "story", "--format", "jsonl", "--outlet", "yonhap,herald"); code != 0 || len(jsonLines(t, out)) != 1 {
		t.Errorf("count --by story through the daemon: %s", out)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("daemon exit %d: %s", code, derr.String())
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
