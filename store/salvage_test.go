package store

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSalvage(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	s, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 200, "a")
	// One revision and one sighting to carry over.
	if _, err := s.Revise(1, 0, RefetchResult{Status: 200, Article: &Article{Text: "edited text", Title: "T2"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Observe(1, "https://x.org/rss", day(2)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFeed(&FeedState{URL: "https://x.org/rss", Outlet: "x"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	whole, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ReadHeader(src)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		size     int
		all      bool // every article is expected back
		someLost bool
	}{
		{"whole", len(whole), true, false},
		{"half", int(h.Need()) / 2, false, true},
		{"8 KiB", 8 << 10, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".db")
			if err := os.WriteFile(p, whole[:tt.size], 0o600); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(dir, tt.name+"-recovered.db")
			rep, err := Salvage(p, dst)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", rep)
			if tt.all && (rep.Articles != 200 || rep.Raw != 200 || rep.Revisions != 1 || rep.Sightings != 1 || rep.Feeds != 1 || rep.LostCount != 0) {
				t.Errorf("whole file: %+v", rep)
			}
			if tt.someLost && rep.LostCount == 0 {
				t.Errorf("a truncated file lost nothing: %+v", rep)
			}
			if tt.someLost && rep.Damage == "" {
				t.Errorf("no damage reported: %+v", rep)
			}
			// The new archive opens, checks, and holds what was read, as it was.
			r, err := Open(dst, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if problems, err := r.Check(); err != nil || len(problems) > 0 {
				t.Errorf("recovered archive: %v %v", problems, err)
			}
			st, _ := r.Stats()
			if st.Articles != rep.Articles {
				t.Errorf("recovered %d articles, report says %d", st.Articles, rep.Articles)
			}
			orig, err := Open(src, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer orig.Close()
			if !tt.all {
				if tt.name == "half" && rep.Articles == 0 {
					t.Errorf("nothing saved from a file with half its pages")
				}
				// What was saved is what was archived, under the same id.
				err := r.ForEach(nil, func(b *Article) error {
					a, err := orig.Get(b.ID)
					if err != nil || a.URL != b.URL || (b.ID != 1 && a.Text != b.Text) {
						t.Errorf("saved article %d is not the archived one: %v", b.ID, err)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			for id := uint64(1); id <= 200; id++ {
				a, _ := orig.Get(id)
				b, err := r.Get(id)
				if err != nil || !reflect.DeepEqual(a, b) {
					t.Fatalf("article %d differs after recovery: %v", id, err)
				}
				ra, _ := orig.Raw(id)
				rb, _ := r.Raw(id)
				if string(ra) != string(rb) {
					t.Fatalf("raw page %d differs", id)
				}
			}
			revs, _ := r.Revisions(1)
			obs, _ := r.Observations(1)
			if len(revs) != 1 || len(obs) != 1 {
				t.Errorf("revisions %d, sightings %d; want 1, 1", len(revs), len(obs))
			}
			if hits, err := r.Query(Filter{Limit: 500}); err != nil || len(hits) != 200 {
				t.Errorf("query on the recovered archive: %d hits, %v", len(hits), err)
			}
		})
	}
}
