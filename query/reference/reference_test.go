package reference

import (
	"testing"

	"github.com/feedvault/feedvault/query"
)

// The reference splits words as the README says the index does: letters,
// decimal digits and combining marks. It split "CO₂" as one word "co₂"
// (any number sign, \p{N}), so the store found "co" there and the
// reference did not.
func TestWordsAsDocumented(t *testing.T) {
	for _, tt := range []struct {
		text, q string
		want    bool
	}{
		{"CO₂ emissions", "co", true},
		{"x² + y", "x", true},
		{"½ price", "price", true},
		{"Ⅻ century", "century", true},
		{"٣ troops", "٣", true}, // an Arabic-Indic digit is a digit
		{"Пхеньян, 2024", "2024", true},
		{"korea's", `"korea s"`, true},
		{"north-korean", "korea*", true},           // a hyphen splits
		{"Klima\u00adwandel", "klimawandel", true}, // a soft hyphen does not
		{"Klima\u00adwandel", "klima", false},
		{"ΠΌΛΕΜΟΣ", "πόλεμος", true}, // final sigma folds
		{"cafe\u0301", "café", true}, // NFC
	} {
		t.Run(tt.text, func(t *testing.T) {
			n, err := query.Parse(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := Match(n, &Doc{Text: tt.text}); got != tt.want {
				t.Fatalf("Match(%s, %q) = %v, want %v", n, tt.text, got, tt.want)
			}
		})
	}
}
