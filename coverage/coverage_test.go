package coverage

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

var t0 = time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC) // a Monday

// regular makes a feed polled every hour for n hours that brings one
// new item every other poll and lists 10 items, 9 of them seen before.
func regular(from time.Time, n int) []store.Poll {
	var out []store.Poll
	for i := range n {
		p := store.Poll{Feed: "f", Time: from.Add(time.Duration(i) * time.Hour), Status: 200, Items: 10, Overlap: 10}
		if i%2 == 0 {
			p.New, p.Overlap = 1, 9
		}
		out = append(out, p)
	}
	return out
}

func TestAccount(t *testing.T) {
	quiet := regular(t0, 48)
	for i := 48; i < 48+30; i++ { // 30 hours of 304s
		quiet = append(quiet, store.Poll{Feed: "f", Time: t0.Add(time.Duration(i) * time.Hour), Status: 304, NotModified: true})
	}
	overflow := regular(t0, 48)
	overflow[30].Overlap, overflow[30].New, overflow[30].Items = 0, 10, 10
	// After a 10-hour outage the feed lists 10 items, all new.
	outage := regular(t0, 20)
	for i := 20; i < 30; i++ {
		outage = append(outage, store.Poll{Feed: "f", Time: t0.Add(time.Duration(i) * time.Hour), Status: 503, Failed: true})
	}
	outage = append(outage, store.Poll{Feed: "f", Time: t0.Add(30 * time.Hour), Status: 200, Items: 4, New: 4})
	tests := []struct {
		name                 string
		polls                []store.Poll
		polls2, failures, nm int
		gaps, missed, silent int
		silentOpen           bool
		articles             int
	}{
		{name: "regular", polls: regular(t0, 48), polls2: 48, articles: 24},
		{name: "goes quiet", polls: quiet, polls2: 78, nm: 30, articles: 24, silent: 1, silentOpen: true},
		{name: "window overflow", polls: overflow, polls2: 48, articles: 24 + 9, gaps: 1, missed: 1},
		// rate 0.5/h × 11 h since the last good poll ≈ 6 items, 4 listed: 2 missed.
		{name: "gap after outage", polls: outage, polls2: 31, failures: 10, articles: 10 + 4, gaps: 1, missed: 2},
		{name: "no polls", polls: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := Account(tc.polls, t0, t0.Add(100*time.Hour))
			if src.Polls != tc.polls2 || src.Failures != tc.failures || src.NotModified != tc.nm || src.Articles != tc.articles {
				t.Errorf("polls/failures/304/articles = %d/%d/%d/%d, want %d/%d/%d/%d", src.Polls, src.Failures, src.NotModified, src.Articles, tc.polls2, tc.failures, tc.nm, tc.articles)
			}
			if len(src.Gaps) != tc.gaps || src.EstMissed != tc.missed {
				t.Errorf("gaps %d, est. missed %d; want %d, %d (%+v)", len(src.Gaps), src.EstMissed, tc.gaps, tc.missed, src.Gaps)
			}
			if len(src.Silent) != tc.silent {
				t.Fatalf("silent spans %+v, want %d", src.Silent, tc.silent)
			}
			if tc.silent > 0 && src.Silent[0].End.IsZero() != tc.silentOpen {
				t.Errorf("span %+v: open = %v, want %v", src.Silent[0], src.Silent[0].End.IsZero(), tc.silentOpen)
			}
		})
	}
}

func TestSilentAt(t *testing.T) {
	polls := regular(t0, 48) // last new item at hour 46; usual gap 2 h
	for i := 48; i < 100; i++ {
		polls = append(polls, store.Poll{Feed: "f", Time: t0.Add(time.Duration(i) * time.Hour), Status: 200, Items: 10, Overlap: 10})
	}
	last := t0.Add(46 * time.Hour)
	tests := []struct {
		at   time.Time
		want bool
	}{
		{t0.Add(47 * time.Hour), false},
		{last.Add(MinSilent - time.Hour), false}, // 4 × 2 h < 12 h: the floor applies
		{last.Add(MinSilent), true},
		{t0.Add(99 * time.Hour), true},
	}
	for _, tc := range tests {
		t.Run(tc.at.Format(time.RFC3339), func(t *testing.T) {
			got, since, usual := SilentAt(polls, tc.at)
			if got != tc.want {
				t.Errorf("silent = %v, want %v", got, tc.want)
			}
			if since != last || usual != 2*time.Hour {
				t.Errorf("since %v usual %v, want %v, 2h", since, usual, last)
			}
		})
	}
	if s, _, _ := SilentAt(regular(t0, 6), t0.Add(90*time.Hour)); s {
		t.Error("3 new-item polls are too few to know the usual gap, yet the feed was called silent")
	}
}

func TestDaysNorm(t *testing.T) {
	// Mondays bring 10 articles, other days 2; the Monday eight weeks on
	// brings 3: its norm is 10.
	var polls []store.Poll
	for d := range 57 {
		n := 2
		if d%7 == 0 {
			n = 10
		}
		if d == 56 {
			n = 3
		}
		polls = append(polls, store.Poll{Feed: "f", Time: t0.AddDate(0, 0, d).Add(12 * time.Hour), Status: 200, Items: 20, New: n, Overlap: 20 - n})
	}
	got := days(polls, t0.AddDate(0, 0, 55), t0.AddDate(0, 0, 57))
	if len(got) != 2 {
		t.Fatalf("days %+v, want 2", got)
	}
	if got[0].Articles != 2 || got[0].Norm != 2 {
		t.Errorf("sunday %+v, want 2 articles, norm 2", got[0])
	}
	if got[1].Articles != 3 || got[1].Norm != 10 {
		t.Errorf("monday %+v, want 3 articles, norm 10", got[1])
	}
	if early := days(polls, t0, t0.AddDate(0, 0, 1)); early[0].Norm != -1 {
		t.Errorf("first day %+v: no history, want norm -1", early[0])
	}
}

func TestComputeThroughStore(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range []*store.FeedState{{URL: "https://a.example/rss", Outlet: "a"}, {URL: "https://b.example/rss", Outlet: "b"}} {
		if err := st.PutFeed(f); err != nil {
			t.Fatal(err)
		}
		for _, p := range regular(t0, 24) {
			p.Feed = f.URL
			if err := st.PutPoll(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := Compute(st, Options{Since: t0.Add(12 * time.Hour), Until: t0.Add(24 * time.Hour), Outlets: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Feeds) != 1 || rep.Feeds[0].Outlet != "b" || rep.Feeds[0].Polls != 12 || rep.Feeds[0].Articles != 6 {
		t.Fatalf("feeds %+v, want outlet b with 12 polls and 6 articles", rep.Feeds)
	}
	if len(rep.Outlets) != 1 || rep.Outlets[0].Polls != 12 {
		t.Fatalf("outlets %+v", rep.Outlets)
	}
}
