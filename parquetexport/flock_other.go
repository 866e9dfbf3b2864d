//go:build !unix

package parquetexport

import (
	"errors"
	"os"
)

// flockFile: no flock here; a DIR.partial left behind is explained, not removed.
func flockFile(*os.File, bool, bool) (bool, error) { return false, errors.ErrUnsupported }
