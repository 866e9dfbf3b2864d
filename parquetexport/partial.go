package parquetexport

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/feedvault/feedvault/flock"
)

// A Writer holds a shared flock on its DIR.partial from creation until
// Commit or Abort, so a DIR.partial on which an exclusive lock can be
// had was left by an export that was killed (the kernel drops a dead
// process's locks): Create removes it. One that is held is a running
// export's, and is never touched.

// claimPartial makes tmp, a DIR.partial, and locks it. A stale one is
// removed first (removed says so); a held one is an error.
func claimPartial(tmp string) (lock *os.File, removed bool, err error) {
	for range 8 {
		err := os.Mkdir(tmp, 0o755)
		if err == nil {
			lk, ok, err := lockOwnDir(tmp)
			if err != nil {
				os.Remove(tmp)
				return nil, removed, fmt.Errorf("parquet: %s: %w", tmp, err)
			}
			if ok {
				return lk, removed, nil
			}
			continue // taken for a stale one before we locked it: again
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, removed, fmt.Errorf("parquet: %w", err)
		}
		gone, err := removeStaleDir(tmp)
		if err != nil {
			return nil, removed, err
		}
		removed = removed || gone
	}
	return nil, removed, fmt.Errorf("parquet: %s: other processes keep creating it; is another export to that directory running?", tmp)
}

// lockOwnDir locks tmp, just made, and reports whether it is still the
// directory at tmp (a cleaner may have removed it in between).
func lockOwnDir(tmp string) (*os.File, bool, error) {
	lk, err := os.Open(tmp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	// Only a cleaner can hold our new directory, and only while it
	// removes it: wait for it.
	if _, err := flock.File(lk, false, true); errors.Is(err, errors.ErrUnsupported) {
		return lk, true, nil
	} else if err != nil {
		lk.Close()
		return nil, false, err
	}
	fa, aerr := lk.Stat()
	fb, berr := os.Stat(tmp)
	if aerr != nil || berr != nil || !os.SameFile(fa, fb) {
		lk.Close()
		return nil, false, nil
	}
	return lk, true, nil
}

// removeStaleDir removes tmp if no process holds it, and reports whether
// it did.
func removeStaleDir(tmp string) (bool, error) {
	d, err := os.Open(tmp)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("parquet: %w", err)
	}
	defer d.Close()
	ok, err := flock.File(d, true, false)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return false, fmt.Errorf("parquet: %s exists: another export to that directory is running, or one was stopped before it ended; remove it if none runs", tmp)
	case err != nil:
		return false, fmt.Errorf("parquet: %s: %w", tmp, err)
	case !ok:
		return false, fmt.Errorf("parquet: %s exists: another export to that directory is running (it holds the directory); wait for it to end or name another directory", tmp)
	}
	fa, aerr := d.Stat()
	fb, berr := os.Stat(tmp)
	if aerr != nil || berr != nil || !os.SameFile(fa, fb) {
		return false, nil // replaced meanwhile: look again
	}
	if err := os.RemoveAll(tmp); err != nil {
		return false, fmt.Errorf("parquet: %s, left by an export that was stopped: %w; remove it by hand", tmp, err)
	}
	return true, nil
}
