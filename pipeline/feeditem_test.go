package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// An article keeps everything its feed item said (every author, category
// and enclosure, both dates), even where the page's metadata wins; an
// item with no date stays undated rather than taking the fetch time.
func TestArticleKeepsWhatTheFeedSaid(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			fmt.Fprintf(w, `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<item><title>dated</title><link>http://%[1]s/a</link><dc:creator>Ann Lee</dc:creator><dc:creator>Bo Kim</dc:creator>
<category>World</category><category>Asia</category><enclosure url="http://%[1]s/a.mp3" type="audio/mpeg" length="12345"/>
<pubDate>Thu, 01 Jul 2004 12:00:00 CEST</pubDate><atom:updated>2004-07-02T08:00:00Z</atom:updated></item>
<item><title>undated</title><link>http://%[1]s/b</link></item>
</channel></rss>`, r.Host)
			return
		}
		fmt.Fprint(w, `<html><head><meta name="author" content="Page Author"></head><body><article><p>Some article text that is long enough to keep around for the test, with a second sentence.</p></article></body></html>`)
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	if rep := p.RunOnce(context.Background()); rep.New != 2 {
		t.Fatalf("run: %+v", rep)
	}
	a, err := st.GetByURL(srv.URL + "/a")
	if err != nil {
		t.Fatal(err)
	}
	ff := a.FromFeed
	if ff == nil {
		t.Fatal("no FromFeed on the article")
	}
	if fmt.Sprint(ff.Authors) != "[Ann Lee Bo Kim]" || fmt.Sprint(ff.Categories) != "[World Asia]" {
		t.Errorf("authors %q, categories %q", ff.Authors, ff.Categories)
	}
	if len(ff.Enclosures) != 1 || ff.Enclosures[0].URL != srv.URL+"/a.mp3" || ff.Enclosures[0].Type != "audio/mpeg" || ff.Enclosures[0].Length != 12345 {
		t.Errorf("enclosures %+v", ff.Enclosures)
	}
	if want := time.Date(2004, 7, 1, 10, 0, 0, 0, time.UTC); !ff.Published.Equal(want) || !a.Published.Equal(want) {
		t.Errorf("published %v (article %v), want %v", ff.Published, a.Published, want)
	}
	if want := time.Date(2004, 7, 2, 8, 0, 0, 0, time.UTC); !ff.Updated.Equal(want) {
		t.Errorf("updated %v, want %v", ff.Updated, want)
	}
	b, err := st.GetByURL(srv.URL + "/b")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Published.IsZero() || b.FromFeed != nil {
		t.Errorf("undated item: published %v, from feed %+v; want zero and nil", b.Published, b.FromFeed)
	}
}
