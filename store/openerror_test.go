package store

import (
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// An archive that cannot be opened is named once, with what to do.
func TestOpenErrorSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	tests := []struct {
		name     string
		readOnly bool
		err      error
		want     []string
	}{
		{"writer, no such directory", false, &fs.PathError{Op: "open", Path: path, Err: syscall.ENOENT},
			[]string{"store: open " + path + ": no such file or directory: the directory " + dir + " does not exist; create it (mkdir -p " + dir + ")"}},
		{"writer, permission", false, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES},
			[]string{"store: open " + path + ": permission denied: this user may not open the archive (or create it in " + dir + ")", "give --db a path this user can write"}},
		{"reader, permission", true, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES},
			[]string{"this user may not read the archive; check its owner and mode (ls -l " + path + ")"}},
		{"another error", false, &fs.PathError{Op: "open", Path: path, Err: syscall.EIO}, []string{"store: open " + path + ": input/output error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := openError(path, tt.readOnly, tt.err).Error()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q\nwant %q", got, w)
				}
			}
			if strings.Count(got, path) > 2 || strings.Count(got, "open "+path) != 1 {
				t.Errorf("%q names the path more than once as opened", got)
			}
		})
	}
	// And through Open, for real.
	_, err := Open(filepath.Join(dir, "no", "a.db"), Options{})
	if err == nil || !strings.Contains(err.Error(), "the directory "+filepath.Join(dir, "no")+" does not exist") {
		t.Errorf("Open in a missing directory: %v", err)
	}
}

// recover from a path with no archive says which path to give.
func TestSalvageOfNothingSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	_, err := Salvage(filepath.Join(dir, "none.db"), filepath.Join(dir, "new.db"))
	if err == nil || !strings.Contains(err.Error(), "none.db: no such file or directory: no archive there to recover from; give --db the damaged archive's path") {
		t.Errorf("salvage of nothing: %v", err)
	}
}
