package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Each poll leaves a compact record (items, new, overlap) for coverage
// accounting; a poll whose items are all new is a gap.
func TestPollsAreRecorded(t *testing.T) {
	var poll atomic.Int64
	lists := [][]string{{"a", "b"}, {"a", "b", "c"}, {"x", "y"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			var items strings.Builder
			for _, s := range lists[min(int(poll.Load()), len(lists)-1)] {
				fmt.Fprintf(&items, `<item><title>%s</title><link>http://%s/%s</link><description>About %s.</description></item>`, s, r.Host, s, s)
			}
			fmt.Fprintf(w, `<rss version="2.0"><channel>%s</channel></rss>`, items.String())
			return
		}
		fmt.Fprintf(w, `<html><body><article><h1>%s</h1><p>Text of page %s, long enough for the extractor to keep it as the article body.</p></article></body></html>`, r.URL.Path, r.URL.Path)
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for i := range lists {
		poll.Store(int64(i))
		p.now = func() time.Time { return t0.Add(time.Duration(i) * time.Hour) }
		p.RunOnce(context.Background())
	}
	polls, err := st.Polls(srv.URL+"/feed", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][3]int{{2, 2, 0}, {3, 1, 2}, {2, 2, 0}} // items, new, overlap
	if len(polls) != len(want) {
		t.Fatalf("%d polls recorded, want %d: %+v", len(polls), len(want), polls)
	}
	for i, p := range polls {
		if got := [3]int{p.Items, p.New, p.Overlap}; got != want[i] || !p.Time.Equal(t0.Add(time.Duration(i)*time.Hour)) || p.Status != 200 {
			t.Errorf("poll %d: %+v, want items/new/overlap %v at %s", i, p, want[i], t0.Add(time.Duration(i)*time.Hour))
		}
	}
}

// Two outlets' copies of one wire story land in one group as they are
// archived, with the agency credit kept.
func TestCopiesAreGroupedAsTheyArrive(t *testing.T) {
	wire := "KYIV (Reuters) - " + strings.Repeat("The city council voted on Tuesday to extend emergency repairs of the heating network before winter, officials said. ", 2) +
		"Residents had complained for weeks about cold flats and broken pipes in the eastern districts. The mayor promised that the work would be finished by December and that funding was secured from the national budget."
	other := "A different report on the heating network: engineers in the western districts described a new plan to replace boilers over the next three years, with money from a European loan and a small rise in tariffs that parliament still has to approve."
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, `<rss version="2.0"><channel><item><title>Council extends repairs</title><link>http://%[1]s/one</link></item><item><title>Repairs go on, council says</title><link>http://%[1]s/two</link></item><item><title>Boilers</title><link>http://%[1]s/three</link></item></channel></rss>`, r.Host)
		case "/one", "/two":
			fmt.Fprintf(w, `<html><body><article><h1>%s</h1><p>%s</p></article></body></html>`, r.URL.Path, wire)
		case "/three":
			fmt.Fprintf(w, `<html><body><article><h1>Boilers</h1><p>%s</p></article></body></html>`, other)
		}
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	if rep := p.RunOnce(context.Background()); rep.New != 3 {
		t.Fatalf("run: %+v", rep)
	}
	var groups []uint64
	for _, path := range []string{"/one", "/two", "/three"} {
		a, err := st.GetByURL(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		si, ok, err := st.Story(a.ID)
		if err != nil || !ok {
			t.Fatalf("%s not filed: %v", path, err)
		}
		if path != "/three" && !slices.Contains(si.Agencies, "Reuters") {
			t.Errorf("%s: agencies %v, want Reuters", path, si.Agencies)
		}
		groups = append(groups, si.Group)
	}
	if groups[0] != groups[1] || groups[2] == groups[0] {
		t.Errorf("groups %v: want the two copies together and the other article apart", groups)
	}
}
