// Package coverage accounts for how complete the archive is, per feed
// and per outlet: polls and failures, articles per day against the
// source's own norm, gaps (polls whose items were all new: the feed's
// window overflowed between two polls, so items may have been missed)
// and silent spans (the feed answers but brings nothing new for much
// longer than usual). It reads the poll history the pipeline records
// through the store.
package coverage

import (
	"slices"
	"sort"
	"time"

	"github.com/feedvault/feedvault/store"
)

// Parameters of the judgements. They are documented in README.md.
const (
	// NormWeeks is how many earlier same weekdays the daily norm is the
	// median of; a norm needs at least MinNormDays of them with polls.
	NormWeeks   = 8
	MinNormDays = 4
	// A feed is silent once nothing new came for SilentFactor times its
	// usual gap between new items, and at least MinSilent, while it
	// answered. The usual gap needs MinNewPolls polls that brought items.
	SilentFactor = 4
	MinSilent    = 12 * time.Hour
	MinNewPolls  = 5
	// RateWindow is the history the item rate of a gap estimate is
	// measured over.
	RateWindow = 7 * 24 * time.Hour
)

// Gap is a poll where no listed item had been seen before.
type Gap struct {
	Time     time.Time `json:"time"`
	After    time.Time `json:"after"`      // the previous successful poll
	Listed   int       `json:"listed"`     // items the feed listed
	Estimate int       `json:"est_missed"` // items likely missed: rate × interval − listed, at least 1
}

// Span is a silent stretch: the feed answered but nothing new came.
type Span struct {
	Start time.Time      `json:"start"`        // the last new item before the silence
	End   time.Time      `json:"end,omitzero"` // the next new item; zero while it lasts
	Usual store.Duration `json:"usual_gap"`
	Polls int            `json:"polls"` // successful polls during the span
}

// Day is one day of a feed or outlet.
type Day struct {
	Date     string  `json:"date"`
	Articles int     `json:"articles"`
	Polls    int     `json:"polls"`
	Norm     float64 `json:"norm"` // median of the same weekday over the earlier NormWeeks weeks; -1 unknown
}

// Source is the account of one feed, or of one outlet (Feed empty).
type Source struct {
	Outlet      string `json:"outlet"`
	Feed        string `json:"feed,omitempty"`
	Polls       int    `json:"polls"`
	Failures    int    `json:"failures"`
	NotModified int    `json:"not_modified"`
	Articles    int    `json:"articles"`
	Gaps        []Gap  `json:"gaps,omitempty"`
	EstMissed   int    `json:"est_missed"`
	Silent      []Span `json:"silent,omitempty"`
	Days        []Day  `json:"days,omitempty"`
}

// Report is the coverage of a period.
type Report struct {
	Since   time.Time `json:"since,omitzero"`
	Until   time.Time `json:"until"`
	Feeds   []Source  `json:"feeds"`
	Outlets []Source  `json:"outlets"`
}

// Options select the period and outlets.
type Options struct {
	Since, Until time.Time // Until zero: now
	Outlets      []string  // none: all
	Now          time.Time // zero: time.Now
}

// Compute accounts for the feeds the archive knows.
func Compute(st *store.Store, opt Options) (Report, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	if opt.Until.IsZero() {
		opt.Until = opt.Now
	}
	rep := Report{Since: opt.Since, Until: opt.Until}
	feeds, err := st.Feeds()
	if err != nil {
		return rep, err
	}
	// The norm and the usual gap need history before the period.
	from := opt.Since.AddDate(0, 0, -7*NormWeeks)
	if opt.Since.IsZero() {
		from = time.Time{}
	}
	byOutlet := map[string][]store.Poll{}
	for _, f := range feeds {
		if len(opt.Outlets) > 0 && !slices.Contains(opt.Outlets, f.Outlet) {
			continue
		}
		polls, err := st.Polls(f.URL, from, opt.Until)
		if err != nil {
			return rep, err
		}
		src := Account(polls, opt.Since, opt.Until)
		src.Outlet, src.Feed = f.Outlet, f.URL
		rep.Feeds = append(rep.Feeds, src)
		byOutlet[f.Outlet] = append(byOutlet[f.Outlet], polls...)
	}
	sort.Slice(rep.Feeds, func(i, j int) bool {
		a, b := rep.Feeds[i], rep.Feeds[j]
		return a.Outlet < b.Outlet || a.Outlet == b.Outlet && a.Feed < b.Feed
	})
	for name, polls := range byOutlet {
		sort.SliceStable(polls, func(i, j int) bool { return polls[i].Time.Before(polls[j].Time) })
		src := Source{Outlet: name}
		// Gaps and silence belong to feeds; an outlet sums its feeds' and
		// keeps its own days and norm.
		for _, f := range rep.Feeds {
			if f.Outlet == name {
				src.Polls += f.Polls
				src.Failures += f.Failures
				src.NotModified += f.NotModified
				src.Articles += f.Articles
				src.Gaps = append(src.Gaps, f.Gaps...)
				src.EstMissed += f.EstMissed
				src.Silent = append(src.Silent, f.Silent...)
			}
		}
		src.Days = days(polls, opt.Since, opt.Until)
		rep.Outlets = append(rep.Outlets, src)
	}
	sort.Slice(rep.Outlets, func(i, j int) bool { return rep.Outlets[i].Outlet < rep.Outlets[j].Outlet })
	return rep, nil
}

// Account sums up one feed's polls (oldest first, history before since
// included) over [since, until).
func Account(polls []store.Poll, since, until time.Time) Source {
	var src Source
	in := func(t time.Time) bool { return !t.Before(since) && t.Before(until) }
	var prev *store.Poll // the previous successful poll that listed items
	for i := range polls {
		p := &polls[i]
		if in(p.Time) {
			src.Polls++
			if p.Failed {
				src.Failures++
			}
			if p.NotModified {
				src.NotModified++
			}
			src.Articles += p.New
		}
		if p.Failed || p.NotModified || p.Items == 0 {
			continue
		}
		if prev != nil && p.Overlap == 0 && in(p.Time) {
			g := Gap{Time: p.Time, After: prev.Time, Listed: p.Items}
			g.Estimate = max(1, int(rate(polls[:i], prev.Time)*p.Time.Sub(prev.Time).Hours()+0.5)-p.Items)
			src.Gaps = append(src.Gaps, g)
			src.EstMissed += g.Estimate
		}
		prev = p
	}
	src.Silent = silences(polls, since, until)
	src.Days = days(polls, since, until)
	return src
}

// rate is the new items per hour over the RateWindow before t.
func rate(polls []store.Poll, t time.Time) float64 {
	from := t.Add(-RateWindow)
	n, first := 0, time.Time{}
	for _, p := range polls {
		if p.Time.Before(from) {
			continue
		}
		if first.IsZero() {
			first = p.Time
		}
		n += p.New
	}
	if first.IsZero() || !t.After(first) {
		return 0
	}
	return float64(n) / t.Sub(first).Hours()
}

// UsualGap is the median time between successive polls that brought
// new items; ok is false with fewer than MinNewPolls such polls.
func UsualGap(polls []store.Poll) (time.Duration, bool) {
	var last time.Time
	var gaps []time.Duration
	n := 0
	for _, p := range polls {
		if p.New == 0 || p.Failed {
			continue
		}
		n++
		if !last.IsZero() {
			gaps = append(gaps, p.Time.Sub(last))
		}
		last = p.Time
	}
	if n < MinNewPolls {
		return 0, false
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2], true
}

// Threshold is how long a feed may bring nothing before it is silent.
func Threshold(usual time.Duration) time.Duration {
	return max(SilentFactor*usual, MinSilent)
}

// silences finds the silent spans that overlap [since, until). The usual
// gap is measured on the polls up to each span's start. A span still
// open at until has no End.
func silences(polls []store.Poll, since, until time.Time) []Span {
	var out []Span
	last, answered := -1, 0  // the last poll that brought items; answers since
	var lastAnswer time.Time // the last of those answers
	emit := func(end time.Time, open bool) {
		if last < 0 || answered == 0 {
			return
		}
		usual, ok := UsualGap(polls[:last+1])
		start := polls[last].Time
		// Silence is what the feed said, not an outage: measured to the
		// last answer that brought nothing.
		if !ok || lastAnswer.Sub(start) < Threshold(usual) || !end.After(since) || !start.Before(until) {
			return
		}
		s := Span{Start: start, Usual: store.Duration(usual), Polls: answered}
		if !open {
			s.End = end
		}
		out = append(out, s)
	}
	for i, p := range polls {
		switch {
		case p.Failed:
		case p.New == 0:
			answered++
			lastAnswer = p.Time
		default:
			emit(p.Time, false)
			last, answered = i, 0
		}
	}
	emit(until, true)
	return out
}

// SilentAt reports whether a feed with these polls (oldest first) was
// silent at time at, judged on its answers up to then, and since when.
func SilentAt(polls []store.Poll, at time.Time) (silent bool, since time.Time, usual time.Duration) {
	last, answered := -1, 0
	var lastAnswer time.Time
	for i, p := range polls {
		if p.Time.After(at) {
			break
		}
		if p.New > 0 && !p.Failed {
			last, answered = i, 0
		} else if !p.Failed {
			answered++
			lastAnswer = p.Time
		}
	}
	if last < 0 || answered == 0 {
		return false, time.Time{}, 0
	}
	usual, ok := UsualGap(polls[:last+1])
	if !ok {
		return false, time.Time{}, 0
	}
	since = polls[last].Time
	return lastAnswer.Sub(since) >= Threshold(usual), since, usual
}

// days counts new articles and polls per UTC day in [since, until) with
// each day's norm. Without since, days start at the first poll.
func days(polls []store.Poll, since, until time.Time) []Day {
	if len(polls) == 0 {
		return nil
	}
	type acc struct{ articles, polls int }
	count := map[string]*acc{}
	for _, p := range polls {
		k := p.Time.UTC().Format(time.DateOnly)
		a := count[k]
		if a == nil {
			a = &acc{}
			count[k] = a
		}
		a.polls++
		a.articles += p.New
	}
	first := since
	if first.IsZero() {
		first = polls[0].Time
	}
	first = first.UTC().Truncate(24 * time.Hour)
	var out []Day
	for d := first; d.Before(until); d = d.AddDate(0, 0, 1) {
		k := d.Format(time.DateOnly)
		day := Day{Date: k, Norm: -1}
		if a := count[k]; a != nil {
			day.Articles, day.Polls = a.articles, a.polls
		}
		var same []int
		for w := 1; w <= NormWeeks; w++ {
			if a := count[d.AddDate(0, 0, -7*w).Format(time.DateOnly)]; a != nil && a.polls > 0 {
				same = append(same, a.articles)
			}
		}
		if len(same) >= MinNormDays {
			slices.Sort(same)
			m := float64(same[len(same)/2])
			if len(same)%2 == 0 {
				m = float64(same[len(same)/2-1]+same[len(same)/2]) / 2
			}
			day.Norm = m
		}
		out = append(out, day)
	}
	return out
}

// Low reports a day with fewer than half its norm's articles (a norm of
// at least 2: below that, chance dominates).
func (d Day) Low() bool { return d.Norm >= 2 && float64(d.Articles) < d.Norm/2 }

// LowDays counts the low days of a source.
func (s Source) LowDays() int {
	n := 0
	for _, d := range s.Days {
		if d.Low() {
			n++
		}
	}
	return n
}

// SilentNow reports whether the source's last silent span is still open.
func (s Source) SilentNow() bool {
	return len(s.Silent) > 0 && s.Silent[len(s.Silent)-1].End.IsZero()
}
