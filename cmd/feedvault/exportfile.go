package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/feedvault/feedvault/flock"
)

// An export (or a backup) writes NAME.partial and gives it NAME when it
// is whole. It holds a shared flock on the .partial from the moment it
// claims it until it has its name (shared, so that a backup can still
// open its copy with bbolt to check it), so a .partial on which an
// exclusive lock can be had was left by a process that was killed (the
// kernel drops a dead process's locks): the next export removes it and
// says so. One that is held is a running export's, and is never touched.

// partialFile is a claimed NAME.partial: write through File, then call
// release once the file has its real name (or is removed).
type partialFile struct {
	*os.File
	lock *os.File // the flock, on its own descriptor: closing File keeps it
}

// release drops the claim.
func (p *partialFile) release() { p.lock.Close() }

// createPartial claims path, a NAME.partial, for writing: created anew
// and locked (flock.Claim). A stale one (no process holds it) is removed
// first, with a line on warn; one a running export holds is an error.
func createPartial(path string, perm fs.FileMode, warn io.Writer) (*partialFile, error) {
	create := func() (*os.File, error) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if dir := filepath.Dir(path); errors.Is(err, fs.ErrNotExist) {
			if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s: no such directory", dir)
			}
		}
		return f, err
	}
	f, lk, removed, err := flock.Claim(path, create, os.Remove)
	if removed {
		fmt.Fprintf(warn, "feedvault: removed %s, left by an export or backup that was stopped before it ended\n", path)
	}
	switch {
	case errors.Is(err, flock.ErrNoLocks):
		return nil, fmt.Errorf("%s exists: another export or backup to that name is running, or one was stopped before it ended; remove the file if none runs", path)
	case errors.Is(err, flock.ErrHeld):
		return nil, fmt.Errorf("%s exists: another export or backup to that name is running (it holds the file); wait for it to end or name another file", path)
	case errors.Is(err, flock.ErrContended):
		return nil, fmt.Errorf("%s: other processes keep creating it; is another export or backup to that name running?", path)
	case err != nil:
		return nil, err
	}
	return &partialFile{File: f, lock: lk}, nil
}

// publish gives the finished tmp the name path, and never replaces a
// file: if path appeared while tmp was written (another export to the
// same name that finished first), it is an error and tmp stays for the
// caller to remove.
func publish(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		return os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s exists: another process wrote it while this ran; name a new file", path)
	}
	// No hard links on this file system: rename, after a last look.
	if _, serr := os.Lstat(path); serr == nil {
		return fmt.Errorf("%s exists: another process wrote it while this ran; name a new file", path)
	}
	return os.Rename(tmp, path)
}

// writePartial writes b, synced, to path.partial and returns it claimed:
// the caller publishes it once everything it goes with is written, or
// removes it, then releases it.
func writePartial(path string, b []byte, warn io.Writer) (*partialFile, error) {
	tmp := path + ".partial"
	f, err := createPartial(tmp, 0o644, warn)
	if err != nil {
		return nil, err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		f.release()
		return nil, err
	}
	return f, nil
}
