package query

import (
	"fmt"
	"time"
)

// ParseDate reads a date filter as every reader of the archive takes it:
// YYYY-MM-DD (a whole day in UTC: its start, or with endOfDay the start of
// the next day) or RFC 3339.
func ParseDate(v string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: write 2024-10-29 or 2024-10-29T11:42:00Z", v)
	}
	if endOfDay {
		t = t.Add(24 * time.Hour)
	}
	return t, nil
}
