package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// An archive held by a process that does not answer on its socket (a
// program, or a feedvault reading the file itself) is "busy", exit 2,
// and the message says how to find the holder and what to do.
func TestBusyByAnotherProcessSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	in := importLines(t, dir, []importLine{{URL: "https://a.example/1", Outlet: "a", Title: "T", Text: "Words."}})
	if code, out, errs := cli(context.Background(), "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	cfg := writeConfig(t, dir, "http://127.0.0.1:1/feed")
	f, err := os.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"query", []string{"query", "--db", db}, "try again when it ends"},
		{"import", []string{"import", "--db", db, in}, "try again when it ends"},
		{"compact", []string{"compact", "--db", db}, "try again when it ends"},
		{"run", []string{"run", "--db", db, "--config", cfg}, "not starting a second writer; try again when it ends"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := cli(context.Background(), tt.args...)
			if code != exitFatal {
				t.Errorf("exit %d, want %d; %s", code, exitFatal, errs)
			}
			for _, w := range []string{"busy: " + db + " is held by another process", "fuser -v " + db, tt.want} {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q\nwant %q", errs, w)
				}
			}
		})
	}
}
