//go:build unix

package web

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user + system): on a
// machine shared with other work it shows the cost of a request apart
// from the time spent waiting for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
