package extractor

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// A dateline is a block that says only when the article was posted or
// updated ("November 20, 2019", "Posted: Fri 6:45 PM, Feb 16, 2018 |",
// "Обновлено 12 мая 2021, 14:05"). The date is metadata (Result.Published
// reads it from the page's markup); in the text it is a line that no
// sentence of the article needs. A block is a dateline when every word
// of it is a date word (a number, a month, a weekday, a time zone, a
// label such as "posted" or "updated") and it names a month, a numeric
// date, a time of day or a relative date ("Published 3 hours ago").
// Headings are never datelines: a timeline article heads its sections
// with dates.

// dateWords are the words a dateline is made of, in lower case, by
// kind: "m" a month, "r" the word of a relative date ("ago"), "w" a
// weekday, "l" a label, a preposition, a unit of time or a time zone.
// Built on first use.
var dateWords = sync.OnceValue(func() map[string]byte {
	m := map[string]byte{}
	add := func(kind byte, words string) {
		for _, w := range strings.Fields(words) {
			m[w] = kind
		}
	}
	add('m', `january february march april may june july august september october november december
		jan feb mar apr jun jul aug sep sept oct nov dec
		januar februar märz mai juni juli oktober dezember jän
		janvier février mars avril juin juillet août septembre octobre novembre décembre
		enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
		janeiro fevereiro março maio junho julho setembro outubro novembro dezembro
		январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
		января февраля марта апреля мая июня июля августа сентября октября ноября декабря
		янв фев мар апр июн июл авг сен окт ноя дек
		січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень
		січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня`)
	add('r', `ago назад тому 전`) // "3 hours ago": a relative date
	add('l', `min mins minute minutes hour hours hr hrs day days week weeks
		мин минут минуту минуты час часа часов день дня дней
		хв хвилин хвилину хвилини годину години годин днів
		분 시간 일`)
	add('w', `monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
		montag dienstag mittwoch donnerstag freitag samstag sonntag
		lundi mardi mercredi jeudi vendredi samedi dimanche
		lunes martes miércoles jueves viernes sábado domingo
		понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье пн вт ср чт пт сб вс
		понеділок вівторок середа середу четвер пятниця пятницю субота суботу неділя неділю`)
	add('l', `posted updated published modified last edited on at date time am pm a.m p.m gmt utc est edt cst cdt mst mdt pst pdt et pt ct bst cet cest eet eest msk kst jst ist
		опубликовано опубликован обновлено обновлён изменено дата в г года год от
		опубліковано оновлено змінено дата о р року від
		입력 수정 등록 기사입력 최종수정 업데이트 송고 오전 오후
		veröffentlicht aktualisiert am um uhr stand
		publié mis à jour le
		publicado actualizado el de del em às h`)
	return m
})

// dateShapes are a numeric date (20.11.2019, 2019-11-20, 11/20/19), a
// time of day (6:45, 14h05, 4:10pm; 14.05 is not one) and a Korean date
// part (2019년).
var dateShapes = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[:h]\d{2}(?::\d{2})?(?:am|pm)?|\d{1,4}(?:년|월|일|시|분))$`)
})

// datelineWords is the most words a dateline has, datelineBytes the
// most bytes (a cheap bound before the words are split), and
// maxDatelines the most datelines an article's text has (posted and
// updated): a page with more lists dated things.
const (
	datelineWords = 14
	datelineBytes = 480
	maxDatelines  = 2
)

// isDateline reports whether text says only a date (see above).
func isDateline(text string) bool {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '|' || r == '·' || r == '•' || r == '—' || r == '–' || r == '(' || r == ')' || r == '[' || r == ']'
	})
	if len(fields) == 0 || len(fields) > datelineWords {
		return false
	}
	words, shapes := dateWords(), dateShapes()
	named := false // a month, a numeric date or a time of day
	for _, f := range fields {
		f = strings.Trim(f, ".:;-/'’\"")
		if f == "" {
			continue
		}
		if shapes.MatchString(f) {
			named = true
			continue
		}
		if isDayNumber(f) {
			continue
		}
		switch words[strings.ReplaceAll(f, "'", "")] {
		case 'm':
			named = true
		case 'r':
			named = true
		case 'w', 'l':
		default:
			return false
		}
	}
	return named
}

// isDayNumber reports a number of up to four digits, or an ordinal day
// ("20th", "1st").
func isDayNumber(f string) bool {
	f = strings.TrimRight(f, ".")
	for _, ord := range []string{"st", "nd", "rd", "th"} {
		f = strings.TrimSuffix(f, ord)
	}
	if f == "" || len(f) > 4 {
		return false
	}
	for _, r := range f {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
