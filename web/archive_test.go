package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/store"
)

// page is a small article page with boilerplate the extractor removes.
func page(title, body string) []byte {
	return []byte(`<!doctype html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><script>document.title="pwned"</script>
<article><h1>` + title + `</h1>` + body + `<div class="share-bar"><a href="#">Share on Facebook</a></div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/x">Some other story entirely</a></li></ul></aside>
<footer>© Test Times. All rights reserved.</footer></body></html>`)
}

// fixture is a small archive: known articles in three outlets over
// October 2024, one undated-by-publisher, one edited, one hostile title.
type fixture struct {
	db      string
	edited  uint64
	hostile uint64
}

const hostileTitle = `<script>alert("x")</script><img src=x onerror=alert(1)> Troops & "quotes"`

func buildFixture(t testing.TB) fixture {
	t.Helper()
	db := filepath.Join(t.TempDir(), "a.db")
	st, err := store.Open(db, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := fixture{db: db}
	base := time.Date(2024, 10, 1, 9, 0, 0, 0, time.UTC)
	outlets := []string{"meduza", "themoscowtimes", "yonhap"}
	for i := 0; i < 60; i++ {
		o := outlets[i%3]
		pub := base.Add(time.Duration(i) * 11 * time.Hour)
		title := fmt.Sprintf("Story %d about the summit", i)
		text := fmt.Sprintf("Paragraph one of story %d.\n\nLeaders met at the summit in Kazan.", i)
		if i%4 == 0 {
			title = fmt.Sprintf("Troops move, story %d", i)
			text = fmt.Sprintf("North Korean troops were seen near Kursk, story %d says.\n\nOfficials declined to comment.", i)
		}
		raw := page(title, "<p>"+strings.ReplaceAll(text, "\n\n", "</p><p>")+"</p>")
		a := &store.Article{URL: fmt.Sprintf("https://%s.example/%d", o, i), Outlet: o, Feed: "https://" + o + ".example/rss",
			Title: title, Text: text, Published: pub, FirstSeen: pub.Add(time.Hour), Fetched: pub.Add(time.Hour),
			Status: 200, ContentType: "text/html; charset=utf-8", ExtractorVersion: "1.0"}
		if i == 7 {
			a.Published = time.Time{} // the page gave no date
		}
		id, _, err := st.Put(a, raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Observe(id, a.Feed, a.FirstSeen); err != nil {
			t.Fatal(err)
		}
		if i == 8 {
			f.edited = id
			if _, err := st.Revise(id, 0, store.RefetchResult{Status: 200, Article: &store.Article{Title: "Troops withdraw, story 8",
				Text: "North Korean troops were seen near Kursk, story 8 says.\n\nOfficials confirmed the withdrawal.", Fetched: pub.Add(48 * time.Hour)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	id, _, err := st.Put(&store.Article{URL: "https://evil.example/1", Outlet: "evil", Title: hostileTitle,
		Text: "Body with </p><script>alert(2)</script> and troops.", Published: base, FirstSeen: base, Authors: []string{"<b>Mallory</b>"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.hostile = id
	now := time.Now().UTC()
	for _, fs := range []*store.FeedState{
		{URL: "https://meduza.example/rss", Outlet: "meduza", LastPoll: now, LastSuccess: now, NextPoll: now.Add(time.Hour), Events: []store.Event{{Time: now.Add(-30 * 24 * time.Hour), Items: 10, New: 2}, {Time: now, Items: 10, New: 1}}},
		{URL: "https://yonhap.example/rss", Outlet: "yonhap", LastPoll: now, LastSuccess: now.Add(-72 * time.Hour), ConsecutiveFailures: 3,
			LastError: `fetch: <b>503</b>`, ErrorClass: "http_5xx", Events: []store.Event{{Time: now, Class: "http_5xx", Error: "503"}}},
	} {
		if err := st.PutFeed(fs); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// open reaches the fixture as the CLI does with no daemon: read-only.
func (f fixture) open(t testing.TB) archiveapi.Reader {
	t.Helper()
	r, err := archiveapi.Open(context.Background(), f.db, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func newTestServer(t testing.TB, opt Options) *Server {
	t.Helper()
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t testing.TB, h http.Handler, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
