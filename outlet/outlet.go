// Package outlet holds the one rule for an outlet's short name, shared by
// feeds.yaml validation (config), list imports (OPML, CSV) and article
// imports (jsonl): a name one of them accepts, every other accepts too.
// It depends on the standard library only.
package outlet

import (
	"errors"
	"fmt"
)

// NameRule says what CheckName accepts, for messages and help texts.
const NameRule = "use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. themoscowtimes)"

// CheckName returns nil when name is a valid outlet name: lower-case
// ASCII letters, digits, '.', '_' and '-', starting with a letter or a
// digit. Otherwise the error quotes the name and says what to use.
func CheckName(name string) error {
	if name == "" {
		return errors.New("missing: give the outlet a short name such as themoscowtimes")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return fmt.Errorf("%q: %s", name, NameRule)
		}
	}
	return nil
}

// ValidName reports whether CheckName accepts name.
func ValidName(name string) bool { return CheckName(name) == nil }
