package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// createPartial creates path, the file an export writes before it takes
// its real name. One left by an export that was killed is said so.
func createPartial(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists: another export to that name is running, or one was stopped before it ended; remove the file if none runs", path)
	}
	if dir := filepath.Dir(path); errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such directory", dir)
		}
	}
	return f, err
}

// writePartial writes b, synced, to path.partial and returns that name:
// the caller renames it into place once everything it goes with is
// written, or removes it.
func writePartial(path string, b []byte) (string, error) {
	tmp := path + ".partial"
	f, err := createPartial(tmp)
	if err != nil {
		return "", err
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
		return "", err
	}
	return tmp, nil
}
