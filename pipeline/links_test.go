package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRelativeLinksResolveAgainstTheFeed: feeds that give item links as
// paths (<link>/news/1</link>) or protocol-relative (//host/x) were
// archived under the bare path, no page was fetched, and the same path in
// another site's feed was taken for the same article and dropped. Links
// resolve against the feed's URL (after redirects), as in a browser.
func TestRelativeLinksResolveAgainstTheFeed(t *testing.T) {
	site := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/rss/old":
				http.Redirect(w, r, "/rss/feed.xml", http.StatusMovedPermanently)
			case "/rss/feed.xml":
				fmt.Fprintf(w, `<rss version="2.0"><channel><item><title>Path</title><link>/news/1</link></item><item><title>Relative</title><link>story-2</link></item><item><title>Scheme-relative</title><link>//%s/news/3</link></item></channel></rss>`, r.Host)
			case "/news/1", "/rss/story-2", "/news/3":
				fmt.Fprintf(w, `<html><body><article><h1>%s %s</h1><p>The article text of %s is long enough to be kept by the extractor as the body.</p><p>A second paragraph follows with more words about the events of the day.</p></article></body></html>`, name, r.URL.Path, name)
			default:
				http.NotFound(w, r)
			}
		}))
	}
	a, b := site("alpha"), site("beta")
	defer a.Close()
	defer b.Close()
	p, st := newTestPipeline(t, a.URL+"/rss/old", b.URL+"/rss/feed.xml")
	rep := p.RunOnce(context.Background())
	if rep.New != 6 || rep.PagesFailed != 0 {
		t.Errorf("run: %+v, want 6 new articles, every page fetched", rep)
	}
	for _, tt := range []struct {
		srv  *httptest.Server
		name string
	}{{a, "alpha"}, {b, "beta"}} {
		for _, path := range []string{"/news/1", "/rss/story-2", "/news/3"} {
			art, err := st.GetByURL(tt.srv.URL + path)
			if err != nil {
				t.Errorf("%s%s not archived: %v", tt.srv.URL, path, err)
				continue
			}
			if art.FetchError != "" || !strings.Contains(art.Text, "The article text of "+tt.name) {
				t.Errorf("%s%s: fetch error %q, text %q", tt.srv.URL, path, art.FetchError, art.Text)
			}
		}
	}
}
