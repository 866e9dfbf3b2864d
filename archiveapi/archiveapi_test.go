package archiveapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

const (
	nArticles = 12
	feedURL   = "https://news.example/rss"
)

var base = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// seed writes an archive of nArticles, two outlets, a raw page each and
// a sighting each, and returns its path.
func seed(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "a.db")
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := 1; i <= nArticles; i++ {
		outlet := "alpha"
		if i%3 == 0 {
			outlet = "beta"
		}
		a := &store.Article{
			URL: fmt.Sprintf("https://news.example/story/%d", i), Outlet: outlet, Feed: feedURL,
			Title: fmt.Sprintf("Story %d", i), Published: base.Add(time.Duration(i) * 25 * time.Hour),
			FirstSeen: base.Add(time.Duration(i) * 25 * time.Hour), Text: fmt.Sprintf("The harbour story number %d.", i),
		}
		id, _, err := st.Put(a, []byte(fmt.Sprintf("<html><p>raw %d</p></html>", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Observe(id, feedURL, a.FirstSeen); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	return path
}

// serve holds the archive and serves it on its socket until the test ends.
func serve(t *testing.T, path string, lim Limits, ops map[string]Op) (*store.Store, *Server, func()) {
	t.Helper()
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ListenLimits(st, path, "test", ops, lim, nil)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		st.Close()
	}
	return st, srv, stop
}

// readerCase is one call through the Reader interface and what it must
// give, the same from the file and through the socket.
type readerCase struct {
	name    string
	call    func(ctx context.Context, r Reader) (any, error)
	wantErr error // nil: success, checked by check
	check   func(t *testing.T, v any)
}

func readerCases() []readerCase {
	arts := func(n int) func(t *testing.T, v any) {
		return func(t *testing.T, v any) {
			got := v.([]*store.Article)
			if len(got) != n {
				t.Fatalf("%d articles, want %d", len(got), n)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Published.After(got[i-1].Published) {
					t.Errorf("not newest first at %d", i)
				}
			}
		}
	}
	return []readerCase{
		{name: "query all", call: func(ctx context.Context, r Reader) (any, error) { return r.Query(ctx, QueryRequest{}) }, check: arts(nArticles)},
		{name: "query limit", call: func(ctx context.Context, r Reader) (any, error) { return r.Query(ctx, QueryRequest{Limit: 5}) }, check: arts(5)},
		{name: "query outlet", call: func(ctx context.Context, r Reader) (any, error) {
			return r.Query(ctx, QueryRequest{Outlets: []string{"beta"}})
		}, check: arts(nArticles / 3)},
		{name: "query words", call: func(ctx context.Context, r Reader) (any, error) {
			return r.Query(ctx, QueryRequest{Query: "harbour"})
		}, check: arts(nArticles)},
		{name: "query since", call: func(ctx context.Context, r Reader) (any, error) {
			return r.Query(ctx, QueryRequest{Since: base.Add(10 * 25 * time.Hour)})
		}, check: arts(3)},
		{name: "query negative limit", call: func(ctx context.Context, r Reader) (any, error) { return r.Query(ctx, QueryRequest{Limit: -1}) }, wantErr: ErrBadRequest},
		{name: "query until before since", call: func(ctx context.Context, r Reader) (any, error) {
			return r.Query(ctx, QueryRequest{Since: base, Until: base.Add(-time.Hour)})
		}, wantErr: ErrBadRequest},
		{name: "query bad syntax", call: func(ctx context.Context, r Reader) (any, error) { return r.Query(ctx, QueryRequest{Query: "war OR"}) }, wantErr: ErrBadRequest},
		{name: "query empty outlet", call: func(ctx context.Context, r Reader) (any, error) {
			return r.Query(ctx, QueryRequest{Outlets: []string{""}})
		}, wantErr: ErrBadRequest},
		{name: "count by outlet", call: func(ctx context.Context, r Reader) (any, error) { return r.Count(ctx, QueryRequest{}, store.ByOutlet) },
			check: func(t *testing.T, v any) {
				rows := v.([]store.CountRow)
				if len(rows) != 2 || rows[0].Key != "alpha" || rows[0].Count != 8 || rows[1].Count != 4 {
					t.Errorf("rows %+v, want alpha 8, beta 4", rows)
				}
			}},
		{name: "count by month", call: func(ctx context.Context, r Reader) (any, error) { return r.Count(ctx, QueryRequest{}, store.ByMonth) },
			check: func(t *testing.T, v any) {
				n := 0
				for _, r := range v.([]store.CountRow) {
					n += r.Count
				}
				if n != nArticles {
					t.Errorf("months count %d articles, want %d", n, nArticles)
				}
			}},
		{name: "count by bogus", call: func(ctx context.Context, r Reader) (any, error) { return r.Count(ctx, QueryRequest{}, "bogus") }, wantErr: ErrBadRequest},
		{name: "count by nothing", call: func(ctx context.Context, r Reader) (any, error) { return r.Count(ctx, QueryRequest{}, "") }, wantErr: ErrBadRequest},
		{name: "article by id", call: func(ctx context.Context, r Reader) (any, error) { return r.Article(ctx, "3") },
			check: func(t *testing.T, v any) {
				if a := v.(*store.Article); a.ID != 3 || a.Title != "Story 3" {
					t.Errorf("article %d %q", a.ID, a.Title)
				}
			}},
		{name: "article by URL", call: func(ctx context.Context, r Reader) (any, error) {
			return r.Article(ctx, "https://news.example/story/7")
		}, check: func(t *testing.T, v any) {
			if a := v.(*store.Article); a.Title != "Story 7" {
				t.Errorf("article %q", a.Title)
			}
		}},
		{name: "article missing", call: func(ctx context.Context, r Reader) (any, error) { return r.Article(ctx, "999") }, wantErr: store.ErrNotFound},
		{name: "article empty ref", call: func(ctx context.Context, r Reader) (any, error) { return r.Article(ctx, "") }, wantErr: ErrBadRequest},
		{name: "raw", call: func(ctx context.Context, r Reader) (any, error) { return r.Raw(ctx, 2) },
			check: func(t *testing.T, v any) {
				if got := string(v.([]byte)); got != "<html><p>raw 2</p></html>" {
					t.Errorf("raw %q", got)
				}
			}},
		{name: "raw id 0", call: func(ctx context.Context, r Reader) (any, error) { return r.Raw(ctx, 0) }, wantErr: ErrBadRequest},
		{name: "revisions id 0", call: func(ctx context.Context, r Reader) (any, error) { return r.Revisions(ctx, 0) }, wantErr: ErrBadRequest},
		{name: "revisions none", call: func(ctx context.Context, r Reader) (any, error) { return r.Revisions(ctx, 1) },
			check: func(t *testing.T, v any) {
				if n := len(v.([]store.Revision)); n != 0 {
					t.Errorf("%d revisions", n)
				}
			}},
		{name: "observations", call: func(ctx context.Context, r Reader) (any, error) { return r.Observations(ctx, 4) },
			check: func(t *testing.T, v any) {
				obs := v.([]store.Observation)
				if len(obs) != 1 {
					t.Errorf("observations %+v, want one", obs)
				}
			}},
		{name: "observations id 0", call: func(ctx context.Context, r Reader) (any, error) { return r.Observations(ctx, 0) }, wantErr: ErrBadRequest},
		{name: "status", call: func(ctx context.Context, r Reader) (any, error) { return r.Status(ctx) },
			check: func(t *testing.T, v any) {
				if s := v.(Status); s.Stats.Articles != nArticles {
					t.Errorf("status %+v", s)
				}
			}},
		{name: "check", call: func(ctx context.Context, r Reader) (any, error) { return r.Check(ctx) },
			check: func(t *testing.T, v any) {
				if p := v.([]string); len(p) != 0 {
					t.Errorf("problems %q", p)
				}
			}},
		{name: "backup", call: func(ctx context.Context, r Reader) (any, error) {
			var buf bytes.Buffer
			n, err := r.Backup(ctx, &buf)
			if err == nil && n != int64(buf.Len()) {
				err = fmt.Errorf("backup says %d bytes, wrote %d", n, buf.Len())
			}
			return buf.Bytes(), err
		}, check: func(t *testing.T, v any) {
			p := filepath.Join(t.TempDir(), "copy.db")
			if err := os.WriteFile(p, v.([]byte), 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(p, store.Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("backup does not open: %v", err)
			}
			defer st.Close()
			if a, err := st.Get(nArticles); err != nil || a.Title != fmt.Sprintf("Story %d", nArticles) {
				t.Errorf("backup lacks the last article: %v", err)
			}
		}},
	}
}

func runReaderCases(t *testing.T, r Reader) {
	for _, tc := range readerCases() {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tc.call(context.Background(), r)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, v)
		})
	}
}

// TestReaders runs one table against both implementations of Reader.
func TestReaders(t *testing.T) {
	path := seed(t, t.TempDir())
	t.Run("socket", func(t *testing.T) {
		_, _, stop := serve(t, path, DefaultLimits(), nil)
		defer stop()
		r, err := Open(context.Background(), path, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if !strings.HasPrefix(r.Via(), "socket ") {
			t.Fatalf("via %s, want the socket", r.Via())
		}
		runReaderCases(t, r)
	})
	t.Run("file", func(t *testing.T) {
		r, err := Open(context.Background(), path, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if !strings.HasPrefix(r.Via(), "file ") {
			t.Fatalf("via %s, want the file", r.Via())
		}
		runReaderCases(t, r)
	})
}

// TestPagesThroughSocket lists the archive a page at a time through the
// socket, as export does.
func TestPagesThroughSocket(t *testing.T) {
	path := seed(t, t.TempDir())
	_, _, stop := serve(t, path, DefaultLimits(), nil)
	defer stop()
	r, err := Dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	seen := map[uint64]bool{}
	pages := 0
	err = Pages(context.Background(), r, QueryRequest{}, 5, func(arts []*store.Article) error {
		pages++
		for _, a := range arts {
			if seen[a.ID] {
				t.Errorf("article %d twice", a.ID)
			}
			seen[a.ID] = true
		}
		return nil
	})
	if err != nil || len(seen) != nArticles || pages != 3 {
		t.Errorf("%d articles in %d pages, err %v; want %d in 3", len(seen), pages, err, nArticles)
	}
}
