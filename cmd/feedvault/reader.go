package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"golang.org/x/term"
)

// openReader reaches the archive: through the socket of a running
// feedvault, else the file read-only. It never waits long.
func openReader(ctx context.Context, dbPath string) (archiveapi.Reader, error) {
	r, err := archiveapi.Open(ctx, dbPath, time.Second)
	if errors.Is(err, archiveapi.ErrBusy) {
		return nil, fmt.Errorf("busy: %s is held by another process that does not answer on %s; try again when it ends",
			dbPath, archiveapi.SocketPath(dbPath))
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no archive at %s: run 'feedvault run' first, or give --db", dbPath)
	}
	return r, err
}

// isTerminal reports whether w is a terminal (not merely a character
// device: /dev/null is one, and gets what a pipe gets).
func isTerminal(w any) bool {
	if _, ok := w.(termWriter); ok {
		return true
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
