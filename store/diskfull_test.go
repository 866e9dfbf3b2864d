package store

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

func TestIsNoRoom(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("store: put x: %w", &fs.PathError{Op: "write", Path: "a.db", Err: syscall.ENOSPC}), true},
		{fmt.Errorf("store: put x: %w", fmt.Errorf("file resize error: %s", &fs.PathError{Op: "truncate", Path: "a.db", Err: syscall.EFBIG})), true}, // bbolt's %s
		{fmt.Errorf("store: put x: %w", syscall.EDQUOT), true},
		{errors.New("store: put x: damaged"), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := IsNoRoom(tt.err); got != tt.want {
			t.Errorf("IsNoRoom(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
