// Package machine reads what the benchmarks report about the machine
// they ran on, so that figures are compared at a similar load.
package machine

import (
	"os"
	"strings"
)

// LoadAvg is the machine's load average (1, 5, 15 minutes), or
// "unknown" where it cannot be read.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
