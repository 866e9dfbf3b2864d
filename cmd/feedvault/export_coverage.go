package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/coverage"
)

// exportCoverage is the manifest's account of how complete the exported
// period is, per outlet, so a paper can state it.
type exportCoverage struct {
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until"`
	Note  string    `json:"note"`
	// Outlets without any recorded poll (imported, or archived before
	// coverage accounting existed): nothing can be said of them.
	NoPollHistory []string                  `json:"no_poll_history,omitempty"`
	Outlets       map[string]outletCoverage `json:"outlets"`
}

type outletCoverage struct {
	FirstPoll   time.Time       `json:"first_poll,omitzero"` // the earliest recorded poll in the period
	Polls       int             `json:"polls"`
	Failures    int             `json:"failures"`
	NotModified int             `json:"not_modified"`
	Articles    int             `json:"articles_first_seen"`
	Gaps        []coverage.Gap  `json:"gaps,omitempty"`
	EstMissed   int             `json:"est_missed"`
	Silent      []coverage.Span `json:"silent,omitempty"`
	LowDays     []string        `json:"low_days,omitempty"`
}

const exportCoverageNote = "From the poll history feedvault recorded: polls and failures; gaps are polls where no listed item had been seen before " +
	"(the feed's window overflowed; est_missed estimates the items lost); silent spans are times the feed answered but brought nothing new " +
	"for 4 times its usual gap (at least 12 h); low days had under half the median of the same weekday over the 8 weeks before. See 'feedvault coverage --help'."

// coverageForExport accounts for the outlets of an export (those asked
// for, else those exported) over its period. A failure is reported and
// leaves the manifest without the section rather than failing the export.
func coverageForExport(ctx context.Context, e *env, dbPath string, q archiveapi.QueryRequest, perOutlet map[string]int) *exportCoverage {
	outlets := slices.Clone(q.Outlets)
	if len(outlets) == 0 {
		for o := range perOutlet {
			outlets = append(outlets, o)
		}
	}
	sort.Strings(outlets)
	var rep coverage.Report
	if err := analysis(ctx, dbPath, "coverage", coverageParams{Since: q.Since, Until: q.Until, Outlets: outlets}, &rep); err != nil {
		fmt.Fprintf(e.stderr, "feedvault: export: manifest without coverage: %v\n", err)
		return nil
	}
	ec := &exportCoverage{Since: rep.Since, Until: rep.Until, Note: exportCoverageNote, Outlets: map[string]outletCoverage{}}
	for _, f := range rep.Feeds {
		oc := ec.Outlets[f.Outlet]
		if len(f.Days) > 0 && f.Polls > 0 {
			first := firstPoll(f, q.Since)
			if oc.FirstPoll.IsZero() || first.Before(oc.FirstPoll) {
				oc.FirstPoll = first
			}
		}
		ec.Outlets[f.Outlet] = oc
	}
	for _, s := range rep.Outlets {
		oc := ec.Outlets[s.Outlet]
		oc.Polls, oc.Failures, oc.NotModified, oc.Articles = s.Polls, s.Failures, s.NotModified, s.Articles
		oc.Gaps, oc.EstMissed, oc.Silent = s.Gaps, s.EstMissed, s.Silent
		for _, d := range s.Days {
			if d.Low() {
				oc.LowDays = append(oc.LowDays, d.Date)
			}
		}
		ec.Outlets[s.Outlet] = oc
	}
	for _, o := range outlets {
		if oc, ok := ec.Outlets[o]; !ok || oc.Polls == 0 {
			delete(ec.Outlets, o)
			ec.NoPollHistory = append(ec.NoPollHistory, o)
		}
	}
	return ec
}

// firstPoll is the first day with polls of a feed in the period, as a
// date: days carry no times.
func firstPoll(f coverage.Source, since time.Time) time.Time {
	for _, d := range f.Days {
		if d.Polls > 0 {
			t, err := time.Parse(time.DateOnly, d.Date)
			if err == nil && t.Before(since) {
				return since
			}
			return t
		}
	}
	return time.Time{}
}
