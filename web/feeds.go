package web

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/store"
)

type feedsPage struct {
	Feeds  []feedRow
	Now    time.Time
	Silent time.Duration
}

func (feedsPage) PageTitle() string { return "feeds" }

type feedRow struct {
	F      *store.FeedState
	Status string // ok, failing, silent, never polled
	Polls  *spark // new articles per poll, the polls it remembers
	Weeks  *spark // the outlet's articles archived per week, recent weeks
}

// VolumeWeeks is how many weeks the volume chart shows.
const VolumeWeeks = 8

// SilentAfter is how long a feed may go without a new article before
// the page marks it silent.
const SilentAfter = 7 * 24 * time.Hour

// spark is a small bar chart of a feed's new articles per poll, over the
// polls it remembers.
type spark struct {
	W, H int
	Bars []sparkBar
}

type sparkBar struct {
	X, Y, H, W string
	Fail       bool
	Tooltip    string
}

func (s *Server) feeds(w http.ResponseWriter, r *http.Request) {
	fs, err := s.opt.Reader.Feeds(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	now := s.opt.Now().UTC()
	p := feedsPage{Now: now, Silent: SilentAfter}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Outlet != fs[j].Outlet {
			return fs[i].Outlet < fs[j].Outlet
		}
		return fs[i].URL < fs[j].URL
	})
	weeks := map[string]*spark{}
	for _, f := range fs {
		if _, ok := weeks[f.Outlet]; ok {
			continue
		}
		sp, err := s.weekly(r, f.Outlet, now)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		weeks[f.Outlet] = sp
	}
	for _, f := range fs {
		p.Feeds = append(p.Feeds, feedRow{F: f, Status: feedStatus(f, now), Polls: polls(f), Weeks: weeks[f.Outlet]})
	}
	s.render(w, r, http.StatusOK, "feeds", p)
}

// feedStatus marks a feed: failing when its last poll failed, silent when
// it has brought nothing new for SilentAfter although it answers.
func feedStatus(f *store.FeedState, now time.Time) string {
	switch {
	case f.LastPoll.IsZero():
		return "never polled"
	case f.ConsecutiveFailures > 0:
		return "failing"
	}
	lastNew := time.Time{}
	for _, e := range f.Events {
		if e.New > 0 && e.Time.After(lastNew) {
			lastNew = e.Time
		}
	}
	if len(f.Events) > 0 && now.Sub(f.Events[0].Time) >= SilentAfter && (lastNew.IsZero() || now.Sub(lastNew) >= SilentAfter) {
		return "silent"
	}
	return "ok"
}

// weekly counts an outlet's articles by the week feedvault first saw
// them, over the last VolumeWeeks weeks (as 'feedvault count --by week
// --seen --outlet O' does).
func (s *Server) weekly(r *http.Request, outlet string, now time.Time) (*spark, error) {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	first := monday.AddDate(0, 0, -7*(VolumeWeeks-1))
	rows, err := s.opt.Reader.Count(r.Context(), archiveapi.QueryRequest{Outlets: []string{outlet}, Seen: true, Since: first}, store.ByWeek)
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	top := 1
	for _, row := range rows {
		n[row.Key] = row.Count
		top = max(top, row.Count)
	}
	const h, bw = 24, 12
	sp := &spark{W: VolumeWeeks * bw, H: h}
	for i := 0; i < VolumeWeeks; i++ {
		k := periodKey(first.AddDate(0, 0, 7*i), store.ByWeek)
		bh := max(float64(h-2)*float64(n[k])/float64(top), 1)
		sp.Bars = append(sp.Bars, sparkBar{X: strconv.Itoa(i * bw), Y: ff(float64(h) - bh), H: ff(bh), W: strconv.Itoa(bw - 2),
			Tooltip: k + ": " + strconv.Itoa(n[k]) + " articles"})
	}
	return sp, nil
}

func polls(f *store.FeedState) *spark {
	if len(f.Events) == 0 {
		return nil
	}
	const w, h, bw = 120, 24, 6
	top := 1
	for _, e := range f.Events {
		top = max(top, e.New)
	}
	sp := &spark{W: w, H: h}
	for i, e := range f.Events {
		bh := float64(h-2) * float64(e.New) / float64(top)
		if e.Class != "" || bh < 1 {
			bh = 1
		}
		tip := e.Time.UTC().Format("2006-01-02 15:04") + ": " + strconv.Itoa(e.New) + " new of " + strconv.Itoa(e.Items)
		if e.Class != "" {
			tip = e.Time.UTC().Format("2006-01-02 15:04") + ": failed (" + e.Class + ")"
		}
		sp.Bars = append(sp.Bars, sparkBar{X: strconv.Itoa(i * bw), Y: ff(float64(h) - bh), H: ff(bh), W: strconv.Itoa(bw - 1), Fail: e.Class != "", Tooltip: tip})
	}
	return sp
}

func sortStrings(s []string) { sort.Strings(s) }
