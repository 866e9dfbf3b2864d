package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(p, Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, p
}

func day(d int) time.Time { return time.Date(2024, 10, d, 12, 0, 0, 0, time.UTC) }

func TestPutDedupesByURLAliasAndGUID(t *testing.T) {
	s, _ := openTemp(t)
	a := &Article{URL: "https://x.org/a", Outlet: "x", GUIDs: []string{"g1"}, Aliases: []string{"https://x.org/amp/a"}, Title: "A", Text: "text", Published: day(1), FirstSeen: day(1)}
	id, created, err := s.Put(a, []byte("<html>raw</html>"))
	if err != nil || !created {
		t.Fatalf("put: %v created=%v", err, created)
	}
	tests := []struct {
		name  string
		urls  []string
		guids []string
		found bool
	}{
		{"same url", []string{"https://x.org/a"}, nil, true},
		{"alias", []string{"https://x.org/amp/a"}, nil, true},
		{"guid", []string{"https://x.org/other"}, []string{"g1"}, true},
		{"guid in another outlet", nil, []string{"g2"}, false},
		{"new", []string{"https://x.org/b"}, []string{"g9"}, false},
	}
	for _, tt := range tests {
		got, found, err := s.Find("x", tt.urls, tt.guids)
		if err != nil || found != tt.found || (found && got != id) {
			t.Errorf("%s: id %d found %v err %v", tt.name, got, found, err)
		}
	}
	// The same story again under its GUID does not make a second article.
	b := &Article{URL: "https://x.org/a?x=1", Outlet: "x", GUIDs: []string{"g1"}, Title: "A2", Text: "new text", Published: day(1), FirstSeen: day(2)}
	id2, created, err := s.Put(b, nil)
	if err != nil || created || id2 != id {
		t.Fatalf("second put: id %d created %v err %v", id2, created, err)
	}
	got, _ := s.Get(id)
	if got.FirstSeen != day(1) || got.Title != "A2" {
		t.Errorf("update lost first-seen or title: %+v", got)
	}
	if raw, err := s.Raw(id); err != nil || string(raw) != "<html>raw</html>" {
		t.Errorf("raw page: %q %v", raw, err)
	}
	if st, _ := s.Stats(); st.Articles != 1 {
		t.Errorf("%d articles, want 1", st.Articles)
	}
}

func TestFailedRefetchKeepsGoodCopy(t *testing.T) {
	s, _ := openTemp(t)
	id, _, _ := s.Put(&Article{URL: "https://x.org/a", Outlet: "x", Text: "good text", FirstSeen: day(1)}, []byte("raw"))
	id2, created, err := s.Put(&Article{URL: "https://x.org/a", Outlet: "x", FetchError: "timeout", FirstSeen: day(2)}, nil)
	if err != nil || created || id2 != id {
		t.Fatalf("id %d created %v err %v", id2, created, err)
	}
	if a, _ := s.Get(id); a.Text != "good text" || a.FetchError != "" {
		t.Errorf("good copy replaced: %+v", a)
	}
	if nf, err := s.NotFetched(id); nf || err != nil {
		t.Errorf("NotFetched of a fetched article: %v %v", nf, err)
	}
	id3, _, _ := s.Put(&Article{URL: "https://x.org/b", Outlet: "x", FetchError: "timeout", FirstSeen: day(2)}, nil)
	if nf, err := s.NotFetched(id3); !nf || err != nil {
		t.Errorf("NotFetched of an article archived from the feed: %v %v", nf, err)
	}
}

func TestQueryNewestFirstWithRanges(t *testing.T) {
	s, _ := openTemp(t)
	for d := 1; d <= 5; d++ {
		outlet := "a"
		if d%2 == 0 {
			outlet = "b"
		}
		s.Put(&Article{URL: "https://x.org/" + string(rune('0'+d)), Outlet: outlet, Published: day(d), FirstSeen: day(d), Text: "word"}, nil)
	}
	// One with no published time sorts by first seen.
	s.Put(&Article{URL: "https://x.org/nopub", Outlet: "a", FirstSeen: day(3).Add(time.Hour)}, nil)
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all", Filter{}, []string{"5", "4", "nopub", "3", "2", "1"}},
		{"limit", Filter{Limit: 2}, []string{"5", "4"}},
		{"outlet", Filter{Outlets: []string{"b"}}, []string{"4", "2"}},
		{"since", Filter{Since: day(4)}, []string{"5", "4"}},
		{"until (exclusive)", Filter{Until: day(3)}, []string{"2", "1"}},
		{"range", Filter{Since: day(2), Until: day(4)}, []string{"nopub", "3", "2"}},
		{"seen order", Filter{Seen: true, Outlets: []string{"a"}}, []string{"5", "nopub", "3", "1"}},
		{"before all", Filter{Until: day(1)}, nil},
	}
	for _, tt := range tests {
		arts, err := s.Query(tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range arts {
			got = append(got, strings.TrimPrefix(a.URL, "https://x.org/"))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSecondWriterIsBusy(t *testing.T) {
	_, p := openTemp(t)
	_, err := Open(p, Options{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second open: %v, want ErrBusy", err)
	}
	_, err = Open(p, Options{ReadOnly: true, Timeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("read-only open while held: %v, want ErrBusy", err)
	}
}

func TestForeignAndDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "notes.txt")
	os.WriteFile(foreign, []byte(strings.Repeat("not a database\n", 1000)), 0o644)
	// A real archive whose first pages are overwritten.
	damaged := filepath.Join(dir, "damaged.db")
	s, err := Open(damaged, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Put(&Article{URL: "https://x.org/a", Outlet: "x", Text: "t"}, nil)
	s.Close()
	f, _ := os.OpenFile(damaged, os.O_RDWR, 0)
	f.WriteAt([]byte(strings.Repeat("\xde\xad", 4096)), 0)
	f.Close()
	for _, p := range []string{foreign, damaged} {
		before, _ := os.ReadFile(p)
		for _, ro := range []bool{false, true} {
			_, err := Open(p, Options{ReadOnly: ro, Timeout: 100 * time.Millisecond})
			if err == nil || !strings.Contains(err.Error(), "damaged or not a feedvault archive") {
				t.Errorf("%s (read-only %v): err %v, want a clear message", p, ro, err)
			}
		}
		after, _ := os.ReadFile(p)
		if string(before) != string(after) {
			t.Errorf("%s was written to", p)
		}
	}
	if _, err := Open(filepath.Join(dir, "missing.db"), Options{ReadOnly: true}); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing archive: %v", err)
	}
}

func TestFeedState(t *testing.T) {
	s, p := openTemp(t)
	st, err := s.Feed("https://x.org/rss")
	if err != nil || st.URL != "https://x.org/rss" || !st.LastPoll.IsZero() {
		t.Fatalf("unknown feed: %+v %v", st, err)
	}
	st.ETag, st.ConsecutiveFailures, st.HoldUntil = `"e"`, 3, day(9)
	if err := s.PutFeed(st); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Survives a reopen: the next run picks up backoff and Retry-After.
	s2, err := Open(p, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, _ := s2.Feed("https://x.org/rss")
	if got.ETag != `"e"` || got.ConsecutiveFailures != 3 || !got.HoldUntil.Equal(day(9)) {
		t.Errorf("after reopen: %+v", got)
	}
}

func TestObservationsStayOneRecordPerFeed(t *testing.T) {
	s, _ := openTemp(t)
	id, _, _ := s.Put(&Article{URL: "https://x.org/a", Outlet: "x", Text: "t"}, nil)
	for i := 0; i < 5; i++ {
		s.Observe(id, "https://x.org/rss", day(1+i))
	}
	s.Observe(id, "https://x.org/atom", day(3))
	obs, err := s.Observations(id)
	if err != nil || len(obs) != 2 {
		t.Fatalf("%d records, want 2 (one per feed): %+v %v", len(obs), obs, err)
	}
	for _, o := range obs {
		if o.Feed == "https://x.org/rss" && (o.Count != 5 || !o.First.Equal(day(1)) || !o.Last.Equal(day(5))) {
			t.Errorf("rss record: %+v", o)
		}
		if o.Feed == "https://x.org/atom" && o.Count != 1 {
			t.Errorf("atom record: %+v", o)
		}
	}
}
