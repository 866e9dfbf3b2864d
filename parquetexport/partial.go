package parquetexport

import (
	"errors"
	"fmt"
	"os"

	"github.com/feedvault/feedvault/flock"
)

// A Writer holds a shared flock on its DIR.partial from creation until
// Commit or Abort, so a DIR.partial on which an exclusive lock can be
// had was left by an export that was killed (the kernel drops a dead
// process's locks): Create removes it. One that is held is a running
// export's, and is never touched.

// claimPartial makes tmp, a DIR.partial, and locks it (flock.Claim). A
// stale one is removed first (removed says so); a held one is an error.
func claimPartial(tmp string) (lock *os.File, removed bool, err error) {
	mkdir := func() (*os.File, error) { return nil, os.Mkdir(tmp, 0o755) }
	_, lock, removed, err = flock.Claim(tmp, mkdir, os.RemoveAll)
	switch {
	case errors.Is(err, flock.ErrNoLocks):
		return nil, removed, fmt.Errorf("parquet: %s exists: another export to that directory is running, or one was stopped before it ended; remove it if none runs", tmp)
	case errors.Is(err, flock.ErrHeld):
		return nil, removed, fmt.Errorf("parquet: %s exists: another export to that directory is running (it holds the directory); wait for it to end or name another directory", tmp)
	case errors.Is(err, flock.ErrContended):
		return nil, removed, fmt.Errorf("parquet: %s: other processes keep creating it; is another export to that directory running?", tmp)
	case err != nil:
		return nil, removed, fmt.Errorf("parquet: %w", err)
	}
	return lock, removed, nil
}
