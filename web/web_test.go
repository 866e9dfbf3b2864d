package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/store"
)

func doc(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Archived text is data: it never becomes markup on any page.
func TestArchivedTextIsEscaped(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: f.open(t)})
	for _, target := range []string{"/?q=troops", "/?q=" + url.QueryEscape(`"><script>alert(3)</script>`), fmt.Sprintf("/article/%d", f.hostile), "/feeds", "/attention?q=troops&outlet=" + url.QueryEscape(`<svg onload=alert(1)>`)} {
		t.Run(target, func(t *testing.T) {
			rec := get(t, s, target)
			body := rec.Body.String()
			for _, bad := range []string{"<script>", "<img src=x", "<b>Mallory", "<b>503", "<svg onload"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s: raw markup %q in the page", target, bad)
				}
			}
			d := doc(t, rec)
			if n := d.Find("script").Length(); n != 0 {
				t.Errorf("%s: %d script elements", target, n)
			}
		})
	}
	rec := get(t, s, fmt.Sprintf("/article/%d", f.hostile))
	if got := doc(t, rec).Find("#title").Text(); got != hostileTitle {
		t.Errorf("hostile title shown as %q, want it as text %q", got, hostileTitle)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: f.open(t)})
	tests := []struct {
		target string
		want   []string
	}{
		{"/", []string{"default-src 'none'", "frame-ancestors 'none'"}},
		{"/attention", []string{"default-src 'none'"}},
		{fmt.Sprintf("/article/%d", f.edited), []string{"default-src 'none'", "frame-src 'self'"}},
		{"/feeds", []string{"default-src 'none'"}},
		{fmt.Sprintf("/raw/%d", f.edited), []string{"sandbox", "default-src 'none'", "form-action 'none'"}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, s, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			for _, w := range tt.want {
				if !strings.Contains(csp, w) {
					t.Errorf("CSP %q lacks %q", csp, w)
				}
			}
			if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows scripts", csp)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
		})
	}
	// The raw page keeps its script in the bytes, but the sandbox forbids it.
	rec := get(t, s, fmt.Sprintf("/raw/%d", f.edited))
	if !strings.Contains(rec.Body.String(), "<script>") || !strings.HasPrefix(rec.Header().Get("Content-Security-Policy"), "sandbox;") {
		t.Errorf("raw page not served as stored under a sandbox: %q", rec.Header().Get("Content-Security-Policy"))
	}
	// The article page frames it with a sandbox that has no allow-same-origin.
	d := doc(t, get(t, s, fmt.Sprintf("/article/%d", f.edited)))
	sb, ok := d.Find("iframe#raw").Attr("sandbox")
	if !ok || sb != "" {
		t.Errorf("raw frame sandbox = %q, %v; want an empty sandbox attribute", sb, ok)
	}
}

func TestOnlyReads(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: f.open(t)})
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(m, "/?q=troops", strings.NewReader("x")))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d, want 405", m, rec.Code)
		}
	}
}

func TestToken(t *testing.T) {
	f := buildFixture(t)
	const tok = "0123456789abcdef-secret"
	s := newTestServer(t, Options{Reader: f.open(t), Token: tok})
	tests := []struct {
		name   string
		target string
		hdr    []string
		status int
	}{
		{"none", "/", nil, http.StatusUnauthorized},
		{"wrong bearer", "/", []string{"Authorization", "Bearer nope"}, http.StatusUnauthorized},
		{"bearer", "/", []string{"Authorization", "Bearer " + tok}, http.StatusOK},
		{"cookie", "/feeds", []string{"Cookie", tokenCookie + "=" + tok}, http.StatusOK},
		{"wrong cookie", "/feeds", []string{"Cookie", tokenCookie + "=x"}, http.StatusUnauthorized},
		{"url token", "/?q=troops&token=" + tok, nil, http.StatusSeeOther},
		{"wrong url token", "/?token=x", nil, http.StatusUnauthorized},
		{"raw without", "/raw/1", nil, http.StatusUnauthorized},
		{"metrics without", "/export?format=csv", nil, http.StatusUnauthorized},
		{"healthz is open", "/healthz", nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s, tt.target, tt.hdr...)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
		})
	}
	rec := get(t, s, "/?q=troops&token="+tok)
	if loc := rec.Header().Get("Location"); strings.Contains(loc, "token") || !strings.Contains(loc, "q=troops") {
		t.Errorf("redirect to %q: want the query kept and the token dropped", loc)
	}
	if c := rec.Result().Cookies(); len(c) != 1 || c[0].Value != tok || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie %+v", c)
	}
}

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8080", "", true},
		{"[::1]:8080", "", true},
		{"localhost:8080", "", true},
		{"127.0.0.2:0", "", true},
		{":8080", "", false},
		{"0.0.0.0:8080", "", false},
		{"[::]:8080", "", false},
		{"192.168.1.5:8080", "", false},
		{"example.org:8080", "", false},
		{"0.0.0.0:8080", "0123456789abcdef", true},
		{"nonsense", "", false},
		// A port out of range was found only after the daemon had taken
		// (or made) the archive and started polling.
		{"127.0.0.1:99999", "", false},
		{"127.0.0.1:-1", "", false},
		{"127.0.0.1:", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := CheckAddr(tt.addr, tt.token)
			if (err == nil) != tt.ok {
				t.Errorf("CheckAddr(%q, %q) = %v, want ok=%v", tt.addr, tt.token, err, tt.ok)
			}
		})
	}
}

// chartCounts reads the data table of the attention page:
// outlet → period → count.
func chartCounts(t *testing.T, d *goquery.Document) map[string]map[string]int {
	t.Helper()
	out := map[string]map[string]int{}
	d.Find("table#data tbody tr").Each(func(_ int, tr *goquery.Selection) {
		period := tr.Find("th").Text()
		tr.Find("td").Each(func(_ int, td *goquery.Selection) {
			o, _ := td.Attr("data-outlet")
			n, err := strconv.Atoi(td.AttrOr("data-count", "x"))
			if err != nil {
				t.Fatalf("bad cell %q", td.Text())
			}
			if out[o] == nil {
				out[o] = map[string]int{}
			}
			if n > 0 {
				out[o][period] = n
			}
		})
	})
	// The undated, apart from the time axis.
	d.Find("#undated li").Each(func(_ int, li *goquery.Selection) {
		o := li.AttrOr("data-outlet", "")
		n, err := strconv.Atoi(li.AttrOr("data-count", "x"))
		if err != nil {
			t.Fatalf("bad undated row %q", li.Text())
		}
		if out[o] == nil {
			out[o] = map[string]int{}
		}
		out[o][store.Undated] += n
	})
	return out
}

// The chart's numbers are the archive's counts, period by period, the
// same as 'feedvault count --by P --outlet O' gives.
func TestAttentionEqualsCount(t *testing.T) {
	f := buildFixture(t)
	r := f.open(t)
	s := newTestServer(t, Options{Reader: r})
	ctx := context.Background()
	for _, by := range []string{store.ByDay, store.ByWeek, store.ByMonth} {
		for _, qs := range []string{"troops", "summit", "", "kursk OR kazan"} {
			t.Run(by+"/"+qs, func(t *testing.T) {
				rec := get(t, s, "/attention?by="+by+"&q="+url.QueryEscape(qs)+"&measure=share&mode=stacked")
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
				d := doc(t, rec)
				got := chartCounts(t, d)
				outlets, err := r.Count(ctx, archiveapi.QueryRequest{Query: qs}, store.ByOutlet)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(outlets) {
					t.Errorf("%d outlets on the chart, count has %d", len(got), len(outlets))
				}
				total := 0
				for _, o := range outlets {
					total += o.Count
					rows, err := r.Count(ctx, archiveapi.QueryRequest{Query: qs, Outlets: []string{o.Key}}, by)
					if err != nil {
						t.Fatal(err)
					}
					want := map[string]int{}
					for _, row := range rows {
						want[row.Key] = row.Count
					}
					if fmt.Sprint(want) != fmt.Sprint(got[o.Key]) {
						t.Errorf("%s: chart %v, count %v", o.Key, got[o.Key], want)
					}
					bar := d.Find(`#totals g.total[data-outlet="`+o.Key+`"]`).AttrOr("data-count", "")
					if bar != strconv.Itoa(o.Count) {
						t.Errorf("%s: total bar %q, count --by outlet %d", o.Key, bar, o.Count)
					}
				}
				if tot := d.Find("#total").Text(); tot != strconv.Itoa(total) {
					t.Errorf("total %s, want %d", tot, total)
				}
				if n := d.Find("#chart .point").Length(); total > 0 && n == 0 {
					t.Error("no marks on the chart")
				}
			})
		}
	}
}

func TestSearchPagesThroughAllMatches(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: f.open(t)})
	seen := map[string]bool{}
	target := "/?q=summit"
	pages := 0
	for target != "" {
		rec := get(t, s, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		d := doc(t, rec)
		if d.Find("#total").Text() != "45" {
			t.Errorf("total %q, want 45", d.Find("#total").Text())
		}
		d.Find("li.result").Each(func(_ int, li *goquery.Selection) {
			id := li.AttrOr("data-id", "")
			if seen[id] {
				t.Errorf("article %s on two pages", id)
			}
			seen[id] = true
			if li.Find(".snippet mark").Length() == 0 && li.Find(".title mark").Length() == 0 {
				t.Errorf("article %s: no match highlighted", id)
			}
		})
		pages++
		target = d.Find("a#next").AttrOr("href", "")
		if target != "" && !strings.Contains(target, "q=summit") {
			t.Fatalf("next page link %q lost the query", target)
		}
	}
	if len(seen) != 45 || pages != 3 {
		t.Errorf("%d articles over %d pages, want 45 over 3", len(seen), pages)
	}
}

func TestSearchErrors(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: f.open(t)})
	tests := []struct{ target, want string }{
		{"/?q=" + url.QueryEscape(`(troops`), "query: at character 1: unbalanced ("},
		{"/attention?q=" + url.QueryEscape(`troops)`), "query: at character 7"},
		{"/?since=yesterday", "invalid date"},
		{"/?since=2024-10-10&until=2024-10-01", "before since"},
		{"/?after=zz", "bad page position"},
		{"/attention?by=year", "unknown period"},
		{"/article/999999", "not found"},
		{"/article/abc", "bad article id"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, s, tt.target)
			if rec.Code < 400 || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("status %d, body lacks %q:\n%.400s", rec.Code, tt.want, rec.Body)
			}
		})
	}
}

func TestArticlePage(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: f.open(t)})
	d := doc(t, get(t, s, fmt.Sprintf("/article/%d", f.edited)))
	if got := d.Find("#title").Text(); got != "Troops withdraw, story 8" {
		t.Errorf("title %q", got)
	}
	if !strings.Contains(d.Find("#revisions del").Text(), "Officials declined to comment.") || !strings.Contains(d.Find("#revisions ins").Text(), "Officials confirmed the withdrawal.") {
		t.Errorf("revision diff: %q", d.Find("#revisions").Text())
	}
	if !strings.Contains(d.Find("#revisions").Text(), "Troops move, story 8") {
		t.Error("old title not shown")
	}
	rules := d.Find("#audit td.rule").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if len(rules) == 0 {
		t.Fatalf("empty removal audit: %s", d.Find("#audit").Text())
	}
	if !strings.Contains(d.Find("#audit").Text(), "Share on Facebook") {
		t.Errorf("audit lacks the share bar: %v", rules)
	}
	if !strings.Contains(d.Find("#observations").Text(), "https://yonhap.example/rss") {
		t.Errorf("feeds that listed it: %q", d.Find("#observations").Text())
	}
}

func TestFeedsPageMarksFailing(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: f.open(t)})
	d := doc(t, get(t, s, "/feeds"))
	st := map[string]string{}
	d.Find("tr.feed").Each(func(_ int, tr *goquery.Selection) {
		st[tr.Find("td.url").Text()] = tr.AttrOr("data-status", "")
	})
	if st["https://yonhap.example/rss"] != "failing" || st["https://meduza.example/rss"] != "ok" {
		t.Errorf("statuses %v", st)
	}
	if d.Find("svg.spark").Length() < 2 {
		t.Error("no volume charts")
	}
}

func TestExportZip(t *testing.T) {
	f := buildFixture(t)
	export := func(ctx context.Context, w io.Writer, r archiveapi.Reader, q archiveapi.QueryRequest, format string) (map[string]any, error) {
		n := 0
		err := archiveapi.Pages(ctx, r, q, 7, func(arts []*store.Article) error {
			for _, a := range arts {
				n++
				fmt.Fprintf(w, "%d,%s\n", a.ID, a.Outlet)
			}
			return nil
		})
		return map[string]any{"articles": n, "query": q.Query}, err
	}
	s := newTestServer(t, Options{Reader: f.open(t), Export: export})
	rec := get(t, s, "/export?format=csv&q=troops&outlet=meduza")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("status %d %s", rec.Code, rec.Header())
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil || len(zr.File) != 2 {
		t.Fatalf("zip: %v, %d files", err, len(zr.File))
	}
	read := func(i int) []byte {
		rc, err := zr.File[i].Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, _ := io.ReadAll(rc)
		return b
	}
	data, man := read(0), read(1)
	var m struct {
		Articles int    `json:"articles"`
		Query    string `json:"query"`
		Files    []struct {
			SHA256 string `json:"sha256"`
			Bytes  int    `json:"bytes"`
		} `json:"files"`
	}
	if err := json.Unmarshal(man, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if m.Articles != 5 || strings.Count(string(data), "\n") != 5 || m.Query != "troops" || len(m.Files) != 1 || m.Files[0].SHA256 != hex.EncodeToString(sum[:]) || m.Files[0].Bytes != len(data) {
		t.Errorf("manifest %s for data %q", man, data)
	}
	if rec := get(t, s, "/export?format=warc"); rec.Code != http.StatusBadRequest {
		t.Errorf("export warc: %d", rec.Code)
	}
}

func TestMetricsAndHealth(t *testing.T) {
	f := buildFixture(t)
	m := NewMetrics(true, func() int { return 3 })
	m.Polled("meduza", "")
	m.Polled("yonhap", "http_5xx")
	m.Fetched("page", 1500000000, 2048, "")
	m.Fetched("feed", 100000000, 0, "timeout")
	m.Archived("meduza")
	s := newTestServer(t, Options{Reader: f.open(t), Metrics: m})
	rec := get(t, s, "/metrics")
	body := rec.Body.String()
	for _, want := range []string{
		`feedvault_archive_articles 61`,
		`feedvault_archive_up 1`,
		`feedvault_polls_total{outlet="yonhap",result="http_5xx"} 1`,
		`feedvault_fetch_errors_total{class="timeout",kind="feed"} 1`,
		`feedvault_articles_archived_total{outlet="meduza"} 1`,
		`feedvault_fetched_bytes_total{kind="page"} 2048`,
		`feedvault_fetch_duration_seconds_count{kind="page"} 1`,
		`feedvault_page_fetches_in_flight 3`,
		`feedvault_queue_length{queue="not_fetched"}`,
		`feedvault_archive_size_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if rec := get(t, s, "/healthz"); rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("healthz %d %q", rec.Code, rec.Body)
	}
}

// undatedReader answers as an archive whose count has a bucket for
// articles without a date (the key is not a period).
type undatedReader struct{ archiveapi.Reader }

func (u undatedReader) CountByOutlet(ctx context.Context, q archiveapi.QueryRequest, by string) (map[string][]store.CountRow, error) {
	m, err := u.Reader.CountByOutlet(ctx, q, by)
	if rows, ok := m["meduza"]; ok {
		m["meduza"] = append([]store.CountRow{{Key: "undated", Count: 3}}, rows...)
	}
	return m, err
}

func TestAttentionShowsUndatedApart(t *testing.T) {
	f := buildFixture(t)
	s := newTestServer(t, Options{Reader: undatedReader{f.open(t)}})
	d := doc(t, get(t, s, "/attention?q=troops&by=week"))
	if got := d.Find(`#undated li[data-outlet="meduza"]`).AttrOr("data-count", ""); got != "3" {
		t.Errorf("undated meduza: %q, want 3", got)
	}
	if strings.Contains(d.Find("table#data").Text(), "undated") {
		t.Error("the undated bucket is on the time axis")
	}
	// The outlet's total includes them, as count --by outlet would.
	if got := d.Find(`#totals g.total[data-outlet="meduza"]`).AttrOr("data-count", ""); got != "8" {
		t.Errorf("meduza total %q, want 5 dated + 3 undated", got)
	}
}

// Without query words the chart takes another path through the archive:
// its numbers still equal count's, with every filter.
func TestAttentionFiltersEqualCount(t *testing.T) {
	f := buildFixture(t)
	r := f.open(t)
	ctx := context.Background()
	since, _ := query.ParseDate("2024-10-05", false)
	until, _ := query.ParseDate("2024-10-20", true)
	for _, q := range []archiveapi.QueryRequest{
		{},
		{Since: since, Until: until},
		{Since: since, Seen: true},
		{Outlets: []string{"meduza", "yonhap"}, Until: until},
		{Edited: true},
	} {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			grid, err := r.CountByOutlet(ctx, q, store.ByDay)
			if err != nil {
				t.Fatal(err)
			}
			outlets, err := r.Count(ctx, q, store.ByOutlet)
			if err != nil {
				t.Fatal(err)
			}
			if len(grid) != len(outlets) || len(outlets) == 0 {
				t.Errorf("%d outlets, count has %d", len(grid), len(outlets))
			}
			for _, o := range outlets {
				oq := q
				oq.Outlets = []string{o.Key}
				want, err := r.Count(ctx, oq, store.ByDay)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(grid[o.Key]) != fmt.Sprint(want) {
					t.Errorf("%s: %v, count %v", o.Key, grid[o.Key], want)
				}
			}
		})
	}
}

// A new archive, before the first poll, shows every page, empty.
func TestEmptyArchive(t *testing.T) {
	db := filepath.Join(t.TempDir(), "empty.db")
	st, err := store.Open(db, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	s := newTestServer(t, Options{Reader: fixture{db: db}.open(t), Metrics: NewMetrics(false, nil)})
	for _, target := range []string{"/", "/?q=troops", "/attention", "/attention?measure=share&by=day", "/feeds", "/metrics", "/healthz"} {
		if rec := get(t, s, target); rec.Code != http.StatusOK {
			t.Errorf("%s: status %d: %.300s", target, rec.Code, rec.Body)
		}
	}
	if d := doc(t, get(t, s, "/")); d.Find("#total").Text() != "0" {
		t.Errorf("total %q", d.Find("#total").Text())
	}
}
