package query

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	day := time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		end     bool
		want    time.Time
		wantErr bool
	}{
		{"2024-10-29", false, day, false},
		{"2024-10-29", true, day.Add(24 * time.Hour), false},
		{"2024-10-29T11:42:00Z", false, day.Add(11*time.Hour + 42*time.Minute), false},
		// until is exclusive in the store: "on or before" an instant ends
		// just after it (it ended at it, leaving out an article published
		// at 11:42:00Z)
		{"2024-10-29T11:42:00Z", true, day.Add(11*time.Hour + 42*time.Minute + time.Nanosecond), false},
		{"2024-10-29T14:42:00+03:00", true, day.Add(11*time.Hour + 42*time.Minute + time.Nanosecond), false},
		{"29.10.2024", false, time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, tt.end)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q, %v) = %v, %v", tt.in, tt.end, got, err)
		}
	}
}
