package stories

import (
	"regexp"
	"strings"

	"github.com/feedvault/feedvault/store"
)

// agencies maps a credit as printed to the agency's name. Short
// all-caps credits must appear as whole words in their printed case
// ("AP", not "ap"); names match in any case.
var agencies = []struct {
	name string
	re   *regexp.Regexp
}{
	{"AP", regexp.MustCompile(`\b(?:AP|Associated Press)\b|\(AP\)`)},
	{"Reuters", regexp.MustCompile(`(?i)\breuters\b`)},
	{"AFP", regexp.MustCompile(`\bAFP\b|(?i)\bAgence France[- ]Presse\b`)},
	{"Interfax", regexp.MustCompile(`(?i)\binterfax\b|Интерфакс`)},
	{"TASS", regexp.MustCompile(`\bTASS\b|(?i)\bITAR-TASS\b|ТАСС`)},
	{"RIA Novosti", regexp.MustCompile(`(?i)\bRIA Novosti\b|РИА Новости`)},
	{"Yonhap", regexp.MustCompile(`(?i)\byonhap\b`)},
	{"dpa", regexp.MustCompile(`\b(?:dpa|DPA)\b|(?i)\bDeutsche Presse-Agentur\b`)},
	{"Xinhua", regexp.MustCompile(`(?i)\bxinhua\b|新华社`)},
	{"Kyodo", regexp.MustCompile(`(?i)\bkyodo news\b|\bKyodo\b`)},
	{"Anadolu", regexp.MustCompile(`(?i)\banadolu agency\b|\bAnadolu\b`)},
	{"EFE", regexp.MustCompile(`\bEFE\b`)},
	{"ANSA", regexp.MustCompile(`\bANSA\b`)},
	{"PA Media", regexp.MustCompile(`\bPA Media\b|\bPress Association\b`)},
	{"UNIAN", regexp.MustCompile(`\bUNIAN\b|УНІАН`)},
	{"Ukrinform", regexp.MustCompile(`(?i)\bukrinform\b|Укрінформ`)},
	{"Bloomberg", regexp.MustCompile(`\bBloomberg\b`)},
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
	for _, ag := range agencies {
		if ag.re.MatchString(hay) {
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
