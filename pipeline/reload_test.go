package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDaemonReloading: outlets sent on the reload channel replace the
// running ones: a feed added is polled, the jobs are the new ones, and
// the daemon still stops when its context ends.
func TestDaemonReloading(t *testing.T) {
	var (
		mu   sync.Mutex
		hits = map[string]int{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>t</title></channel></rss>`)
	}))
	defer srv.Close()
	count := func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[path]
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waited a minute for %s", what)
			}
		}
	}
	p, _ := newTestPipeline(t, srv.URL+"/a.xml")
	ctx, cancel := context.WithCancel(context.Background())
	reload := make(chan []Outlet)
	done := make(chan struct{})
	go func() {
		p.DaemonReloading(ctx, reload)
		close(done)
	}()
	waitFor("a.xml polled", func() bool { return count("/a.xml") > 0 })

	rules := p.outlets()[0].Rules
	reload <- []Outlet{{Name: "o", Feeds: []string{srv.URL + "/b.xml"}, Interval: time.Hour, Robots: true, Rules: rules},
		{Name: "n", Feeds: []string{srv.URL + "/c.xml"}, Interval: time.Hour, Robots: true, Rules: rules}}
	waitFor("b.xml and c.xml polled", func() bool { return count("/b.xml") > 0 && count("/c.xml") > 0 })
	var urls []string
	for _, j := range p.jobs() {
		urls = append(urls, strings.TrimPrefix(j.url, srv.URL))
	}
	if !slices.Equal(urls, []string{"/b.xml", "/c.xml"}) {
		t.Errorf("jobs after reload: %q", urls)
	}
	if p.outletsByName()["n"] == nil {
		t.Error("the new outlet is unknown by name")
	}
	cancel()
	<-done
	if n := count("/a.xml"); n != 1 {
		t.Errorf("a.xml polled %d times; its next poll was an hour away, then it was removed", n)
	}
}
