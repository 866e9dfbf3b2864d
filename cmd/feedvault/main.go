// Command feedvault archives news coverage for researchers: it polls the
// feeds in feeds.yaml, fetches and extracts every new article, keeps it in
// one bbolt file, and answers queries over it. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
