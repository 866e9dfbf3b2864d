// Command feedvault archives news coverage for researchers: it polls the
// feeds in feeds.yaml, fetches and extracts every new article, keeps it in
// one bbolt file, and answers queries over it. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless
// GOMEMLIMIT says otherwise: past it the collector runs harder, so the
// garbage of big feeds and pages does not pile up to twice the live
// heap. It is a target, not a cap (see SECURITY.md).
const defaultMemoryLimit = 200 << 20

func main() { os.Exit(runMain()) }

// runMain stops on SIGINT or SIGTERM by cancelling the context run works
// under, and returns run's exit status.
func runMain() int {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
