package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// countingProgress records what the pipeline tells a progress display.
type countingProgress struct {
	mu     sync.Mutex
	total  int
	done   int
	counts map[string]int
}

func (c *countingProgress) Total(n int) { c.mu.Lock(); c.total = n; c.mu.Unlock() }
func (c *countingProgress) Done(n int)  { c.mu.Lock(); c.done += n; c.mu.Unlock() }
func (c *countingProgress) Count(w string) {
	c.mu.Lock()
	c.counts[w]++
	c.mu.Unlock()
}

// TestRunOnceTellsProgress: a run reports its feeds as the total, each
// feed polled (failed ones too) as done, each page fetched and each
// article archived.
func TestRunOnceTellsProgress(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/broken.xml":
			http.Error(w, "no", http.StatusInternalServerError)
		case strings.HasSuffix(r.URL.Path, ".xml"):
			n := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>t</title><item><title>A %[1]s</title><link>%[2]s/a/%[1]s</link></item><item><title>B %[1]s</title><link>%[2]s/b/%[1]s</link></item></channel></rss>`, n, srv.URL)
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><body><article><p>%s</p></article></body></html>", strings.Repeat("Troops and talks. ", 40))
		}
	}))
	defer srv.Close()
	p, _ := newTestPipeline(t, srv.URL+"/one.xml", srv.URL+"/two.xml", srv.URL+"/broken.xml")
	prog := &countingProgress{counts: map[string]int{}}
	p.opt.Progress = prog
	rep := p.RunOnce(context.Background())
	if rep.Feeds != 3 || rep.FeedsFailed != 1 || rep.New != 4 {
		t.Fatalf("report %+v", rep)
	}
	if prog.total != 3 || prog.done != 3 || prog.counts["pages"] != 4 || prog.counts["archived"] != 4 {
		t.Errorf("progress: total %d, done %d, counts %v; want 3, 3, pages 4, archived 4", prog.total, prog.done, prog.counts)
	}
}
