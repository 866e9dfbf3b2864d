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
		return nil, heldByOther(dbPath, "try again when it ends")
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no archive at %s: run 'feedvault run' first, or give --db", dbPath)
	}
	return r, err
}

// heldByOther is the error for an archive that another process holds
// without answering on its socket: what it can be, how to find it.
func heldByOther(dbPath, next string) error {
	return fmt.Errorf("busy: %s is held by another process that does not answer on %s (a feedvault command reading or writing the file itself, or another program: `fuser -v %s` names it); %s",
		dbPath, archiveapi.SocketPath(dbPath), shellQuote(dbPath), next)
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
