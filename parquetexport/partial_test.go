//go:build unix

package parquetexport

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A DIR.partial left by an export killed with -9 holds no lock: Create
// removes it and says so (Writer.Removed); one a running export holds
// (its Writer has it locked until Commit or Abort) is refused, untouched.
func TestStalePartialDirectory(t *testing.T) {
	t.Run("stale", func(t *testing.T) {
		base := t.TempDir()
		out := filepath.Join(base, "out")
		if err := os.MkdirAll(filepath.Join(out+".partial", "outlet=x"), 0o755); err != nil {
			t.Fatal(err)
		}
		w, err := Create(out, Options{Label: "x"})
		if err != nil {
			t.Fatalf("Create beside a stale .partial: %v", err)
		}
		defer w.Abort()
		if w.Removed != out+".partial" {
			t.Errorf("Removed %q", w.Removed)
		}
		if _, err := os.Stat(filepath.Join(out+".partial", "outlet=x")); err == nil {
			t.Error("the stale export's files are still there")
		}
	})
	t.Run("held by a test lock", func(t *testing.T) {
		base := t.TempDir()
		out := filepath.Join(base, "out")
		keep := filepath.Join(out+".partial", "keep")
		if err := os.MkdirAll(keep, 0o755); err != nil {
			t.Fatal(err)
		}
		d, err := os.Open(out + ".partial")
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := syscall.Flock(int(d.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
			t.Fatal(err)
		}
		if _, err := Create(out, Options{Label: "x"}); err == nil || !strings.Contains(err.Error(), "another export to that directory is running") {
			t.Errorf("Create beside a running export: %v", err)
		}
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("the running export's files were touched: %v", err)
		}
	})
	t.Run("held by a running Writer", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		w1, err := Create(out, Options{Label: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Create(out, Options{Label: "x"}); err == nil || !strings.Contains(err.Error(), "another export to that directory is running") {
			t.Errorf("a second Create: %v", err)
		}
		if err := w1.Write(articles()[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := w1.Finish(); err != nil {
			t.Fatal(err)
		}
		if err := w1.Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("the first export is not at its name: %v", err)
		}
	})
}
