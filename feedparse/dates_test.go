package feedparse

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	at := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC) }
	noon := func(h, mi int) time.Time { return at(2004, 7, 1, h, mi, 0) }
	tests := []struct {
		in   string
		want time.Time // zero: not a date
	}{
		// Every zone abbreviation, at 12:00 local time on 1 July 2004.
		{"Thu, 01 Jul 2004 12:00:00 GMT", noon(12, 0)},
		{"Thu, 01 Jul 2004 12:00:00 UT", noon(12, 0)},
		{"Thu, 01 Jul 2004 12:00:00 UTC", noon(12, 0)},
		{"Thu, 01 Jul 2004 12:00:00 Z", noon(12, 0)},
		{"Thu, 01 Jul 2004 12:00:00 CET", noon(11, 0)},
		{"Thu, 01 Jul 2004 12:00:00 CEST", noon(10, 0)},
		{"Thu, 01 Jul 2004 12:00:00 MET", noon(11, 0)},
		{"Thu, 01 Jul 2004 12:00:00 MEST", noon(10, 0)},
		{"Thu, 01 Jul 2004 12:00:00 EET", noon(10, 0)},
		{"Thu, 01 Jul 2004 12:00:00 EEST", noon(9, 0)},
		{"Thu, 01 Jul 2004 12:00:00 BST", noon(11, 0)},
		{"Thu, 01 Jul 2004 12:00:00 WET", noon(12, 0)},
		{"Thu, 01 Jul 2004 12:00:00 MSK", noon(9, 0)},
		{"Thu, 01 Jul 2004 12:00:00 MSD", noon(8, 0)},
		{"Thu, 01 Jul 2004 12:00:00 IST", noon(6, 30)},
		{"Thu, 01 Jul 2004 12:00:00 JST", noon(3, 0)},
		{"Thu, 01 Jul 2004 12:00:00 KST", noon(3, 0)},
		{"Thu, 01 Jul 2004 12:00:00 EST", noon(17, 0)},
		{"Thu, 01 Jul 2004 12:00:00 EDT", noon(16, 0)},
		{"Thu, 01 Jul 2004 12:00:00 ET", noon(17, 0)},
		{"Thu, 01 Jul 2004 12:00:00 CST", noon(18, 0)},
		{"Thu, 01 Jul 2004 12:00:00 CDT", noon(17, 0)},
		{"Thu, 01 Jul 2004 12:00:00 CT", noon(18, 0)},
		{"Thu, 01 Jul 2004 12:00:00 MST", noon(19, 0)},
		{"Thu, 01 Jul 2004 12:00:00 MDT", noon(18, 0)},
		{"Thu, 01 Jul 2004 12:00:00 MT", noon(19, 0)},
		{"Thu, 01 Jul 2004 12:00:00 PST", noon(20, 0)},
		{"Thu, 01 Jul 2004 12:00:00 PDT", noon(19, 0)},
		{"Thu, 01 Jul 2004 12:00:00 PT", noon(20, 0)},
		{"Thu, 01 Jul 2004 12:00:00 AST", noon(16, 0)},
		{"Thu, 01 Jul 2004 12:00:00 ADT", noon(15, 0)},
		{"Thu, 01 Jul 2004 12:00:00 AT", noon(16, 0)},
		{"Thu, 01 Jul 2004 12:00:00 A", noon(13, 0)},
		{"Thu, 01 Jul 2004 12:00:00 N", noon(11, 0)},
		{"Thu, 01 Jul 2004 12:00:00 M", noon(24, 0)},
		{"Thu, 01 Jul 2004 12:00:00 Y", noon(0, 0)},
		{"Thu, 01 Jul 2004 12:00:00 Etc/GMT", noon(12, 0)},
		{"Thu, 01 Jul 2004 12:00:00 GMT-01:01", noon(13, 1)},
		{"Thu, 01 Jul 2004 12:00:00 GMT+2", noon(10, 0)},
		{"Thu, 01 Jul 2004 12:00:00 -00:20", noon(12, 20)},
		{"Thu, 01 Jul 2004 12:00:00 +0530", noon(6, 30)},
		{"Thu, 01 Jul 2004 12:00:00 +02:00", noon(10, 0)},
		{"Thu, 01 Jul 2004 12:00:00 +0200 (CEST)", noon(10, 0)},
		{"Thu, 01 Jul 2004 12:00:00 XYZ", noon(12, 0)}, // unknown names are UTC, as in feedparser
		{"Thu, 01 Jul 2004 12:00:00", noon(12, 0)},
		// Other RFC 822 shapes.
		{"Mon, 13 Feb, 2012 06:28:00 UTC", at(2012, 2, 13, 6, 28, 0)},
		{"13 Feb 2012 06:28 GMT", at(2012, 2, 13, 6, 28, 0)},
		{"Sun, 04 Jan 04 16:29:06 GMT", at(2004, 1, 4, 16, 29, 6)},
		{"Sun, 04 Jan 99 16:29:06 GMT", at(1999, 1, 4, 16, 29, 6)},
		{"Sun, 4 January 2004 4:29:06 PM GMT", at(2004, 1, 4, 16, 29, 6)},
		{"Sun Jan  4 16:29:06 2004", at(2004, 1, 4, 16, 29, 6)},
		{"Sun Jan  4 16:29:06 PST 2004", at(2004, 1, 5, 0, 29, 6)},
		{"Fri, 2006/09/15 08:19:53 EDT", at(2006, 9, 15, 12, 19, 53)},
		{"Thu, 31 Jun 2004 12:00:00 GMT", time.Time{}}, // no 31 June
		// W3C-DTF and ISO 8601.
		{"2003-12-31T10:14:55Z", at(2003, 12, 31, 10, 14, 55)},
		{"2003-12-31T10:14:55-08:00", at(2003, 12, 31, 18, 14, 55)},
		{"2003-12-31T10:14Z", at(2003, 12, 31, 10, 14, 0)},
		{"2003-12-31", at(2003, 12, 31, 0, 0, 0)},
		{"2003-12", at(2003, 12, 1, 0, 0, 0)},
		{"2003", at(2003, 1, 1, 0, 0, 0)},
		{"20031231T101455Z", at(2003, 12, 31, 10, 14, 55)},
		{"2003-335", at(2003, 12, 1, 0, 0, 0)},
		{"2004-07-08 23:56:58.0", at(2004, 7, 8, 23, 56, 58)},
		{"2004-07-08 23:56:58 EST", at(2004, 7, 9, 4, 56, 58)},
		{"2003-13-01", time.Time{}},
		// Other languages.
		{"Seg, 24 Set 2018 10:00:00 -0300", at(2018, 9, 24, 13, 0, 0)},
		{"segunda-feira, 24 de setembro de 2018 10:00", at(2018, 9, 24, 10, 0, 0)},
		{"Qua, 03 Out 2018 10:00:00 GMT", at(2018, 10, 3, 10, 0, 0)},
		{"mar, 24 abr 2018 10:00:00 +0200", at(2018, 4, 24, 8, 0, 0)},
		{"mer., 3 oct. 2018 10:00:00 +0200", at(2018, 10, 3, 8, 0, 0)},
		{"Mi, 03 Okt 2018 10:00:00 +0200", at(2018, 10, 3, 8, 0, 0)},
		{"Mo, 05 Mär 2018 10:00:00 +0100", at(2018, 3, 5, 9, 0, 0)},
		{"mer, 03 ott 2018 10:00:00 +0200", at(2018, 10, 3, 8, 0, 0)},
		{"wo, 03 mrt 2018 10:00:00 +0100", at(2018, 3, 3, 9, 0, 0)},
		{"Ср, 03 окт 2018 10:00:00 +0300", at(2018, 10, 3, 7, 0, 0)},
		{"3 октября 2018 10:00", at(2018, 10, 3, 10, 0, 0)},
		{"Κυρ, 11 Ιούλ 2004 12:00:00 EST", at(2004, 7, 11, 17, 0, 0)},
		{"2004-július-13T9:15-05:00", at(2004, 7, 13, 14, 15, 0)},
		{"2004년 05월 28일  01:31:15", at(2004, 5, 27, 16, 31, 15)},
		{"2004-05-25 오후 11:23:17", at(2004, 5, 25, 14, 23, 17)},
		// Not dates: never a guess.
		{"", time.Time{}},
		{"soon", time.Time{}},
		{"12:00", time.Time{}},
		{"Thu, 01 Jul 12:00:00 GMT", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDate(tt.in)
			if tt.want.IsZero() {
				if ok {
					t.Errorf("got %v, want no date", got)
				}
				return
			}
			if !ok || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("got %v (%v), want %v", got, ok, tt.want)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Thu, 01 Jul 2004 12:00:00 CEST", "2003-12-31T10:14:55Z", "2004-05-25 오후 11:23:17", "Seg, 24 Set 2018"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := ParseDate(s); ok && (d.IsZero() || d.Location() != time.UTC) {
			t.Fatalf("%q: %v", s, d)
		}
	})
}
