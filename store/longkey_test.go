package store

import (
	"path/filepath"
	"strings"
	"testing"
)

// A feed writes the keys of by_url and by_guid. A link or guid longer
// than bbolt's bound on a key failed the article's Put ("key too
// large"), every run; it is archived, and found again by it, like any
// other.
func TestLongLinkAndGUIDAreArchived(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(3, 1)
	longURL := "https://example.com/" + strings.Repeat("a", 40000)
	longGUID := strings.Repeat("g", 40000)
	arts[1].URL = longURL
	arts[2].GUIDs = []string{longGUID}
	for _, a := range arts {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatalf("put %.40s…: %v", a.URL, err)
		}
	}
	if id, found, err := s.Find("", []string{longURL}, nil); err != nil || !found || id != arts[1].ID {
		t.Errorf("Find by the long link: %d %v %v, want %d", id, found, err, arts[1].ID)
	}
	if a, err := s.GetByURL(longURL); err != nil || a.ID != arts[1].ID {
		t.Errorf("GetByURL: %v", err)
	}
	if id, found, err := s.Find(arts[2].Outlet, nil, []string{longGUID}); err != nil || !found || id != arts[2].ID {
		t.Errorf("Find by the long guid: %d %v %v, want %d", id, found, err, arts[2].ID)
	}
	// Another link or guid of the same length is another key.
	other := longURL[:len(longURL)-1] + "b"
	if _, found, _ := s.Find("", []string{other}, []string{longGUID + "x"}); found {
		t.Error("a different long link or guid finds the article")
	}
	// A short key is the URL itself, as archives have always held it.
	if got := string(urlKey("https://x.org/1")); got != "https://x.org/1" {
		t.Errorf("urlKey of a short URL: %q", got)
	}
}
