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

	"github.com/feedvault/feedvault/store"
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

// TestItemsWithoutLinks: an item with neither link nor GUID (a post that
// is all text) was dropped without a word; one with a GUID only was
// "fetched" from the URL "" (a page failure, queued for 12 retries).
// Both are archived from what the feed says, with no fetch; the first
// kind under a GUID made of its content, so that the next poll finds it.
func TestItemsWithoutLinks(t *testing.T) {
	var requests, polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed" {
			requests.Add(1)
			http.NotFound(w, r)
			return
		}
		// Other bytes each time: the items are read again.
		fmt.Fprintf(w, `<!-- poll %d -->`, polls.Add(1))
		fmt.Fprint(w, `<rss version="2.0"><channel><title>n</title>
<item><title>GUID only</title><guid isPermaLink="false">tag:x,2024:1</guid><description>Text one.</description></item>
<item><title>Nothing else</title><description>Only a description: no link, no GUID.</description></item>
<item><description>No title either.</description></item>
<item><description>No title either.</description></item>
<item></item>
</channel></rss>`)
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	rep := p.RunOnce(context.Background())
	if rep.New != 3 || rep.PagesFailed != 0 || requests.Load() != 0 {
		t.Fatalf("run: %+v, %d page requests; want 3 new articles, nothing fetched", rep, requests.Load())
	}
	if due, _ := st.DuePending(time.Now().Add(48*time.Hour), 0); len(due) != 0 {
		t.Errorf("retries queued for items without a page: %+v", due)
	}
	found := map[string]bool{}
	st.ForEach(nil, func(a *store.Article) error {
		found[a.Summary] = a.FetchError == "" && len(a.GUIDs) == 1
		return nil
	})
	for _, s := range []string{"Text one.", "Only a description: no link, no GUID.", "No title either."} {
		if !found[s] {
			t.Errorf("%q: not archived with a GUID and no fetch error (%v)", s, found)
		}
	}
	p.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if rep := p.RunOnce(context.Background()); rep.New != 0 || rep.Items != 5 || polls.Load() != 2 {
		t.Errorf("second poll: %+v, %d polls, want 5 items read again, nothing new", rep, polls.Load())
	}
}

// TestBinaryPagesAreNotExtracted: a link to a PDF, or an image, was run
// through the HTML extractor, which archived the file's bytes as the
// article's text ("%PDF-1.4 %âãÏÓ 1 0 obj…") and put them in the index.
// The page is kept as fetched, flagged, without a text of bytes; a page
// whose Content-Type lies (HTML served as image/png) is still extracted.
func TestBinaryPagesAreNotExtracted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, `<rss version="2.0"><channel>
<item><title>Report</title><link>http://%[1]s/report.pdf</link><description>The annual report.</description></item>
<item><title>Chart</title><link>http://%[1]s/chart</link></item>
<item><title>Story</title><link>http://%[1]s/story</link></item>
</channel></rss>`, r.Host)
		case "/report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj trailer<<>>\n%%EOF"))
		case "/chart":
			w.Header().Set("Content-Type", "text/html") // a lie
			w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"))
		case "/story":
			w.Header().Set("Content-Type", "image/png") // a lie the other way
			fmt.Fprint(w, `<html><body><article><h1>Story</h1><p>The article text is long enough to be kept by the extractor as the body of the story.</p><p>A second paragraph follows with more words about the events of the day.</p></article></body></html>`)
		}
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	if rep := p.RunOnce(context.Background()); rep.New != 3 || rep.PagesFailed != 0 {
		t.Fatalf("run: %+v", rep)
	}
	for _, path := range []string{"/report.pdf", "/chart"} {
		a, err := st.GetByURL(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := st.Raw(a.ID)
		if strings.Contains(a.Text, "PDF") || strings.Contains(a.Text, "PNG") || !slices.Contains(a.Flags, FlagNotHTML) || len(raw) == 0 || a.FetchError != "" {
			t.Errorf("%s: text %q, flags %v, raw %d bytes, fetch error %q", path, a.Text, a.Flags, len(raw), a.FetchError)
		}
	}
	if a, err := st.GetByURL(srv.URL + "/story"); err != nil || !strings.Contains(a.Text, "The article text is long enough") {
		t.Errorf("HTML served as image/png: %v %+v", err, a)
	}
}

// TestGUIDsOfTwoFeedsCollide: two feeds of one outlet that number their
// items 1, 2, … each (category feeds of another CMS) gave different
// articles the same GUID: the second feed's articles were taken for the
// first's and never archived. A GUID found with another link from
// another feed of the outlet now names another article; within one feed,
// a GUID whose link changed is still the same article.
func TestGUIDsOfTwoFeedsCollide(t *testing.T) {
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cat/a", "/cat/b":
			n := polls.Add(1)
			slug := ""
			if n > 2 && r.URL.Path == "/cat/a" {
				slug = "-updated" // the headline, and with it the link, changed
			}
			fmt.Fprintf(w, `<!-- %[4]d --><rss version="2.0"><channel>
<item><title>One</title><link>http://%[1]s%[2]s/1%[3]s</link><guid isPermaLink="false">1</guid></item>
<item><title>Two</title><link>http://%[1]s%[2]s/2</link><guid isPermaLink="false">2</guid></item>
</channel></rss>`, r.Host, r.URL.Path, slug, n)
		default:
			fmt.Fprintf(w, `<html><body><article><h1>%[1]s</h1><p>The article at %[1]s is long enough to be kept by the extractor as the body.</p><p>A second paragraph follows with more words about the events of the day.</p></article></body></html>`, r.URL.Path)
		}
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/cat/a", srv.URL+"/cat/b")
	if rep := p.RunOnce(context.Background()); rep.New != 4 {
		t.Errorf("first poll: %+v, want 4 articles", rep)
	}
	for _, path := range []string{"/cat/a/1", "/cat/a/2", "/cat/b/1", "/cat/b/2"} {
		if a, err := st.GetByURL(srv.URL + path); err != nil || !strings.Contains(a.Text, "The article at "+path) {
			t.Errorf("%s: %v", path, err)
		}
	}
	p.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if rep := p.RunOnce(context.Background()); rep.New != 0 || rep.Items != 4 {
		t.Errorf("second poll (feed a's first link changed): %+v, want nothing new", rep)
	}
}

// TestOneArticleInTwoFeedsUnderTwoLinks: the round-1 fix for colliding
// GUIDs took one article that two feeds list under two links (the same
// page at /world/7 and /politics/7, no redirect, no rel=canonical) with
// one GUID for two articles, and archived it twice. Its page gives the
// same title and text: one article, both links, sighted by both feeds.
func TestOneArticleInTwoFeedsUnderTwoLinks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss/world", "/rss/politics":
			section := strings.TrimPrefix(r.URL.Path, "/rss/")
			fmt.Fprintf(w, `<rss version="2.0"><channel>
<item><title>Talks resume</title><link>http://%[1]s/%[2]s/7</link><guid isPermaLink="false">7</guid></item>
<item><title>Only in %[2]s</title><link>http://%[1]s/%[2]s/only</link><guid isPermaLink="false">only-%[2]s</guid></item>
</channel></rss>`, r.Host, section)
		case "/world/7", "/politics/7":
			fmt.Fprint(w, `<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1><p>Talks resumed on Monday after a pause of three weeks, officials said in the capital.</p><p>A second paragraph follows with more words about the events of the day.</p></article></body></html>`)
		default:
			fmt.Fprintf(w, `<html><body><article><h1>%[1]s</h1><p>The article at %[1]s is long enough to be kept by the extractor as the body.</p><p>A second paragraph follows with more words about the events of the day.</p></article></body></html>`, r.URL.Path)
		}
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/rss/world", srv.URL+"/rss/politics")
	if rep := p.RunOnce(context.Background()); rep.New != 3 {
		t.Errorf("first poll: %+v, want 3 articles (one listed twice)", rep)
	}
	a, err := st.GetByURL(srv.URL + "/world/7")
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.GetByURL(srv.URL + "/politics/7")
	if err != nil || b.ID != a.ID {
		t.Errorf("/politics/7 is article %d (%v), /world/7 is %d", b.ID, err, a.ID)
	}
	obs, err := st.Observations(a.ID)
	if err != nil || len(obs) != 2 {
		t.Errorf("sightings of the article: %+v %v, want one per feed", obs, err)
	}
	p.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if rep := p.RunOnce(context.Background()); rep.New != 0 {
		t.Errorf("second poll: %+v, want nothing new", rep)
	}
}

// TestDateOutsideTheArchivesRange: the archive orders articles by 64-bit
// nanoseconds since 1970 (1677 to 2262); an item dated 3000 or 1500 was
// filed under a wrapped-around time: listed in the wrong place, counted
// under 2084 or 1830, missed by --since. Such a date is kept only where
// the feed's own values are (from_feed); the article is undated (sorted
// by when it was first seen) and flagged date_out_of_range.
func TestDateOutsideTheArchivesRange(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			fmt.Fprintf(w, `<rss version="2.0"><channel>
<item><title>Future</title><link>http://%[1]s/future</link><pubDate>Wed, 01 Jan 3000 00:00:00 GMT</pubDate></item>
<item><title>Past</title><link>http://%[1]s/past</link><pubDate>Fri, 01 Jan 1500 00:00:00 GMT</pubDate></item>
<item><title>Now</title><link>http://%[1]s/now</link><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`, r.Host)
			return
		}
		fmt.Fprintf(w, `<html><body><article><h1>%[1]s</h1><p>The article at %[1]s is long enough to be kept by the extractor as the body.</p><p>A second paragraph follows with more words about the events of the day.</p></article></body></html>`, r.URL.Path)
	}))
	defer srv.Close()
	p, st := newTestPipeline(t, srv.URL+"/feed")
	if rep := p.RunOnce(context.Background()); rep.New != 3 {
		t.Fatalf("poll: %+v, want 3 articles", rep)
	}
	for _, tt := range []struct {
		path    string
		flagged bool
	}{{"/future", true}, {"/past", true}, {"/now", false}} {
		a, err := st.GetByURL(srv.URL + tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		flagged := slices.Contains(a.Flags, FlagDateOutOfRange)
		if flagged != tt.flagged || flagged != a.Published.IsZero() {
			t.Errorf("%s: published %v, flags %v", tt.path, a.Published, a.Flags)
		}
		if tt.flagged && (a.FromFeed == nil || a.FromFeed.Published.IsZero()) {
			t.Errorf("%s: the feed's date is not kept: %+v", tt.path, a.FromFeed)
		}
	}
}
