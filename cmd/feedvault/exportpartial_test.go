//go:build unix

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A NAME.partial left by an export killed with -9 holds no lock: the next
// export to NAME removes it, says so, and writes. One that a running
// export holds (flock) is that export's file: the next one refuses and
// leaves it alone. The same goes for the manifest's and a backup's.
func TestStalePartialCleanedLiveOneKept(t *testing.T) {
	ctx := context.Background()
	db := importedFixture(ctx, t)
	tests := []struct {
		name    string
		cmd     func(out string) []string
		partial func(out string) string
	}{
		{"export data file", func(out string) []string { return []string{"export", "--db", db, "--format", "jsonl", "--out", out} },
			func(out string) string { return out + ".partial" }},
		{"export manifest", func(out string) []string { return []string{"export", "--db", db, "--format", "jsonl", "--out", out} },
			func(out string) string { return out + ".manifest.json.partial" }},
		{"backup", func(out string) []string { return []string{"backup", "--db", db, out} },
			func(out string) string { return out + ".partial" }},
	}
	for _, tt := range tests {
		t.Run(tt.name+", stale", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "x.out")
			stale := tt.partial(out)
			if err := os.WriteFile(stale, []byte("half an export"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := cli(ctx, tt.cmd(out)...)
			if code != exitOK {
				t.Fatalf("exit %d with a stale %s: %s", code, filepath.Base(stale), errs)
			}
			if !strings.Contains(errs, "removed "+stale) {
				t.Errorf("stderr does not say the stale file was removed: %s", errs)
			}
			if _, err := os.Stat(stale); err == nil {
				t.Errorf("%s is still there", stale)
			}
			if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
				t.Errorf("no output: %v", err)
			}
		})
		t.Run(tt.name+", held by a running export", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "x.out")
			live := tt.partial(out)
			if err := os.WriteFile(live, []byte("being written"), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(live)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
				t.Fatal(err)
			}
			code, _, errs := cli(ctx, tt.cmd(out)...)
			if code != exitFatal || !strings.Contains(errs, "another export or backup to that name is running") {
				t.Errorf("exit %d, %s", code, errs)
			}
			if b, err := os.ReadFile(live); err != nil || string(b) != "being written" {
				t.Errorf("the running export's file was touched: %q, %v", b, err)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written beside a running export", out)
			}
		})
	}
}

// publish gives a finished file its name only if no other file took that
// name meanwhile: two exports to one name must not overwrite each other.
func TestPublishNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.jsonl")
	if err := os.WriteFile(out, []byte("the other export's"), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := out + ".partial"
	if err := os.WriteFile(tmp, []byte("ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := publish(tmp, out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("publish over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "the other export's" {
		t.Errorf("overwritten: %q", b)
	}
	fresh := filepath.Join(dir, "y.jsonl")
	if err := publish(tmp, fresh); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(fresh); string(b) != "ours" {
		t.Errorf("published %q", b)
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("%s still there after publish", tmp)
	}
}

// Exports to one name at once: one wins, the others say why they did
// not write, and the file the winner wrote is whole (its manifest's
// sha256 matches), never replaced or removed by a loser.
func TestConcurrentExportsToOneName(t *testing.T) {
	ctx := context.Background()
	db := importedFixture(ctx, t)
	out := filepath.Join(t.TempDir(), "x.jsonl")
	const n = 4
	type result struct {
		code int
		errs string
	}
	results := make(chan result, n)
	for range n {
		go func() {
			code, _, errs := cli(ctx, "export", "--db", db, "--format", "jsonl", "--out", out)
			results <- result{code, errs}
		}()
	}
	wins := 0
	for range n {
		r := <-results
		switch {
		case r.code == exitOK:
			wins++
		case r.code == exitFatal && (strings.Contains(r.errs, "exists") || strings.Contains(r.errs, "is running")):
		default:
			t.Errorf("exit %d: %s", r.code, r.errs)
		}
	}
	if wins == 0 {
		t.Fatal("no export won")
	}
	sum, err := sumFile(out)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := os.ReadFile(out + ".manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mb), sum.SHA256) {
		t.Errorf("the file's sha256 %s is not its manifest's: %s", sum.SHA256, mb)
	}
	left, _ := filepath.Glob(out + "*.partial")
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
