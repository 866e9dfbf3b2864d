package feedparse

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// ParseDate reads a feed date the way Python's feedparser does: RFC 822
// and its many variants (any zone abbreviation below, numeric offsets
// with or without a colon, GMT+hh:mm, Etc/GMT, no zone = UTC, two-digit
// years, commas anywhere), W3C-DTF / ISO 8601 (down to "2003-12" and
// "2003", ordinal dates), asctime, MSSQL, Perforce, the Korean OnBlog
// and Nate forms, and day and month names in Portuguese, Spanish,
// French, German, Italian, Dutch, Russian, Greek and Hungarian. It
// returns the time in UTC, and false when s is not a date; it never
// guesses one.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	s = comment().ReplaceAllString(s, " ")
	s = strings.TrimSpace(s)
	for _, parse := range []func(string) (time.Time, bool){parseKorean, parseISO, parseRFC822} {
		if t, ok := parse(s); ok {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

var comment = lazyRE(`\([^)]*\)`)

// zones are the zone names feedparser knows (RFC 822, North American
// zones, MET/MEST) and those of the outlets we archive, in minutes east
// of UTC. Unknown names are read as UTC, as feedparser does. Built on
// first use, as the tables below: not every process reads a date.
var zones = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
		"ADT": -3 * 60, "AST": -4 * 60, "AT": -4 * 60,
		"EDT": -4 * 60, "EST": -5 * 60, "ET": -5 * 60,
		"CDT": -5 * 60, "CST": -6 * 60, "CT": -6 * 60,
		"MDT": -6 * 60, "MST": -7 * 60, "MT": -7 * 60,
		"PDT": -7 * 60, "PST": -8 * 60, "PT": -8 * 60,
		"AKST": -9 * 60, "AKDT": -8 * 60, "HST": -10 * 60,
		"NST": -(3*60 + 30), "NDT": -(2*60 + 30),
		"BST": 60, "IST": 5*60 + 30, "WEST": 60,
		"CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "MEZ": 60, "MESZ": 120,
		"EET": 120, "EEST": 180, "MSK": 180, "MSD": 240,
		"HKT": 8 * 60, "SGT": 8 * 60, "AWST": 8 * 60, "JST": 9 * 60, "KST": 9 * 60,
		"ACST": 9*60 + 30, "AEST": 10 * 60, "AEDT": 11 * 60, "NZST": 12 * 60, "NZDT": 13 * 60,
		// RFC 822 military zones, as RFC 822 (and feedparser) defines them.
		"A": -60, "N": 60, "M": -12 * 60, "Y": 12 * 60,
	}
})

// months maps month names and abbreviations in the languages of the
// outlets feedparser and feedvault meet to 1–12 (lower case, without a
// trailing period).
var months = sync.OnceValue(monthNames)

func monthNames() map[string]int {
	months := map[string]int{}
	for m, names := range [12]string{
		"jan january janeiro enero janvier janv januar jänner jän gennaio gen januari янв января январь ιαν ιανουαρίου január",
		"feb february fev fevereiro febrero février févr fev fevr februar febbraio februari фев февраля февраль φεβ φεβρουαρίου február",
		"mar march março marco marzo mars märz mär mrz mrt maart мар марта март μάρ μαρ μάώ μαώ μαρτίου március",
		"apr april abr abril avril avr aprile апр апреля апрель απρ απριλίου április",
		"may mai maio mayo maggio mag mei мая май μάι μαϊ μαι μαΐου május",
		"jun june junho junio juin juni giugno giu июн июня июнь ιούν ιουν ιον ιουνίου június",
		"jul july julho julio juillet juil juli luglio lug июл июля июль ιούλ ιουλ ιολ ιουλίου július",
		"aug august ago agosto août aout augustus авг августа август αύγ αυγ αυγούστου augusztus",
		"sep sept september setembro set septiembre setiembre septembre settembre сен сентября сентябрь σεπ σεπτεμβρίου szeptember",
		"oct october out outubro octubre octobre okt oktober ott ottobre окт октября октябрь οκτ οκτωβρίου október",
		"nov november novembro noviembre novembre ноя ноября ноябрь νοέ νοε νοεμβρίου",
		"dec december dez dezembro dic diciembre décembre déc dezember dicembre дек декабря декабрь δεκ δεκεμβρίου",
	} {
		for _, n := range strings.Fields(names) {
			months[n] = m + 1
		}
	}
	return months
}

// parseKorean reads the two Korean forms feedparser knows (OnBlog and
// Nate); both are Korean Standard Time.
var (
	onblogRE = lazyRE(`^(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일\s*(\d{1,2}):(\d{2}):(\d{2})$`)
	nateRE   = lazyRE(`^(\d{4})-(\d{1,2})-(\d{1,2})\s+(오전|오후)\s+(\d{1,2}):(\d{1,2}):(\d{1,2})$`)
	kst      = time.FixedZone("KST", 9*3600)
)

func parseKorean(s string) (time.Time, bool) {
	if m := onblogRE().FindStringSubmatch(s); m != nil {
		return mkdate(atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6]), 0, kst)
	}
	if m := nateRE().FindStringSubmatch(s); m != nil {
		h := atoi(m[5])
		if m[4] == "오후" && h < 12 {
			h += 12
		}
		return mkdate(atoi(m[1]), atoi(m[2]), atoi(m[3]), h, atoi(m[6]), atoi(m[7]), 0, kst)
	}
	return time.Time{}, false
}

// isoRE is W3C-DTF and the ISO 8601 forms feeds use, including MSSQL's
// "2004-07-08 23:56:58.0" and a Hungarian month name in place of the
// month number.
var isoRE = lazyRE(`^(\d{4})(?:-?(\d{3})|-?(\d{2}|[^\d\sT-]+)(?:-?(\d{1,2}))?)?` +
	`(?:(?:T|\s+)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?` +
	`\s*(Z|[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5})?$`)

func parseISO(s string) (time.Time, bool) {
	m := isoRE().FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	year, month, day := atoi(m[1]), 1, 1
	switch {
	case m[3] != "":
		if month = atoi(m[3]); month == 0 {
			if month = months()[strings.ToLower(m[3])]; month == 0 {
				return time.Time{}, false
			}
		}
		if m[4] != "" {
			day = atoi(m[4])
		}
	case m[2] != "": // ordinal: 2003-335
		d := atoi(m[2])
		if d < 1 || d > 366 {
			return time.Time{}, false
		}
		t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d-1)
		month, day = int(t.Month()), t.Day()
	}
	loc, ok := zone(m[9])
	if !ok {
		return time.Time{}, false
	}
	ns := 0
	if m[8] != "" {
		frac := (m[8] + "000000000")[:9]
		ns = atoi(frac)
	}
	return mkdate(year, month, day, atoi(m[5]), atoi(m[6]), atoi(m[7]), ns, loc)
}

var (
	splitRE = lazyRE(`[\s,]+`)
	timeRE  = lazyRE(`^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(.*)$`)
	ymdRE   = lazyRE(`^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$`)
)

// parseRFC822 reads RFC 822 dates and their relatives by token: a day
// name anywhere is skipped, the month is a name in any known language,
// the day one or two digits, the year two or four, the time has colons,
// and what follows the time is the zone.
func parseRFC822(s string) (time.Time, bool) {
	toks := splitRE().Split(strings.TrimSpace(s), -1)
	year, month, day := -1, 0, -1
	monthAt := -1
	hour, min, sec, ns := 0, 0, 0, 0
	haveTime := false
	zoneTok := ""
	pm, am := false, false
	var nums []string
	for i, raw := range toks {
		t := strings.TrimSuffix(strings.ToLower(raw), ".")
		if t == "" {
			continue
		}
		if m := ymdRE().FindStringSubmatch(t); m != nil { // Perforce: 2006/09/15
			year, month, day = atoi(m[1]), atoi(m[2]), atoi(m[3])
			continue
		}
		if m := timeRE().FindStringSubmatch(t); m != nil && !haveTime {
			haveTime = true
			hour, min, sec = atoi(m[1]), atoi(m[2]), atoi(m[3])
			if m[4] != "" {
				ns = atoi((m[4] + "000000000")[:9])
			}
			zoneTok = strings.TrimSpace(m[5])
			continue
		}
		switch t {
		case "am", "a.m":
			am = true
			continue
		case "pm", "p.m":
			pm = true
			continue
		}
		if _, err := strconv.Atoi(t); err == nil && t[0] != '+' && t[0] != '-' {
			nums = append(nums, t)
			continue
		}
		// A month name; one in first place may be a day name that is
		// also a month abbreviation (Spanish "mar" is Tuesday), so a
		// later one wins over it.
		if mo, ok := months()[t]; ok && (month == 0 || monthAt == 0) {
			month, monthAt = mo, i
			continue
		}
		if haveTime && zoneTok == "" && (t[0] == '+' || t[0] == '-' || isZoneName(t)) {
			zoneTok = raw
		}
		// Anything else is a day name or a word such as "de" or "of".
	}
	switch {
	case year >= 0: // Perforce
		if len(nums) > 0 {
			return time.Time{}, false
		}
	case len(nums) != 2 || month == 0:
		return time.Time{}, false
	case len(nums[0]) > 2: // 2004 Jan 4
		year, day = atoi(nums[0]), atoi(nums[1])
	default:
		day, year = atoi(nums[0]), atoi(nums[1])
		if len(nums[1]) <= 2 {
			if year < 90 {
				year += 2000
			} else {
				year += 1900
			}
		} else if len(nums[1]) != 4 {
			return time.Time{}, false
		}
	}
	if pm && hour < 12 {
		hour += 12
	} else if am && hour == 12 {
		hour = 0
	}
	loc, ok := zone(zoneTok)
	if !ok {
		return time.Time{}, false
	}
	return mkdate(year, month, day, hour, min, sec, ns, loc)
}

func isZoneName(t string) bool {
	for _, r := range t {
		if !unicode.IsLetter(r) && r != '/' && r != '+' && r != '-' && r != ':' && !unicode.IsDigit(r) {
			return false
		}
	}
	return unicode.IsLetter(rune(t[0]))
}

var offsetRE = lazyRE(`^([+-])(\d{1,2})(?::?(\d{2}))?$`)

// zone reads a zone: empty (UTC), Z, ±hh, ±hhmm, ±hh:mm, a name, GMT or
// UTC followed by an offset, Etc/GMT. An unknown name is UTC, as in
// feedparser; a malformed offset is not a zone.
func zone(z string) (*time.Location, bool) {
	z = strings.TrimSpace(z)
	if z == "" {
		return time.UTC, true
	}
	up := strings.ToUpper(z)
	up = strings.TrimPrefix(up, "ETC/")
	for _, p := range []string{"GMT", "UTC", "UT"} {
		if strings.HasPrefix(up, p) && len(up) > len(p) && (up[len(p)] == '+' || up[len(p)] == '-') {
			up = up[len(p):]
			break
		}
	}
	if m := offsetRE().FindStringSubmatch(up); m != nil {
		h, mm := atoi(m[2]), atoi(m[3])
		if h > 23 || mm > 59 {
			return nil, false
		}
		off := h*3600 + mm*60
		if m[1] == "-" {
			off = -off
		}
		return time.FixedZone("", off), true
	}
	if up[0] == '+' || up[0] == '-' {
		return nil, false
	}
	return time.FixedZone(up, zones()[up]*60), true
}

// mkdate builds a date, refusing out-of-range fields rather than letting
// time.Date roll them over.
func mkdate(y, mo, d, h, mi, s, ns int, loc *time.Location) (time.Time, bool) {
	if y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 61 {
		return time.Time{}, false
	}
	if s > 59 {
		s = 59 // a leap second
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, ns, loc)
	if t.Day() != d && h != 24 {
		return time.Time{}, false // 31 February
	}
	return t, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
