package store

import (
	"errors"
	"strings"
	"syscall"
)

// noRoom are the errors of a write that wants disk: a full disk, a
// used-up quota, a file-size limit.
var noRoom = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG}

// IsNoRoom reports whether err is the store's refusal of a write for
// want of disk. bbolt says some of these errors with %s ("file resize
// error: truncate a.db: file too large"), which ends their chain: their
// text is matched too.
func IsNoRoom(err error) bool {
	if err == nil {
		return false
	}
	for _, e := range noRoom {
		if errors.Is(err, e) || strings.Contains(err.Error(), e.Error()) {
			return true
		}
	}
	return false
}
