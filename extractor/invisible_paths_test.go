package extractor

import (
	"strings"
	"testing"
)

// The invisible runes are dropped from what every path yields: the
// flat pass for a page too deep for the parser, and the feed's title
// and authors a page without its own takes (Hints).
func TestInvisibleRunesAreDroppedOnEveryPath(t *testing.T) {
	para := "<p>Die Bundes&shy;regierung hat den Klima&shy;wandel zum Thema gemacht, und der Aus\u2060schuss berät am Montag erneut über die Vorlage.</p>"
	deep := "<html><body>" + strings.Repeat("<div>", 100000) + para + strings.Repeat("</div>", 100000) + "</body></html>"
	plain := "<html><body><article>" + strings.Repeat(para, 4) + "</article></body></html>"
	hints := Hints{Title: "Klima\u00adwandel: Bundes\u2060tag berät", Authors: []string{"Hans-Jo\u00adachim Beispiel", "\ufeffErika Muster"}}
	for _, tc := range []struct{ name, body string }{
		{"fallback", deep},
		{"hints", plain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Extract(Input{Body: []byte(tc.body), Hints: hints})
			if err != nil {
				t.Fatal(err)
			}
			if tc.name == "fallback" && !r.HasFlag(FlagFallback) {
				t.Fatalf("not the flat pass: flags %v", r.Flags)
			}
			for name, s := range map[string]string{"text": r.Text, "title": r.Title, "authors": strings.Join(r.Authors, ",")} {
				if strings.ContainsAny(s, "\u00ad\u2060\ufeff") {
					t.Errorf("%s keeps an invisible rune: %q", name, s)
				}
			}
			if !strings.Contains(r.Text, "Bundesregierung hat den Klimawandel") || r.Title != "Klimawandel: Bundestag berät" || strings.Join(r.Authors, ",") != "Hans-Joachim Beispiel,Erika Muster" {
				t.Errorf("text %q, title %q, authors %q", r.Text, r.Title, r.Authors)
			}
		})
	}
}
