package store

import (
	"path/filepath"
	"testing"
)

// TestGUIDMatchIsPerFeedWhenLinksDiffer: Put took an article of feed B
// for the article of feed A that had the same GUID, and replaced it (its
// text, its URL made an alias). A GUID from another feed with another
// link is another article; from the same feed, a changed link is the
// same article.
func TestGUIDMatchIsPerFeedWhenLinksDiffer(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(feed, url, text string) (uint64, bool) {
		t.Helper()
		id, created, err := s.Put(&Article{URL: url, Outlet: "o", Feed: feed, GUIDs: []string{"1"}, Text: text}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return id, created
	}
	a, _ := put("https://o.example/cat/a", "https://o.example/a/1", "Text of a.")
	b, created := put("https://o.example/cat/b", "https://o.example/b/1", "Text of b.")
	if !created || b == a {
		t.Fatalf("feed b's article 1 went into feed a's (id %d, created %v)", b, created)
	}
	if got, _ := s.Get(a); got.URL != "https://o.example/a/1" || got.Text != "Text of a." {
		t.Errorf("feed a's article changed: %+v", got)
	}
	if id, found, _ := s.FindFrom("o", "https://o.example/cat/b", "https://o.example/b/1-x", nil, []string{"1"}); !found || id != b {
		t.Errorf("FindFrom feed b: %d %v, want %d", id, found, b)
	}
	// Feed a's article 1 under a new link: the same article.
	c, created := put("https://o.example/cat/a", "https://o.example/a/1-new-headline", "Text of a, edited.")
	if created || c != a {
		t.Errorf("a changed link in the same feed made article %d (created %v), want %d", c, created, a)
	}
}

// TestGUIDCollisionThenLinkChange: after the collision, feed b's article
// keeps its GUID qualified by its feed, so that a new link of it in
// feed b is still found, and feed a's GUID still points to feed a's.
func TestGUIDCollisionThenLinkChange(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(feed, url string) (uint64, bool) {
		t.Helper()
		id, created, err := s.Put(&Article{URL: url, Outlet: "o", Feed: feed, GUIDs: []string{"1"}, Text: url}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return id, created
	}
	a, _ := put("https://o.example/cat/a", "https://o.example/a/1")
	b, _ := put("https://o.example/cat/b", "https://o.example/b/1")
	if got, _ := s.Get(b); len(got.GUIDs) != 1 || got.GUIDs[0] != "https://o.example/cat/b 1" {
		t.Errorf("feed b's article GUIDs %q", got.GUIDs)
	}
	if id, created := put("https://o.example/cat/b", "https://o.example/b/1-new"); created || id != b {
		t.Errorf("feed b's new link: article %d (created %v), want %d", id, created, b)
	}
	if id, found, _ := s.FindFrom("o", "https://o.example/cat/b", "https://o.example/b/1-newer", nil, []string{"1"}); !found || id != b {
		t.Errorf("FindFrom feed b: %d %v, want %d", id, found, b)
	}
	if id, created := put("https://o.example/cat/a", "https://o.example/a/1-new"); created || id != a {
		t.Errorf("feed a's new link: article %d (created %v), want %d", id, created, a)
	}
	if st, _ := s.Stats(); st.Articles != 2 {
		t.Errorf("%d articles, want 2", st.Articles)
	}
}

// TestOneArticleUnderTwoLinksInTwoFeeds: an article that two feeds of
// the outlet list under two links (no redirect or rel=canonical ties
// them) with the same GUID was archived twice, since the per-feed GUID
// rule takes a GUID from another feed under another link for another
// article. A copy whose page gave the same title and text as that
// article is that article: one article, the second link an alias, and
// the first link and feed stay. Another text, a failed fetch or no text
// keeps the per-feed rule: another article.
func TestOneArticleUnderTwoLinksInTwoFeeds(t *testing.T) {
	const feedA, feedB = "https://o.example/rss/world", "https://o.example/rss/politics"
	const linkA, linkB = "https://o.example/world/123", "https://o.example/politics/123"
	first := Article{URL: linkA, Outlet: "o", Feed: feedA, GUIDs: []string{"123"}, Title: "Talks resume", Text: "Talks resumed on Monday."}
	tests := []struct {
		name string
		copy Article
		same bool
	}{
		{"same title and text", Article{URL: linkB, Outlet: "o", Feed: feedB, GUIDs: []string{"123"}, Title: "Talks resume", Text: "Talks resumed on Monday."}, true},
		{"another text", Article{URL: linkB, Outlet: "o", Feed: feedB, GUIDs: []string{"123"}, Title: "Talks resume", Text: "Another story."}, false},
		{"another title", Article{URL: linkB, Outlet: "o", Feed: feedB, GUIDs: []string{"123"}, Title: "Budget passed", Text: "Talks resumed on Monday."}, false},
		{"failed fetch", Article{URL: linkB, Outlet: "o", Feed: feedB, GUIDs: []string{"123"}, Title: "Talks resume", FetchError: "network: refused"}, false},
		{"no text on either", Article{URL: linkB, Outlet: "o", Feed: feedB, GUIDs: []string{"123"}, Title: "Talks resume"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			a := first
			if tt.name == "no text on either" {
				a.Text = ""
			}
			idA, _, err := s.Put(&a, nil)
			if err != nil {
				t.Fatal(err)
			}
			c := tt.copy
			idB, created, err := s.Put(&c, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.same != (!created && idB == idA) {
				t.Fatalf("second copy: id %d created %v (first %d), want the same article: %v", idB, created, idA, tt.same)
			}
			st, _ := s.Stats()
			if want := map[bool]int{true: 1, false: 2}[tt.same]; st.Articles != want {
				t.Errorf("%d articles, want %d", st.Articles, want)
			}
			got, err := s.Get(idA)
			if err != nil {
				t.Fatal(err)
			}
			if got.URL != linkA || got.Feed != feedA || got.Text != a.Text {
				t.Errorf("the first article changed: url %s feed %s text %q", got.URL, got.Feed, got.Text)
			}
			if !tt.same {
				return
			}
			if id, found, _ := s.Find("o", []string{linkB}, nil); !found || id != idA {
				t.Errorf("the second link finds %d %v, want %d", id, found, idA)
			}
			if id, found, _ := s.FindFrom("o", feedB, linkB, []string{linkB}, []string{"123"}); !found || id != idA {
				t.Errorf("feed b's next poll finds %d %v, want %d", id, found, idA)
			}
			if id, found, _ := s.FindFrom("o", feedA, linkA, []string{linkA}, []string{"123"}); !found || id != idA {
				t.Errorf("feed a's next poll finds %d %v, want %d", id, found, idA)
			}
		})
	}
}
