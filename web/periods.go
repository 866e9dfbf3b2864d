package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/feedvault/feedvault/store"
)

// periodStart reads a bucket key of 'feedvault count --by' back into the
// time its period starts. ok is false for any other key (such as the
// bucket of undated articles), which the chart shows apart.
func periodStart(key, by string) (time.Time, bool) {
	switch by {
	case store.ByDay:
		t, err := time.Parse("2006-01-02", key)
		return t, err == nil
	case store.ByMonth:
		t, err := time.Parse("2006-01", key)
		return t, err == nil
	case store.ByWeek:
		if len(key) != 8 || key[4:6] != "-W" || !digits(key[:4]) || !digits(key[6:]) {
			return time.Time{}, false
		}
		y, _ := strconv.Atoi(key[:4])
		w, _ := strconv.Atoi(key[6:])
		if w < 1 || w > 53 {
			return time.Time{}, false
		}
		// Monday of ISO week 1 is the Monday on or before 4 January.
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		t := monday.AddDate(0, 0, 7*(w-1))
		if yy, ww := t.ISOWeek(); yy != y || ww != w {
			return time.Time{}, false
		}
		return t, true
	}
	return time.Time{}, false
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// periodKey is the bucket key of the period that starts at t, as count
// writes it.
func periodKey(t time.Time, by string) string {
	switch by {
	case store.ByWeek:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case store.ByMonth:
		return t.Format("2006-01")
	}
	return t.Format("2006-01-02")
}

func nextPeriod(t time.Time, by string) time.Time {
	switch by {
	case store.ByWeek:
		return t.AddDate(0, 0, 7)
	case store.ByMonth:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// maxPeriods bounds the axis: a daily chart over decades is refused with
// a hint to choose weeks or months.
const maxPeriods = 5000

// periodRange lists every period from the first to the last, so that a
// period without articles shows as zero, not as a gap the line skips.
func periodRange(first, last time.Time, by string) ([]string, error) {
	var out []string
	for t := first; !t.After(last); t = nextPeriod(t, by) {
		if len(out) == maxPeriods {
			return nil, fmt.Errorf("the matches span more than %d %ss: choose a longer period, or narrow the dates", maxPeriods, by)
		}
		out = append(out, periodKey(t, by))
	}
	return out, nil
}
