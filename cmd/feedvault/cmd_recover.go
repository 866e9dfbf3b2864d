package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/feedvault/feedvault/store"
)

const recoverHelp = `
Usage: feedvault recover [--db PATH] NEW.db

Copies everything readable from a damaged archive into a new archive:
every article, raw page, revision, sighting and feed state that can be
read, under the same ids, with the index rebuilt. The damaged file is
only read. Prints what was copied and what could not be read; exit
status 1 when something could not be read.

Run it when 'feedvault check' says the archive is damaged; stop the
daemon first. Then check the new archive and put it in place of the old:

  feedvault recover --db feedvault.db rescued.db
  feedvault check --db rescued.db
  mv feedvault.db feedvault.db.damaged && mv rescued.db feedvault.db
`

func cmdRecover(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "recover", recoverHelp)
	dbPath := fs.String("db", defaultDB(), "damaged archive to read")
	pos, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "feedvault recover: name one NEW.db file to write")
		fs.Usage()
		return fail(e, errUsage)
	}
	start := time.Now()
	rep, err := store.Salvage(*dbPath, pos[0])
	if errors.Is(err, store.ErrBusy) {
		return fail(e, fmt.Errorf("recover: %w; stop it first", busyError(ctx, *dbPath)))
	}
	if err != nil {
		return fail(e, fmt.Errorf("recover: %w", err))
	}
	if rep.Damage != "" {
		fmt.Fprintf(e.stdout, "damaged: %s\n", safe(rep.Damage, true))
	}
	printSalvage(e, rep, "copied to "+pos[0])
	fmt.Fprintf(e.stdout, "took %s\n", time.Since(start).Round(time.Millisecond))
	if rep.LostCount > 0 {
		return partial(e, "recover: %d parts could not be read (listed above); %s holds the rest", rep.LostCount, pos[0])
	}
	return exitOK
}
