//go:build unix

package flock

import (
	"errors"
	"os"
	"syscall"
)

// File takes an flock on f, exclusive or shared, waiting for it or
// not, and reports whether it got it. The lock goes with f's descriptor.
func File(f *os.File, exclusive, wait bool) (bool, error) {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.EOPNOTSUPP):
			return false, errors.ErrUnsupported // a file system without locks
		}
		return false, err
	}
}
