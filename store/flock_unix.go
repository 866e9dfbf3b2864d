//go:build unix

package store

import (
	"os"
	"syscall"
)

// heldByOther reports whether another open file holds a lock on path
// (bbolt takes flock: exclusive for a writer, shared for a reader).
func heldByOther(path string) bool {
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return false // no archive (and opening a FIFO would wait for a writer)
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}
