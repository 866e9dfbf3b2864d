package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Sightings count polls, not items: a poll listing three URL variants
// of one story counts once; the first poll that lists an article is
// recorded; a poll answered 304 counts for the articles the last
// complete poll listed.
func TestSightingsPerPoll(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			fmt.Fprintf(w, `<rss version="2.0"><channel>
<item><title>t</title><link>http://%[1]s/a</link></item>
<item><title>t</title><link>http://%[1]s/a?utm_source=x</link></item>
<item><title>t</title><link>http://%[1]s/a#top</link></item>
</channel></rss>`, r.Host)
			return
		}
		fmt.Fprint(w, `<html><body><p>Some article text that is long enough to keep around for the test.</p></body></html>`)
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i, want := range []struct {
		notModified int
		count       int
	}{{0, 1}, {1, 2}, {1, 3}} {
		p.now = func() time.Time { return t0.Add(time.Duration(i) * time.Hour) }
		rep := p.RunOnce(context.Background())
		if rep.NotModified != want.notModified {
			t.Fatalf("poll %d: %+v", i, rep)
		}
		a, err := st.GetByURL(srv.URL + "/a")
		if err != nil {
			t.Fatal(err)
		}
		obs, err := st.Observations(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(obs) != 1 {
			t.Fatalf("poll %d: %d feeds in the sightings, want 1: %+v", i, len(obs), obs)
		}
		o := obs[0]
		if o.Feed != srv.URL+"/feed" || o.Count != want.count || !o.First.Equal(t0) || !o.Last.Equal(p.now()) {
			t.Errorf("poll %d: sightings %+v, want count %d, first %s, last %s", i, o, want.count, t0, p.now())
		}
	}
}
