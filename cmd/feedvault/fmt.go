package main

import "time"

// fmtTime prints a time as RFC 3339 in UTC, or "-" when unknown.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return fmtTimeEmpty(t)
}

// fmtTimeEmpty prints a time as RFC 3339 in UTC, or "" when unknown.
func fmtTimeEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
