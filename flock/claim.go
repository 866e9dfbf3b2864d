package flock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// A claim is how an export owns its NAME.partial (a file or a
// directory) from creation until it gets its real name: a shared flock
// on it, so that a NAME.partial on which an exclusive lock can be had
// was left by a process that was killed (the kernel drops a dead
// process's locks) and may be removed, while one that is held is a
// running export's and is never touched.

var (
	// ErrHeld: the path is there and a running process holds it.
	ErrHeld = errors.New("held by a running process")
	// ErrNoLocks: the path is there, and the file system has no locks
	// to tell a stale one from a running export's.
	ErrNoLocks = errors.New("no locks on this file system")
	// ErrContended: other processes kept creating the path.
	ErrContended = errors.New("other processes keep creating it")
)

// Claim makes path with create, which fails with fs.ErrExist when path
// is there, and locks it: the lock stays until lock is closed. create
// may return the file it made (nil for a directory), which Claim checks
// is the one it locks. A path already there that no process holds is
// removed with remove first, and removed says so. One that is held is
// ErrHeld; without locks, one already there is ErrNoLocks.
func Claim(path string, create func() (*os.File, error), remove func(string) error) (made, lock *os.File, removed bool, err error) {
	for range 8 {
		f, err := create()
		if err == nil {
			lk, ok, err := lockOwn(path, f)
			if err != nil {
				if f != nil {
					f.Close()
				}
				os.Remove(path)
				return nil, nil, removed, fmt.Errorf("%s: %w", path, err)
			}
			if ok {
				return f, lk, removed, nil
			}
			if f != nil {
				f.Close()
			}
			continue // taken for a stale one before we locked it: again
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, nil, removed, err
		}
		gone, err := removeStale(path, remove)
		if err != nil {
			return nil, nil, removed, err
		}
		removed = removed || gone
	}
	return nil, nil, removed, ErrContended
}

// lockOwn locks path, just made (as f, when create returned it), and
// reports whether it is still the one at path: a cleaner may have
// removed it in between.
func lockOwn(path string, f *os.File) (*os.File, bool, error) {
	lk, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if f != nil && !sameFile(lk, f) {
		lk.Close()
		return nil, false, nil
	}
	// Only a cleaner can hold what we just made, and only for as long as
	// it takes to remove it: wait for it.
	if _, err := File(lk, false, true); errors.Is(err, errors.ErrUnsupported) {
		return lk, true, nil // no locks: one left behind is explained, not removed
	} else if err != nil {
		lk.Close()
		return nil, false, err
	}
	if fi, err := os.Stat(path); err != nil || !sameStat(lk, fi) {
		lk.Close()
		return nil, false, nil
	}
	return lk, true, nil
}

// removeStale removes path with remove if no process holds it, and
// reports whether it did.
func removeStale(path string, remove func(string) error) (bool, error) {
	g, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer g.Close()
	ok, err := File(g, true, false)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return false, ErrNoLocks
	case err != nil:
		return false, fmt.Errorf("%s: %w", path, err)
	case !ok:
		return false, ErrHeld
	}
	if fi, err := os.Stat(path); err != nil || !sameStat(g, fi) {
		return false, nil // replaced meanwhile: look again
	}
	if err := remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("%s, left by an export that was stopped: %w; remove it by hand", path, err)
	}
	return true, nil
}

func sameFile(a, b *os.File) bool {
	fb, err := b.Stat()
	return err == nil && sameStat(a, fb)
}

func sameStat(a *os.File, fb fs.FileInfo) bool {
	fa, err := a.Stat()
	return err == nil && os.SameFile(fa, fb)
}
