package main

import (
	"errors"
	"strings"
	"syscall"
)

// fsHints say what to do about the file-system errors a command can meet
// while it writes: the OS says what and where, not what to do.
var fsHints = []struct {
	errno syscall.Errno
	hint  string
}{
	{syscall.ENOSPC, "the disk is full: free space on it (df -h shows where), then run the command again; what was archived before is kept"},
	{syscall.EDQUOT, "this user's disk quota is used up: free space, then run the command again; what was archived before is kept"},
	{syscall.EFBIG, "the file reached the largest size allowed here (ulimit -f): raise the limit, then run the command again; what was archived before is kept"},
	{syscall.EROFS, "the file system is mounted read-only: give a path on a writable one"},
}

// fsHint is what to do about err, when it is a file-system error that
// fsHints knows, else "". bbolt says some write errors with %s, which
// ends their chain, so the message is read too.
func fsHint(err error) string {
	for _, h := range fsHints {
		if errors.Is(err, h.errno) {
			return h.hint
		}
	}
	return fsHintIn(err.Error())
}

// fsHintIn is fsHint for an error known only by its message (a run's
// report carries the store's error as text).
func fsHintIn(msg string) string {
	for _, h := range fsHints {
		if strings.Contains(msg, h.errno.Error()) {
			return h.hint
		}
	}
	return ""
}
