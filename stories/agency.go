package stories

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/feedvault/feedvault/store"
)

// agencies maps a credit as printed to the agency's name. Short
// all-caps credits must appear as whole words in their printed case
// ("AP", not "ap"); names match in any case.
// keys are literals one of which any match contains: the expression
// runs only when one is there (most texts credit no agency).
//
// The table is built, and its expressions compiled, on first use, not at
// init: every CLI call links this package, few read credits.
var agencies = sync.OnceValue(func() []agency {
	return []agency{
		{"AP", []string{"AP", "Associated Press"}, regexp.MustCompile(`\b(?:AP|Associated Press)\b|\(AP\)`)},
		{"Reuters", []string{"reuters", "Reuters", "REUTERS"}, regexp.MustCompile(`(?i)\breuters\b`)},
		{"AFP", []string{"AFP", "France"}, regexp.MustCompile(`\bAFP\b|(?i)\bAgence France[- ]Presse\b`)},
		{"Interfax", []string{"nterfax", "NTERFAX", "Интерфакс"}, regexp.MustCompile(`(?i)\binterfax\b|Интерфакс`)},
		{"TASS", []string{"TASS", "ТАСС"}, regexp.MustCompile(`\bTASS\b|(?i)\bITAR-TASS\b|ТАСС`)},
		{"RIA Novosti", []string{"Novosti", "NOVOSTI", "РИА Новости"}, regexp.MustCompile(`(?i)\bRIA Novosti\b|РИА Новости`)},
		{"Yonhap", []string{"onhap", "ONHAP"}, regexp.MustCompile(`(?i)\byonhap\b`)},
		{"dpa", []string{"dpa", "DPA", "Presse-Agentur"}, regexp.MustCompile(`\b(?:dpa|DPA)\b|(?i)\bDeutsche Presse-Agentur\b`)},
		{"Xinhua", []string{"inhua", "INHUA", "新华社"}, regexp.MustCompile(`(?i)\bxinhua\b|新华社`)},
		{"Kyodo", []string{"Kyodo", "KYODO", "kyodo"}, regexp.MustCompile(`(?i)\bkyodo news\b|\bKyodo\b`)},
		{"Anadolu", []string{"Anadolu", "ANADOLU", "anadolu"}, regexp.MustCompile(`(?i)\banadolu agency\b|\bAnadolu\b`)},
		{"EFE", []string{"EFE"}, regexp.MustCompile(`\bEFE\b`)},
		{"ANSA", []string{"ANSA"}, regexp.MustCompile(`\bANSA\b`)},
		{"PA Media", []string{"PA Media", "Press Association"}, regexp.MustCompile(`\bPA Media\b|\bPress Association\b`)},
		{"UNIAN", []string{"UNIAN", "УНІАН"}, regexp.MustCompile(`\bUNIAN\b|УНІАН`)},
		{"Ukrinform", []string{"krinform", "KRINFORM", "Укрінформ"}, regexp.MustCompile(`(?i)\bukrinform\b|Укрінформ`)},
		{"Bloomberg", []string{"Bloomberg"}, regexp.MustCompile(`\bBloomberg\b`)},
	}
})

type agency struct {
	name string
	keys []string
	re   *regexp.Regexp
}

// creditWindow is how much of the start and the end of the text is read
// for a credit: datelines lead ("MOSCOW (Reuters) —") and credits close
// ("Reporting by …; © AFP"); a name deep in the text is a mention.
const creditWindow = 300

// Agencies lists the news agencies credited in an article's byline,
// dateline or closing credit, in the order of the table above.
func Agencies(a *store.Article) []string {
	var parts []string
	parts = append(parts, a.Authors...)
	parts = append(parts, head(a.Text, creditWindow), tail(a.Text, creditWindow))
	if a.Text == "" {
		parts = append(parts, head(a.Summary, creditWindow))
	}
	hay := strings.Join(parts, "\n")
	var out []string
	for _, ag := range agencies() {
		if slices.ContainsFunc(ag.keys, func(k string) bool { return strings.Contains(hay, k) }) && ag.re.MatchString(hay) {
			out = append(out, ag.name)
		}
	}
	return out
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n < len(s) && s[n]&0xc0 == 0x80 {
		n++
	}
	return s[:n]
}

func tail(s string, n int) string {
	if len(s) <= n {
		return ""
	}
	i := len(s) - n
	for i < len(s) && s[i]&0xc0 == 0x80 {
		i++
	}
	return s[i:]
}
