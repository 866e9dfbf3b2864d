package query

import (
	"fmt"
	"time"
)

// ParseDate reads a date filter as every reader of the archive takes it:
// YYYY-MM-DD (a whole day in UTC) or RFC 3339 (an instant). The store's
// until is exclusive, so for until ParseDate gives the end of what v
// names: the start of the next day, or the nanosecond after the instant
// ("on or before 11:42:00Z" takes an article published at 11:42:00Z).
func ParseDate(v string, until bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		if until {
			t = t.Add(time.Nanosecond)
		}
		return t, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: write 2024-10-29 or 2024-10-29T11:42:00Z", v)
	}
	if until {
		t = t.Add(24 * time.Hour)
	}
	return t, nil
}
