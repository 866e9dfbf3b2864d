package outlet

import (
	"regexp"
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"meduza", true},
		{"themoscowtimes", true},
		{"9news", true},
		{"the-times.co_uk2", true},
		{"", false},
		{"Meduza", false},
		{"the times", false},
		{"a/b", false},
		{".x", false},
		{"-x", false},
		{"_x", false},
		{"x\x1b[31m", false},
		{"новости", false},
		{"x\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckName(tt.name)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
			if err != nil && tt.name != "" && !strings.Contains(err.Error(), "use lower-case letters") {
				t.Errorf("error %q does not say what to use", err)
			}
			if ValidName(tt.name) != tt.ok {
				t.Errorf("ValidName(%q) = %v", tt.name, !tt.ok)
			}
		})
	}
}

// The rule as feeds.yaml documented it before it moved here: both agree
// on every string of a small alphabet up to three characters.
func TestCheckNameMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	alphabet := []byte("aZ0._- /")
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		if s := string(prefix); ValidName(s) != re.MatchString(s) {
			t.Errorf("%q: ValidName %v, pattern %v", s, ValidName(s), re.MatchString(s))
		}
		if len(prefix) == 3 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c))
		}
	}
	walk(nil)
}
