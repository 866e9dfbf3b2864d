package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/store"
)

// Every command on a damaged archive (truncated to half, to 8 KiB, empty)
// exits with a clear error, never a panic or a signal; check says what
// can be saved, and recover saves it. The commands run as real processes,
// so that a fault would show as a signal.
func TestDamagedArchiveCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	in := importFixture(t, dir)
	if code, _, errs := cli(ctx, "import", "--db", src, in); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	whole, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	h, err := store.ReadHeader(src)
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, "http://127.0.0.1:1/feed")
	damages := []struct {
		name string
		size int
	}{{"half", int(h.Need()) / 2}, {"8KiB", 8 << 10}, {"empty", 0}}
	commands := [][]string{
		{"query", "troops"}, {"query"}, {"count"}, {"show", "1"}, {"feeds", "--config", cfg},
		{"export", "--format", "jsonl", "--out", filepath.Join(dir, "out.jsonl")}, {"check"}, {"reindex"}, {"reextract"}, {"compact"},
		{"run", "--config", cfg}, {"import", in},
	}
	for _, d := range damages {
		db := filepath.Join(dir, d.name+".db")
		if err := os.WriteFile(db, whole[:d.size], 0o600); err != nil {
			t.Fatal(err)
		}
		for _, c := range append(commands, []string{"backup", filepath.Join(dir, d.name+"-backup.db")}) {
			name := d.name + "/" + strings.Join(c, "_")
			t.Run(name, func(t *testing.T) {
				args := append([]string{c[0], "--db", db}, c[1:]...)
				cmd := exec.Command(os.Args[0], args...)
				cmd.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "FEEDVAULT_LOG=error")
				var stdout, stderr strings.Builder
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				code := cmd.ProcessState.ExitCode()
				if code != 1 && code != 2 {
					t.Fatalf("exit %d (%v), want 1 or 2\nstderr: %s", code, err, stderr.String())
				}
				all := stdout.String() + stderr.String()
				if strings.Contains(all, "panic") || strings.Contains(all, "goroutine ") || strings.Contains(all, "SIGSEGV") {
					t.Errorf("crashed:\n%s", all)
				}
				if !strings.Contains(all, "damaged") {
					t.Errorf("no clear error:\n%s", all)
				}
				if b, _ := os.ReadFile(db); len(b) != d.size {
					t.Errorf("the damaged file was written to")
				}
			})
		}
	}
	// check on a whole archive says it is whole; on a truncated one, what
	// is damaged and what can be saved; recover copies it out.
	half := filepath.Join(dir, "half.db")
	code, out, _ := cli(ctx, "check", "--db", half)
	if code != exitPartial || !strings.Contains(out, "truncated") || !strings.Contains(out, "readable:") || !strings.Contains(out, "unreadable:") {
		t.Errorf("check on a truncated archive: %d\n%s", code, out)
	}
	for _, tt := range []struct {
		db       string
		wantCode int
		articles int
	}{{src, exitOK, 5}, {half, exitPartial, -1}} {
		dst := filepath.Join(dir, fmt.Sprintf("rescued-%s", filepath.Base(tt.db)))
		code, out, errs := cli(ctx, "recover", "--db", tt.db, dst)
		if code != tt.wantCode || !strings.Contains(out, "copied to "+dst) {
			t.Errorf("recover %s: %d\n%s%s", tt.db, code, out, errs)
		}
		if code, out, errs := cli(ctx, "check", "--db", dst); code != exitOK {
			t.Errorf("the rescued archive does not check: %d %s %s", code, out, errs)
		}
		if tt.articles >= 0 {
			if rows := queryRows(t, ctx, dst); len(rows) != tt.articles {
				t.Errorf("rescued %d articles, want %d", len(rows), tt.articles)
			}
		}
	}
}
