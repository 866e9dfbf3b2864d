package web

import (
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

func TestPeriods(t *testing.T) {
	tests := []struct {
		key, by string
		want    string // RFC 3339 date of the period's start, "" when not a period
	}{
		{"2024-10-29", store.ByDay, "2024-10-29"},
		{"2024-10", store.ByMonth, "2024-10-01"},
		{"2024-W44", store.ByWeek, "2024-10-28"},
		{"2021-W01", store.ByWeek, "2021-01-04"},
		{"2020-W53", store.ByWeek, "2020-12-28"},
		{"2021-W53", store.ByWeek, ""}, // 2021 has 52 ISO weeks
		{"2024-W1", store.ByWeek, ""},
		{"undated", store.ByDay, ""},
		{"", store.ByMonth, ""},
	}
	for _, tt := range tests {
		t.Run(tt.by+"/"+tt.key, func(t *testing.T) {
			got, ok := periodStart(tt.key, tt.by)
			if tt.want == "" {
				if ok {
					t.Errorf("periodStart(%q) = %v, want not a period", tt.key, got)
				}
				return
			}
			if !ok || got.Format("2006-01-02") != tt.want {
				t.Errorf("periodStart(%q, %s) = %v %v, want %s", tt.key, tt.by, got, ok, tt.want)
			}
			if back := periodKey(got, tt.by); back != tt.key {
				t.Errorf("periodKey back = %q", back)
			}
		})
	}
	// The axis fills the periods without articles, across a year's end.
	a, _ := periodStart("2020-W52", store.ByWeek)
	b, _ := periodStart("2021-W02", store.ByWeek)
	got, err := periodRange(a, b, store.ByWeek)
	if err != nil || len(got) != 4 || got[1] != "2020-W53" || got[2] != "2021-W01" {
		t.Errorf("periodRange = %v, %v", got, err)
	}
	if _, err := periodRange(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), store.ByDay); err == nil {
		t.Error("a daily axis over a century is not refused")
	}
}

// A key that parses as a period is the key count writes for that period.
func FuzzPeriodStart(f *testing.F) {
	for _, s := range []string{"2024-10-29", "2024-10", "2024-W44", "2020-W53", "0000-W01", "undated", "9999-12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		for _, by := range []string{store.ByDay, store.ByWeek, store.ByMonth} {
			if start, ok := periodStart(key, by); ok && periodKey(start, by) != key {
				t.Errorf("%s %q starts %v, whose key is %q", by, key, start, periodKey(start, by))
			}
		}
	})
}

// A page position parses back to the cursor it was made from, and
// nothing else panics.
func FuzzParseCursor(f *testing.F) {
	f.Add("1730196000000000000.42")
	f.Add("-1.0")
	f.Add("x.y")
	f.Fuzz(func(t *testing.T, v string) {
		c, err := parseCursor(v)
		if err != nil {
			return
		}
		if c2, err := parseCursor(formatCursor(c)); err != nil || !c2.Time.Equal(c.Time) || c2.ID != c.ID {
			t.Errorf("%q → %+v → %q → %+v %v", v, c, formatCursor(c), c2, err)
		}
	})
}
