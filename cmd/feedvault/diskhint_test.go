package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A command that meets a full disk (here: a file-size limit, which fails
// writes as a full disk does) says what to do, and exits 2.
func TestFullDiskSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	var lines []importLine
	for i := range 20 {
		lines = append(lines, importLine{URL: fmt.Sprintf("https://a.example/%d", i), Outlet: "a", Title: "Korea talks", Text: strings.Repeat("Troops near the border. ", 200)})
	}
	in := importLines(t, dir, lines)
	if code, out, errs := cli(context.Background(), "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"export", []string{"export", "--db", db, "--format", "jsonl", "--out", filepath.Join(t.TempDir(), "x.jsonl")}},
		{"backup", []string{"backup", "--db", db, filepath.Join(t.TempDir(), "b.db")}},
		{"import into a new archive", []string{"import", "--db", filepath.Join(t.TempDir(), "n.db"), in}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tt.args...)
			cmd.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "FEEDVAULT_LOG=error", "FEEDVAULT_TEST_FSIZE=8000")
			var errb strings.Builder
			cmd.Stderr = &errb
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFatal {
				t.Fatalf("%s onto a full disk: %v, want exit %d; stderr %s", tt.name, err, exitFatal, errb.String())
			}
			if !strings.Contains(errb.String(), "file too large") || !strings.Contains(errb.String(), "raise the limit, then run the command again") {
				t.Errorf("stderr does not say what to do: %s", errb.String())
			}
		})
	}
}

func TestFSHint(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("store: put x: %w", &fs.PathError{Op: "write", Path: "a.db", Err: syscall.ENOSPC}), "the disk is full"},
		{fmt.Errorf("export: %w", &fs.PathError{Op: "open", Path: "x", Err: syscall.EROFS}), "mounted read-only"},
		{fmt.Errorf("query: bad"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			if got := fsHint(tt.err); !strings.Contains(got, tt.want) || (tt.want == "") != (got == "") {
				t.Errorf("fsHint = %q, want %q", got, tt.want)
			}
			if got := fsHintIn(tt.err.Error()); !strings.Contains(got, tt.want) || (tt.want == "") != (got == "") {
				t.Errorf("fsHintIn = %q, want %q", got, tt.want)
			}
		})
	}
}
