package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
	"golang.org/x/text/encoding/charmap"
)

// web is a local news web that counts what it is asked.
type web struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	inflight atomic.Int64
	peak     atomic.Int64
	badUA    atomic.Int64
}

func (w *web) handle(h http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		n := w.inflight.Add(1)
		defer w.inflight.Add(-1)
		for p := w.peak.Load(); n > p && !w.peak.CompareAndSwap(p, n); p = w.peak.Load() {
		}
		if !strings.Contains(r.UserAgent(), "feedvault") {
			w.badUA.Add(1)
		}
		w.mu.Lock()
		w.hits[r.URL.Path]++
		w.mu.Unlock()
		h(rw, r)
	}
}

func (w *web) count(prefix string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for p, c := range w.hits {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

func newWeb(t *testing.T, mux func(w *web, m *http.ServeMux)) *web {
	w := &web{hits: map[string]int{}}
	m := http.NewServeMux()
	mux(w, m)
	w.Server = httptest.NewServer(m)
	t.Cleanup(w.Close)
	return w
}

func articleHTML(i int) string {
	return fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8"><title>Story %d</title></head><body><nav><a href="/">Home</a></nav>
<article><h1>Story %d</h1><p>Paragraph one of story number %d, which reports on the events of the day in some detail for readers.</p>
<p>Paragraph two of story number %d adds quotes from officials and the reaction of residents in the affected districts.</p></article></body></html>`, i, i, i, i)
}

func rss(base string, paths []string, titles []string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>`)
	for i, p := range paths {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s%s</link><guid>%s%s</guid></item>`, titles[i], base, p, base, p)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// hugeItems is the length of the huge feed: 2.4 MB, under the test's
// 4 MiB feed cap, and 300 times its item cap.
const hugeItems = 30000

// TestMisbehavingWeb is the bar: one good outlet of 40 articles
// beside ten misbehaving feeds, in one run. Time and memory are bounded by
// the test's structure (timeouts, caps, counts), not by the clock.
func TestMisbehavingWeb(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var bombBytes atomic.Int64
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(make([]byte, 8<<20))
	zw.Close()
	bombBlock := zb.Bytes()

	good := newWeb(t, func(w *web, m *http.ServeMux) {
		m.HandleFunc("/robots.txt", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			fmt.Fprint(rw, "User-agent: *\nDisallow: /private/\n")
		}))
		m.HandleFunc("/feed.xml", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			var paths, titles []string
			for i := 1; i <= 40; i++ {
				paths = append(paths, fmt.Sprintf("/a/%d", i))
				titles = append(titles, fmt.Sprintf("Story %d", i))
			}
			paths = append(paths, "/private/secret")
			titles = append(titles, "Secret")
			fmt.Fprint(rw, rss("http://"+r.Host, paths, titles))
		}))
		m.HandleFunc("/cp1251.xml", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			body := strings.Replace(rss("http://"+r.Host, []string{"/ru/1"}, []string{"Министр прибыла в Москву"}), `encoding="utf-8"`, `encoding="windows-1251"`, 1)
			enc, _ := charmap.Windows1251.NewEncoder().String(body)
			rw.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(rw, enc)
		}))
		m.HandleFunc("/a/", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			var i int
			fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/a/"), &i)
			fmt.Fprint(rw, articleHTML(i))
		}))
		// The Cyrillic item's page is gone: it is archived with the feed's title.
		m.HandleFunc("/ru/", w.handle(func(rw http.ResponseWriter, r *http.Request) { http.NotFound(rw, r) }))
		m.HandleFunc("/private/", w.handle(func(rw http.ResponseWriter, r *http.Request) { fmt.Fprint(rw, articleHTML(999)) }))
	})
	bad := newWeb(t, func(w *web, m *http.ServeMux) {
		m.HandleFunc("/hang", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		m.HandleFunc("/trickle", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			rw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
			for i := 0; i < 10000; i++ {
				if _, err := rw.Write([]byte(" ")); err != nil {
					return
				}
				rw.(http.Flusher).Flush()
				select {
				case <-release:
					return
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}))
		m.HandleFunc("/bomb", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			// 4 GiB of zeros: the same compressed 8 MiB block, sent 512
			// times as one gzip stream of many members. It is compressed
			// once, before the run, so that serving it costs the server
			// nothing and only the client's refusal is timed.
			rw.Header().Set("Content-Encoding", "gzip")
			cw := &countingWriter{w: rw, n: &bombBytes}
			for i := 0; i < 512; i++ {
				if _, err := cw.Write(bombBlock); err != nil {
					return
				}
			}
		}))
		m.HandleFunc("/huge.xml", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			rw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>`))
			for i := 0; i < hugeItems; i++ {
				fmt.Fprintf(rw, `<item><title>Item %d</title><link>http://%s/h/%d</link></item>`, i, r.Host, i)
			}
			rw.Write([]byte(`</channel></rss>`))
		}))
		m.HandleFunc("/h/", w.handle(func(rw http.ResponseWriter, r *http.Request) { fmt.Fprint(rw, articleHTML(5)) }))
		m.HandleFunc("/loop", w.handle(func(rw http.ResponseWriter, r *http.Request) { http.Redirect(rw, r, "/loop", http.StatusFound) }))
		m.HandleFunc("/429", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Retry-After", "3600")
			rw.WriteHeader(http.StatusTooManyRequests)
		}))
		m.HandleFunc("/500", w.handle(func(rw http.ResponseWriter, r *http.Request) { http.Error(rw, "boom", 500) }))
		m.HandleFunc("/garbage", w.handle(func(rw http.ResponseWriter, r *http.Request) { rw.Write([]byte{0x00, 0xff, 0x13, 0x37, 0x8b, 0x1f}) }))
		m.HandleFunc("/html", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			fmt.Fprint(rw, "<!doctype html><html><body><h1>Welcome to our homepage</h1></body></html>")
		}))
		m.HandleFunc("/null.json", w.handle(func(rw http.ResponseWriter, r *http.Request) {
			fmt.Fprint(rw, `{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[null]}`)
		}))
	})

	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fc := fetcher.New(fetcher.Options{UserAgent: "feedvault/test (+https://example.org)", Timeout: 5 * time.Second, PerHostConns: 2}) // the default
	badFeeds := []string{"/hang", "/trickle", "/bomb", "/huge.xml", "/loop", "/429", "/500", "/garbage", "/html", "/null.json"}
	var badURLs []string
	for _, f := range badFeeds {
		badURLs = append(badURLs, bad.URL+f)
	}
	rules, _ := extractor.Compile(extractor.Rules{})
	opt := Options{
		Outlets: []Outlet{
			{Name: "good", Feeds: []string{good.URL + "/feed.xml", good.URL + "/cp1251.xml"}, Interval: 15 * time.Minute, Robots: true, Rules: rules},
			{Name: "bad", Feeds: badURLs, Interval: 15 * time.Minute, Robots: true, Rules: rules},
		},
		// The caps are small so that refusing the bomb and cutting the huge
		// feed take little work: under -race on a loaded machine, reading
		// 24 MiB could outlast the 5 s timeout and turn "too_large" into
		// "timeout". What is tested is the kind of refusal, not the speed.
		MaxItemsPerPoll: 100, MaxFeedBytes: 4 << 20, MaxPageBytes: 5 << 20,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	}
	p := New(st, fc, opt)
	rep := p.RunOnce(context.Background())

	// All 40 good articles archived (plus the Cyrillic one), with text.
	arts, _ := st.Query(store.Filter{Outlets: []string{"good"}})
	withText := 0
	for _, a := range arts {
		if a.FetchError == "" && strings.Contains(a.Text, "Paragraph one") {
			withText++
		}
	}
	if withText != 40 {
		t.Errorf("%d good articles archived with text, want 40 (report %+v)", withText, rep)
	}
	// The page robots.txt disallows was never requested, but its item is archived.
	if n := good.count("/private/"); n != 0 {
		t.Errorf("robots-disallowed page requested %d times", n)
	}
	if a, err := st.GetByURL(good.URL + "/private/secret"); err != nil || !strings.Contains(a.FetchError, "robots") {
		t.Errorf("disallowed item not archived from the feed: %+v %v", a, err)
	}
	// The windows-1251 feed's title comes out as Cyrillic.
	if a, err := st.GetByURL(good.URL + "/ru/1"); err != nil || a.Title != "Министр прибыла в Москву" {
		t.Errorf("cp1251 item: %+v %v", a, err)
	}
	// Every bad feed has an error recorded.
	classes := map[string]string{}
	for _, f := range badURLs {
		fs, _ := st.Feed(f)
		if fs.LastError == "" {
			t.Errorf("%s: no error recorded", f)
		}
		classes[strings.TrimPrefix(f, bad.URL)] = fs.ErrorClass
	}
	want := map[string]string{"/hang": "timeout", "/trickle": "timeout", "/bomb": "too_large", "/loop": "network",
		"/429": "http_status", "/500": "http_status", "/garbage": "not_feed", "/html": "not_feed", "/null.json": "parse"}
	for f, c := range want {
		if classes[f] != c {
			t.Errorf("%s: class %q, want %q", f, classes[f], c)
		}
	}
	// The huge feed did not flood the archive: at most 100 items taken, and it says so.
	huge, _ := st.Feed(bad.URL + "/huge.xml")
	if n := bad.count("/h/"); n > 100 {
		t.Errorf("huge feed started %d page fetches, want at most 100", n)
	}
	if huge.Truncated != hugeItems-100 {
		t.Errorf("huge feed truncated %d, want %d (last error %q)", huge.Truncated, hugeItems-100, huge.LastError)
	}
	// The bomb was refused while small: far less than 4 GiB of gzip went out.
	if n := bombBytes.Load(); n > 64<<20 {
		t.Errorf("server sent %d compressed bytes of the bomb before the client gave up", n)
	}
	// Politeness: with the default of 2 connections per host, the server
	// never sees more than 4 requests at once (the margin covers handlers
	// that have not yet noticed their client gave up); every request named
	// feedvault.
	for _, w := range []*web{good, bad} {
		if p := w.peak.Load(); p > 4 {
			t.Errorf("%s: %d requests in flight at once, want at most 4", w.URL, p)
		}
		if n := w.badUA.Load(); n != 0 {
			t.Errorf("%s: %d requests without feedvault in the User-Agent", w.URL, n)
		}
	}
	// A second run does not poll the 429 feed (Retry-After 3600).
	before := bad.count("/429")
	p.RunOnce(context.Background())
	if after := bad.count("/429"); after != before {
		t.Errorf("second run polled the 429 feed again")
	}
	if fs, _ := st.Feed(bad.URL + "/429"); fs.HoldUntil.Before(time.Now().Add(59 * time.Minute)) {
		t.Errorf("429 hold until %s, want about an hour from now", fs.HoldUntil)
	}
}

type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n *atomic.Int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n.Add(int64(n))
	return n, err
}
