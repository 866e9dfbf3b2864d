package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// bigPage is an article page of about n bytes of paragraphs.
func bigPage(i, n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!doctype html><html><head><title>Story %d</title></head><body><article><h1>Story %d</h1>", i, i)
	for k := 0; b.Len() < n; k++ {
		fmt.Fprintf(&b, "<p>Sentence %d of story %d, which goes on at length about the events of the day.</p>\n", k, i)
	}
	b.WriteString("</article></body></html>")
	return b.Bytes()
}

// Many big pages at once through the pipeline, on a small budget: the
// bytes held never pass the budget, every article is archived with its
// whole raw page, the pages too big for the work pool are extracted from
// their start and say so, and every reservation is given back.
func TestBudgetBoundsPipeline(t *testing.T) {
	const n = 24
	pages := map[string][]byte{}
	kinds := map[string]string{}
	for i := 0; i < n; i++ {
		path := fmt.Sprintf("/a/%d", i)
		switch i % 4 {
		case 0:
			pages[path], kinds[path] = bigPage(i, 2<<20), "chunked" // outgrows SmallBody: the large pool
		case 1:
			pages[path], kinds[path] = bigPage(i, 600<<10), "length"
		case 2:
			pages[path], kinds[path] = bigPage(i, 1500<<10), "gzip"
		default:
			pages[path], kinds[path] = bigPage(i, 3<<10), "length"
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			var paths, titles []string
			for i := 0; i < n; i++ {
				paths = append(paths, fmt.Sprintf("/a/%d", i))
				titles = append(titles, fmt.Sprintf("Story %d", i))
			}
			fmt.Fprint(w, rss("http://"+r.Host, paths, titles))
			return
		}
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch kinds[r.URL.Path] {
		case "chunked":
			for i := 0; i < len(page); i += 32 << 10 {
				w.Write(page[i:min(i+32<<10, len(page))])
				w.(http.Flusher).Flush()
			}
		case "gzip":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write(page)
			zw.Close()
		default:
			w.Header().Set("Content-Length", fmt.Sprint(len(page)))
			w.Write(page)
		}
	}))
	defer srv.Close()

	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	budget := fetcher.NewBudget(16 << 20) // bodies 4 + 4 MiB, work 8 MiB: 256 KiB of page extracted
	fc := fetcher.New(fetcher.Options{UserAgent: "feedvault-test", Timeout: time.Minute, Budget: budget})
	rules, _ := extractor.Compile(extractor.Rules{})
	p := New(st, fc, Options{
		Outlets:      []Outlet{{Name: "o", Feeds: []string{srv.URL + "/feed.xml"}, Interval: time.Hour, Rules: rules}},
		MaxPageBytes: 4 << 20, MaxFeedBytes: 1 << 20, PageWorkers: 16, FeedWorkers: 4,
	})
	rep := p.RunOnce(context.Background())
	if rep.New != n || rep.PagesFailed != 0 || rep.NotArchived != 0 {
		t.Fatalf("report %+v, want %d new articles and no failure", rep, n)
	}
	limit := MaxExtractBytes(budget.Size())
	for path, page := range pages {
		a, err := st.GetByURL(srv.URL + path)
		if err != nil {
			t.Errorf("%s: not archived: %v", path, err)
			continue
		}
		raw, err := st.Raw(a.ID)
		if err != nil || !bytes.Equal(raw, page) {
			t.Errorf("%s: raw page of %d bytes archived, want the whole %d (%v)", path, len(raw), len(page), err)
		}
		cut := slices.Contains(a.Flags, FlagCut)
		if _, _, wantCut := fitPage(page, budget.WorkSize()); cut != wantCut || cut != (len(page) > limit) {
			t.Errorf("%s: page of %d bytes, flagged cut %v; the work pool extracts %d", path, len(page), cut, limit)
		}
		if a.FetchError != "" || !strings.Contains(a.Text, "Sentence 1 of story") {
			t.Errorf("%s: fetch error %q, text %.80q", path, a.FetchError, a.Text)
		}
	}
	if budget.Peak() > budget.Size() {
		t.Errorf("peak %d bytes held, over the budget of %d", budget.Peak(), budget.Size())
	}
	if budget.Peak() < budget.Size()/2 {
		t.Errorf("peak %d bytes held: the test did not fill the budget of %d", budget.Peak(), budget.Size())
	}
	if budget.InUse() != 0 {
		t.Errorf("%d bytes still held after the run: a reservation leaked", budget.InUse())
	}
}

func TestCutPage(t *testing.T) {
	tests := []struct {
		name  string
		page  string
		limit int
		want  string
		cut   bool
	}{
		{"fits", "<p>abc</p>", 10, "<p>abc</p>", false},
		{"before a tag", "<p>abcdef</p><p>ghi</p>", 16, "<p>abcdef</p>", true},
		{"no tag in the second half", "<p>abcdefghijklmnop", 12, "<p>abcdefghi", true},
		{"not inside a rune", "<p>ééééé", 8, "<p>éé", true},
		{"rune ends at the limit", "<p>éé", 7, "<p>éé", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := cutPage([]byte(tt.page), tt.limit)
			if string(got) != tt.want || cut != tt.cut {
				t.Errorf("cutPage(%q, %d) = %q, %v; want %q, %v", tt.page, tt.limit, got, cut, tt.want, tt.cut)
			}
		})
	}
}

// Inline scripts, styles and comments cost the extractor little: a page
// that is mostly script is extracted whole where a page of as many bytes
// of markup is cut.
func TestFitPage(t *testing.T) {
	const limit = 2 << 20                                                                     // 64 KiB of markup
	para := strings.Repeat("<p>Sentence of the story, with words.</p>", 600)                  // about 25 KiB of markup
	script := "<script>" + strings.Repeat("var x = '<p>not markup</p>';", 8000) + "</script>" // about 220 KiB
	tests := []struct {
		name     string
		page     string
		cut      bool
		keepsEnd bool
	}{
		{"markup under the limit", "<html><body>" + para + "</body></html>", false, true},
		{"a big script, then the article", "<html><head>" + script + "<STYLE>" + strings.Repeat("p{}", 20000) + "</style><!--" + strings.Repeat("c", 100000) + "--></head><body>" + para + "</body></html>", false, true},
		{"as many bytes of markup", "<html><body>" + strings.Repeat(para, 14) + "</body></html>", true, false},
		{"a script left open", "<html><body>" + para + "<script>" + strings.Repeat("x", 1<<20), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cost, cut := fitPage([]byte(tt.page), limit)
			if cut != tt.cut {
				t.Fatalf("cut %v, want %v (page of %d bytes, cost %d)", cut, tt.cut, len(tt.page), cost)
			}
			if cost > limit {
				t.Errorf("cost %d over the limit %d", cost, limit)
			}
			if strings.HasSuffix(string(got), "</html>") != tt.keepsEnd {
				t.Errorf("page end kept %v, want %v", !tt.keepsEnd, tt.keepsEnd)
			}
			if cut && !strings.HasPrefix(tt.page, string(got)) {
				t.Errorf("a cut page is not a beginning of the page")
			}
		})
	}
}
