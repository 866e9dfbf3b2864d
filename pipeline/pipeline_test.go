package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/feedparse"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

func newTestPipeline(t *testing.T, feeds ...string) (*Pipeline, *store.Store) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rules, _ := extractor.Compile(extractor.Rules{})
	fc := fetcher.New(fetcher.Options{UserAgent: "feedvault-test", Timeout: 5 * time.Second})
	p := New(st, fc, Options{Outlets: []Outlet{{Name: "o", Feeds: feeds, Interval: time.Hour, Robots: true, Rules: rules}}})
	return p, st
}

func TestSkipTimes(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2024, 10, d, h, 30, 0, 0, time.UTC) } // 27 Oct 2024 is a Sunday
	tests := []struct {
		name  string
		in    time.Time
		hours []int
		days  []time.Weekday
		want  time.Time
	}{
		{"nothing to skip", at(28, 3), nil, nil, at(28, 3)},
		{"skip hours", at(28, 3), []int{3, 4}, nil, time.Date(2024, 10, 28, 5, 0, 0, 0, time.UTC)},
		{"skip sunday", at(27, 10), nil, []time.Weekday{time.Sunday}, time.Date(2024, 10, 28, 0, 0, 0, 0, time.UTC)},
		{"all hours skipped", at(28, 3), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, nil, time.Time{}},
	}
	for _, tt := range tests {
		got := skipTimes(tt.in, tt.hours, tt.days)
		if !tt.want.IsZero() && !got.Equal(tt.want) {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
		if tt.want.IsZero() && got.Before(tt.in) {
			t.Errorf("%s: went back in time: %s", tt.name, got)
		}
	}
}

func TestAdaptiveInterval(t *testing.T) {
	p, _ := newTestPipeline(t)
	o := &p.opt.Outlets[0]
	st := &store.FeedState{}
	now := time.Now()
	for i := 0; i < 20; i++ {
		p.succeedFeed(st, o, now, true, nil)
	}
	if got := time.Duration(st.Interval); got != o.Interval/4 {
		t.Errorf("after many polls with news: %s, want the floor %s", got, o.Interval/4)
	}
	for i := 0; i < 40; i++ {
		p.succeedFeed(st, o, now, false, nil)
	}
	if got := time.Duration(st.Interval); got != o.Interval*4 {
		t.Errorf("after many quiet polls: %s, want the ceiling %s", got, o.Interval*4)
	}
	p.succeedFeed(st, o, now, true, &feedparse.Feed{TTL: 10 * time.Hour})
	if got := time.Duration(st.Interval); got != 10*time.Hour {
		t.Errorf("ttl floor: %s", got)
	}
	if d := st.NextPoll.Sub(now); d < 9*time.Hour || d > 11*time.Hour {
		t.Errorf("next poll in %s, want about 10h", d)
	}
}

// A page that fails is archived from the feed, retried on schedule, and
// filled in once it answers.
func TestPendingPageIsRetried(t *testing.T) {
	var up atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, `<rss version="2.0"><channel><item><title>Feed title</title><link>http://%s/a</link><description>Feed summary.</description></item></channel></rss>`, r.Host)
		case "/a":
			if !up.Load() {
				http.Error(w, "down", 503)
				return
			}
			fmt.Fprint(w, `<html><body><article><h1>Page title</h1><p>The page is up now and its article text is long enough to be kept by the extractor.</p><p>A second paragraph follows with more words about the events of the day.</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	rep := p.RunOnce(context.Background())
	if rep.New != 1 || rep.PagesFailed < 1 {
		t.Fatalf("first run: %+v", rep)
	}
	a, err := st.GetByURL(srv.URL + "/a")
	if err != nil || a.FetchError == "" || a.Title != "Feed title" || a.Summary != "Feed summary." {
		t.Fatalf("not archived from the feed: %+v %v", a, err)
	}
	if due, _ := st.DuePending(time.Now(), 0); len(due) != 0 {
		t.Fatalf("retry due at once: %+v", due)
	}
	up.Store(true)
	p.now = func() time.Time { return time.Now().Add(time.Hour) } // the retry is due
	if r := p.RetryPending(context.Background(), 10); r.Updated != 1 {
		t.Fatalf("retry: %+v", r)
	}
	a, _ = st.GetByURL(srv.URL + "/a")
	if a.FetchError != "" || !strings.Contains(a.Text, "The page is up now") || !a.FirstSeen.Before(time.Now()) {
		t.Errorf("after retry: %+v", a)
	}
	if due, _ := st.DuePending(time.Now().Add(48*time.Hour), 0); len(due) != 0 {
		t.Errorf("still pending after success: %+v", due)
	}
}

// A server that ignores validators but sends the same bytes costs no
// article fetch; the feed's events record each poll.
func TestSameBytesCountAsNotModified(t *testing.T) {
	var pages atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			w.Header().Set("ETag", fmt.Sprintf(`"%d"`, time.Now().UnixNano())) // a new ETag every time
			fmt.Fprintf(w, `<rss version="2.0"><channel><item><title>t</title><link>http://%s/a</link></item></channel></rss>`, r.Host)
			return
		}
		if r.URL.Path == "/a" {
			pages.Add(1)
		}
		fmt.Fprint(w, `<html><body><p>Some article text that is long enough to keep around for the test.</p></body></html>`)
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	p.RunOnce(context.Background())
	rep := p.RunOnce(context.Background())
	if rep.NotModified != 1 || pages.Load() != 1 {
		t.Errorf("second poll: %+v, %d page fetches", rep, pages.Load())
	}
	fs, _ := st.Feed(srv.URL + "/feed")
	if len(fs.Events) != 2 || fs.Events[0].New != 1 || fs.Events[1].New != 0 {
		t.Errorf("events: %+v", fs.Events)
	}
}

// A poll whose items were all unseen, after an earlier success, may have
// missed items: the next poll comes sooner.
func TestPossibleGapPollsSooner(t *testing.T) {
	var gen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			g := gen.Load()
			fmt.Fprintf(w, `<rss version="2.0"><channel><item><title>t</title><link>http://%s/a%d</link></item></channel></rss>`, r.Host, g)
			return
		}
		fmt.Fprint(w, `<html><body><p>Some article text that is long enough to keep around for the test.</p></body></html>`)
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	p.RunOnce(context.Background())
	gen.Store(1)
	p.RunOnce(context.Background())
	fs, _ := st.Feed(srv.URL + "/feed")
	if d := time.Until(fs.NextPoll); d > 20*time.Minute {
		t.Errorf("after a possible gap the next poll is in %s, want within a quarter of the 1h interval", d)
	}
}
