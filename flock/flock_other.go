//go:build !unix

package flock

import (
	"errors"
	"os"
)

// File: no flock on this system (errors.ErrUnsupported).
func File(*os.File, bool, bool) (bool, error) { return false, errors.ErrUnsupported }
