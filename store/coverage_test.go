package store

import (
	"path/filepath"
	"testing"
	"time"
)

func TestPollsRoundTrip(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	if got, err := s.Polls("https://a.example/rss", time.Time{}, time.Time{}); err != nil || len(got) != 0 {
		t.Fatalf("before any poll: %v %v", got, err)
	}
	in := []Poll{
		{Feed: "https://a.example/rss", Time: t0, Status: 200, Items: 30, New: 3, Overlap: 27},
		{Feed: "https://a.example/rss", Time: t0.Add(time.Hour), Status: 304, NotModified: true},
		{Feed: "https://a.example/rss", Time: t0.Add(2 * time.Hour), Status: 503, Failed: true},
		{Feed: "https://a.example/rss", Time: t0.Add(3 * time.Hour), Status: 200, Items: 100, New: 100, Truncated: 400},
		// A feed whose URL extends the first's must not leak into it.
		{Feed: "https://a.example/rss2", Time: t0, Status: 200, Items: 1, New: 1},
	}
	for _, p := range in {
		if err := s.PutPoll(p); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name         string
		since, until time.Time
		want         []Poll
	}{
		{"all", time.Time{}, time.Time{}, in[:4]},
		{"since is inclusive", t0.Add(time.Hour), time.Time{}, in[1:4]},
		{"until is exclusive", time.Time{}, t0.Add(2 * time.Hour), in[:2]},
		{"empty range", t0.Add(10 * time.Hour), time.Time{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Polls("https://a.example/rss", tc.since, tc.until)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d polls, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if !got[i].Time.Equal(tc.want[i].Time) {
					t.Errorf("poll %d time %v, want %v", i, got[i].Time, tc.want[i].Time)
				}
				got[i].Time = tc.want[i].Time
				if got[i] != tc.want[i] {
					t.Errorf("poll %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestDecodePollDamaged(t *testing.T) {
	k := pollKey("f", time.Unix(0, 0))
	for _, v := range [][]byte{nil, {0}, {0, 0x80}} {
		if _, err := decodePoll("f", k, v); err == nil {
			t.Errorf("damaged record %x decoded without error", v)
		}
	}
}
