//go:build !unix

package main

import (
	"errors"
	"os"
)

// flockFile: no flock here; a .partial left behind is explained, not removed.
func flockFile(*os.File, bool, bool) (bool, error) { return false, errors.ErrUnsupported }
