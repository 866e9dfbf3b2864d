package textenc

import (
	"regexp"
	"sync"
)

// lazyRE compiles a pattern on first use, not at init: a process that
// never needs it (most CLI calls) does not pay for it.
func lazyRE(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
