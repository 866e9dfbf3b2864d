package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/store"
)

// TestExportAllOrNothing: an export whose manifest cannot be written (the
// disk fills after the data) fails, and leaves neither the data file nor
// a truncated manifest: before, FILE stayed with an empty
// FILE.manifest.json beside it, which looks like a finished export, and
// the next try was refused because FILE exists. The child writes files of
// at most 600 bytes: the one article's jsonl fits, its manifest does not.
func TestExportAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	in := importLines(t, dir, []importLine{{URL: "https://a.example/1", Outlet: "a", Title: "Korea talks", Text: "Troops near the border."}})
	if code, out, errs := cli(context.Background(), "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	for _, tt := range []struct{ format, file string }{{"jsonl", "x.jsonl"}, {"csv", "x.csv"}} {
		t.Run(tt.format, func(t *testing.T) {
			outDir := t.TempDir()
			file := filepath.Join(outDir, tt.file)
			cmd := exec.Command(os.Args[0], "export", "--db", db, "--format", tt.format, "--out", file)
			cmd.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "FEEDVAULT_LOG=error", "FEEDVAULT_TEST_FSIZE=600")
			var errb strings.Builder
			cmd.Stderr = &errb
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFatal {
				t.Fatalf("export onto a full disk: %v, want exit %d; stderr %s", err, exitFatal, errb.String())
			}
			if !strings.Contains(errb.String(), "manifest") || !strings.Contains(errb.String(), "file too large") {
				t.Errorf("the error does not say the manifest could not be written: %s", errb.String())
			}
			if ents, _ := os.ReadDir(outDir); len(ents) != 0 {
				var names []string
				for _, e := range ents {
					names = append(names, e.Name())
				}
				t.Errorf("a failed export left %v", names)
			}
			// With room again, the same command works.
			if code, out, errs := cli(context.Background(), "export", "--db", db, "--format", tt.format, "--out", file); code != 0 {
				t.Fatalf("export again: %s %s", out, errs)
			}
		})
	}
}

// TestRecoverBusyNamesTheHolder: recover of an archive a daemon holds said
// "store: archive is busy: another feedvault process holds it", unlike
// every other command, which names the holder and what to do.
func TestRecoverBusyNamesTheHolder(t *testing.T) {
	db := importedFixture(context.Background(), t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := openWriter(ctx, &env{stdout: io.Discard, stderr: io.Discard, log: slog.New(slog.DiscardHandler)}, db, "daemon", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	code, _, errs := cli(context.Background(), "recover", "--db", db, filepath.Join(t.TempDir(), "new.db"))
	if code != exitFatal || !strings.Contains(errs, "is held by feedvault daemon (pid ") || !strings.Contains(errs, "stop it first") {
		t.Errorf("recover of a held archive: exit %d, %s", code, errs)
	}
}

// TestInterruptedSaysSo: a command stopped by SIGINT or SIGTERM printed
// "feedvault: export: context canceled"; it says "interrupted". A message
// that explains the interruption already keeps its words.
func TestInterruptedSaysSo(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("export: %w", context.Canceled), "export: interrupted"},
		{context.Canceled, "interrupted"},
		{fmt.Errorf("jsonl: x: stopped at line 3: interrupted: %w (the 2 articles before it are archived)", context.Canceled), "jsonl: x: stopped at line 3: interrupted: context canceled (the 2 articles before it are archived)"},
		{errors.New("export: write x: permission denied"), "export: write x: permission denied"},
	} {
		if got := userMessage(tt.err); got != tt.want {
			t.Errorf("userMessage(%q) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// TestExportIntoMissingDirectory names the directory, not the .partial
// file the user never asked for.
func TestExportIntoMissingDirectory(t *testing.T) {
	db := importedFixture(context.Background(), t)
	missing := filepath.Join(t.TempDir(), "no", "such")
	code, _, errs := cli(context.Background(), "export", "--db", db, "--out", filepath.Join(missing, "x.jsonl"))
	if code != exitFatal || !strings.Contains(errs, missing+": no such directory") || strings.Contains(errs, ".partial") {
		t.Errorf("export into a missing directory: exit %d, %s", code, errs)
	}
}

// TestShowRawConflicts: show --raw --revisions printed the raw page and
// dropped --revisions without a word.
func TestShowRawConflicts(t *testing.T) {
	db := importedFixture(context.Background(), t)
	for _, args := range [][]string{{"--revisions"}, {"--observations"}, {"--format", "json"}} {
		code, out, errs := cli(context.Background(), append([]string{"show", "--db", db, "--raw", "1"}, args...)...)
		if code != exitFatal || out != "" || !strings.Contains(errs, "does not go with") {
			t.Errorf("show --raw %v: exit %d, out %.40q, err %s", args, code, out, errs)
		}
	}
	if code, out, errs := cli(context.Background(), "show", "--db", db, "--raw", "1"); code != exitOK || !strings.Contains(out, "<html>") {
		t.Errorf("show --raw: exit %d, %.40q %s", code, out, errs)
	}
}

// TestBackupOfDamagedArchiveBlamesTheArchive: a backup copies pages as
// they are, so a damaged page of the archive fails the copy's check; the
// message named the copy ("store: DEST.partial: damaged or not a
// feedvault archive"), as if the new file were at fault. It names the
// archive, and what to run.
func TestBackupOfDamagedArchiveBlamesTheArchive(t *testing.T) {
	src := importedFixture(context.Background(), t)
	whole, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	h, err := store.ReadHeader(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for p := 2; p < int(h.Pages); p++ {
		if uint64(p) == h.Freelist {
			continue
		}
		db := filepath.Join(dir, fmt.Sprintf("zero-%d.db", p))
		b := append([]byte(nil), whole...)
		clear(b[p*h.PageSize : (p+1)*h.PageSize])
		if err := os.WriteFile(db, b, 0o600); err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(dir, fmt.Sprintf("backup-%d.db", p))
		code, _, errs := cli(context.Background(), "backup", "--db", db, dest)
		if code == exitOK || !strings.Contains(errs, "damaged") {
			continue // a free page, or one the open reads first
		}
		if !strings.Contains(errs, "backup: "+db+" is damaged") || !strings.Contains(errs, "feedvault check --db "+db) {
			t.Errorf("page %d zeroed: %s", p, errs)
		}
		if _, err := os.Stat(dest + ".partial"); err == nil {
			t.Errorf("page %d zeroed: the partial copy stayed", p)
		}
		return
	}
	t.Fatalf("no zeroed page of %d failed the backup's check", h.Pages)
}
