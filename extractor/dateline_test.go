package extractor

import (
	"strings"
	"testing"
)

func TestIsDateline(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"November 20, 2019", true},
		{"Posted: Fri 6:45 PM, Feb 16, 2018 |", true},
		{"Updated: Sat 8:31 PM, Feb 17, 2018", true},
		{"Published on 20.11.2019 at 14:05 GMT", true},
		{"Обновлено 12 мая 2021, 14:05", true},
		{"Оновлено 12 травня 2021 р.", true},
		{"입력 2019년 11월 20일 14:05", true},
		{"기사입력 :[ 2018-08-25 15:24 ]", true}, // the date in brackets
		{"November 18, 2019 | 4:10pm", true}, // a time with am/pm joined
		{"Meet at 4:10pm [main hall]", false},
		{"Veröffentlicht am 20. November 2019 um 14:05 Uhr", true},
		{"Publié le 20 novembre 2019 à 14h05", true},
		{"Actualizado el 20 de noviembre de 2019", true},
		{"Published 3 hours ago", true},
		{"Updated 5 min ago", true},
		{"3 дня назад", true},
		{"2 години тому", true},
		{"5 hours", false},         // a duration, no date
		{"2019", false},            // a year alone names no day
		{"On Monday", false},       // a weekday alone names no date
		{"May I help you?", false}, // a month's name in a sentence
		{"The March on Washington", false},
		{"Council votes on the budget on March 3, 2020", false},
		{"", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := isDateline(tc.text); got != tc.want {
				t.Errorf("isDateline(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

// An article's dateline goes; the dates of a page that lists dated things
// (events, a timeline) stay, and so do dates that head sections.
func TestDatelines(t *testing.T) {
	body := `<article><p>November 20, 2019</p><p>` + articleParas[0] + `</p><h3>March 3, 2020</h3><p>` + articleParas[1] + `</p><p>` + articleParas[2] + `</p></article>`
	r := extract(t, page("", chrome+body+footer), Rules{})
	if strings.Contains(r.Text, "November 20, 2019") {
		t.Errorf("dateline kept:\n%s", r.Text)
	}
	if !strings.Contains(r.Text, "March 3, 2020") {
		t.Errorf("a heading's date lost:\n%s", r.Text)
	}
	var events strings.Builder
	for _, e := range []string{"March 16, 2026", "March 17, 2026", "March 19, 2026"} {
		events.WriteString(`<li><div class="when">` + e + `</div><p>A conference for the people who run the city's networks, with talks on budgets, bridges and the council's new rules for contractors.</p></li>`)
	}
	r = extract(t, page("", chrome+`<article><p>`+articleParas[0]+`</p><ul>`+events.String()+`</ul><p>`+articleParas[1]+`</p></article>`+footer), Rules{})
	for _, e := range []string{"March 16, 2026", "March 17, 2026", "March 19, 2026"} {
		if !strings.Contains(r.Text, e) {
			t.Errorf("event date %q lost:\n%s", e, r.Text)
		}
	}
	// The same when each date is a line of its event's paragraph.
	events.Reset()
	for _, e := range []string{"March 16, 2026", "March 17, 2026", "March 19, 2026"} {
		events.WriteString(`<p>` + e + `<br>A conference for the people who run the city's networks, with talks on budgets and bridges.</p>`)
	}
	r = extract(t, page("", chrome+`<article><p>`+articleParas[0]+`</p>`+events.String()+`<p>`+articleParas[1]+`</p></article>`+footer), Rules{})
	for _, e := range []string{"March 16, 2026", "March 17, 2026", "March 19, 2026"} {
		if !strings.Contains(r.Text, e) {
			t.Errorf("event date %q, a line of its paragraph, lost:\n%s", e, r.Text)
		}
	}
}
