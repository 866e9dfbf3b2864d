package store

import (
	"fmt"
	"testing"
	"time"
)

// An article with no published time is counted in its own "undated"
// row, never on the day it was first seen; with Seen it counts by first
// sighting like every other. Its Published stays zero.
func TestCountUndated(t *testing.T) {
	s, _ := openTemp(t)
	for d := 1; d <= 3; d++ {
		s.Put(&Article{URL: fmt.Sprintf("https://x.org/%d", d), Outlet: "a", Published: day(d), FirstSeen: day(5), Text: "word"}, nil)
	}
	for i := 0; i < 4; i++ { // undated items, all first seen on day 5
		s.Put(&Article{URL: fmt.Sprintf("https://x.org/nopub%d", i), Outlet: "a", FirstSeen: day(5).Add(time.Duration(i) * time.Minute), Text: "word"}, nil)
	}
	tests := []struct {
		name string
		f    Filter
		by   string
		want string
	}{
		{"by day", Filter{}, ByDay, "2024-10-01:1 2024-10-02:1 2024-10-03:1 undated:4"},
		{"by month", Filter{}, ByMonth, "2024-10:3 undated:4"},
		{"by day, seen", Filter{Seen: true}, ByDay, "2024-10-05:7"},
		{"by outlet", Filter{}, ByOutlet, "a:7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.Count(tt.f, tt.by)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for i, r := range rows {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%s:%d", r.Key, r.Count)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	// A docs entry written before the flag existed (published slot =
	// first seen, no flag) is undated too.
	legacy := docValue(&Article{Outlet: "a", FirstSeen: day(6)})
	legacy[16] &^= docUndated
	if !parseDoc(legacy).undated() || parseDoc(docValue(&Article{Outlet: "a", Published: day(1), FirstSeen: day(6)})).undated() {
		t.Error("legacy docs entries are not read as undated, or dated ones are")
	}
	arts, err := s.Query(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.URL[len(a.URL)-6:len(a.URL)-1] == "nopub" && !a.Published.IsZero() {
			t.Errorf("%s: published %v, want zero (unknown)", a.URL, a.Published)
		}
	}
}
