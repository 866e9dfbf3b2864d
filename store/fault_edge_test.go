package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// salvageSource writes an archive of n articles and returns its path and
// bytes.
func salvageSource(t *testing.T, n int) (string, []byte) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src.db")
	s, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, n, "a")
	s.Close()
	whole, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	return src, whole
}

// TestSalvageNamesUnreadableArticles zeroes, one at a time, the leaf
// pages of an archive until one holds articles: those articles can be
// read neither through bbolt nor by the page scan, and the report must
// say so (before, it counted them but listed nothing, so check printed
// "unreadable: nothing" and recover exited 0).
func TestSalvageNamesUnreadableArticles(t *testing.T) {
	const n = 200
	src, whole := salvageSource(t, n)
	db, err := bolt.Open(src, 0o600, nil) // a writer: Tx.Page needs the free list
	if err != nil {
		t.Fatal(err)
	}
	var leaves []int
	db.View(func(tx *bolt.Tx) error {
		for id := 2; ; {
			p, err := tx.Page(id)
			if err != nil || p == nil {
				return err
			}
			if p.Type == "leaf" {
				leaves = append(leaves, id)
			}
			id += 1 + p.OverflowCount
		}
	})
	db.Close()
	h, err := ReadHeader(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, id := range leaves {
		p := filepath.Join(dir, fmt.Sprintf("zero-%d.db", id))
		b := append([]byte(nil), whole...)
		clear(b[id*h.PageSize : (id+1)*h.PageSize])
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := Salvage(p, "")
		if err != nil {
			t.Fatalf("page %d: %v", id, err)
		}
		if rep.Articles == n {
			continue // the page held no article
		}
		t.Logf("page %d zeroed: %+v", id, rep)
		if missing := n - rep.Articles; rep.Unreadable != missing || rep.LostCount < missing {
			t.Fatalf("%d articles not saved, report: unreadable %d, lost %d", missing, rep.Unreadable, rep.LostCount)
		}
		named := 0
		for _, l := range rep.Lost {
			if strings.HasPrefix(l, "article ") {
				named++
			}
		}
		if named != n-rep.Articles {
			t.Errorf("lost list names %d articles, want %d: %q", named, n-rep.Articles, rep.Lost)
		}
		return
	}
	t.Fatalf("no leaf page of %d held articles", len(leaves))
}

// TestSalvageRefusesNewerSchema: recover would copy a newer archive into
// this version's layout, dropping what the newer one added.
func TestSalvageRefusesNewerSchema(t *testing.T) {
	src, _ := salvageSource(t, 3)
	db, err := bolt.Open(src, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put([]byte("schema"), u64(SchemaVersion+1))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dst := filepath.Join(t.TempDir(), "new.db")
	_, err = Salvage(src, dst)
	if err == nil || !strings.Contains(err.Error(), "newer than this feedvault") {
		t.Fatalf("salvage of a schema %d archive: %v", SchemaVersion+1, err)
	}
	if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused salvage left %s: %v", dst, err)
	}
}

// TestSalvageFailureLeavesNoArchive: a recover that fails half way (a full
// disk) must not leave NEW.db behind, where it would pass check as an
// archive holding only part of what was readable. The child process gets
// a file-size limit, which fails writes as a full disk does.
func TestSalvageFailureLeavesNoArchive(t *testing.T) {
	src, whole := salvageSource(t, 200)
	dst := filepath.Join(t.TempDir(), "new.db")
	cmd, sc := startChild(t, "salvage", src, "STORE_TEST_DST="+dst, fmt.Sprintf("STORE_TEST_FSIZE=%d", len(whole)/4))
	var out []string
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v %q", err, out)
	}
	if len(out) != 1 || !strings.HasPrefix(out[0], "error ") {
		t.Fatalf("salvage past the file-size limit: %q, want an error", out)
	}
	if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("failed salvage (%s) left %s: %v", out[0], dst, err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(dst)); len(ents) != 0 {
		t.Errorf("failed salvage left %v", ents)
	}
}

// childSalvage salvages src into dst under a file-size limit, printing
// "ok" or "error …".
func childSalvage(src, dst string, fsize uint64) int {
	if err := limitFileSize(fsize); err != nil {
		fmt.Println("setrlimit:", err)
		return 3
	}
	if _, err := Salvage(src, dst); err != nil {
		fmt.Println("error", err)
		return 0
	}
	fmt.Println("ok")
	return 0
}

// limitFileSize makes writes past fsize bytes of any file fail with EFBIG,
// as a full disk fails them.
func limitFileSize(fsize uint64) error {
	signal.Ignore(syscall.SIGXFSZ)
	return syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: fsize, Max: fsize})
}

// TestCompactOnFullDiskLeavesNoTemp: a compaction whose new file cannot
// even be started (a full disk) leaves the archive as it was and no
// ARCHIVE.compact behind (before, bbolt's half-made file stayed).
func TestCompactOnFullDiskLeavesNoTemp(t *testing.T) {
	for _, limit := range []int{4 << 10, 64 << 10} { // bbolt's first pages; the copy
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			src, _ := salvageSource(t, 50)
			cmd, sc := startChild(t, "compact", src, fmt.Sprintf("STORE_TEST_FSIZE=%d", limit))
			var out []string
			for sc.Scan() {
				out = append(out, sc.Text())
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("child: %v %q", err, out)
			}
			if len(out) != 1 || !strings.HasPrefix(out[0], "error ") || !strings.Contains(out[0], "the archive is unchanged") {
				t.Fatalf("compact past the file-size limit: %q", out)
			}
			if _, err := os.Lstat(src + ".compact"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("failed compaction (%s) left %s.compact: %v", out[0], src, err)
			}
			s, err := Open(src, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if problems, err := s.Check(); err != nil || len(problems) > 0 {
				t.Errorf("check after a failed compaction: %v %v", problems, err)
			}
			if st, _ := s.Stats(); st.Articles != 50 {
				t.Errorf("%d articles after a failed compaction, want 50", st.Articles)
			}
		})
	}
}

// childCompact opens the archive, then compacts it under a file-size
// limit, printing "ok" or "error …".
func childCompact(db string, fsize uint64) int {
	s, err := Open(db, Options{})
	if err != nil {
		fmt.Println("open:", err)
		return 2
	}
	defer s.Close()
	if err := limitFileSize(fsize); err != nil {
		fmt.Println("setrlimit:", err)
		return 3
	}
	if _, _, err := s.Compact(); err != nil {
		fmt.Println("error", err)
		return 0
	}
	fmt.Println("ok")
	return 0
}

// TestOpenDirectory: --db naming a directory is a wrong path, not a
// damaged archive (before: "damaged or not a feedvault archive: no valid
// bbolt header", which sends the user to check and recover).
func TestOpenDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, opt := range []Options{{}, {ReadOnly: true}} {
		s, err := Open(dir, opt)
		if err == nil {
			s.Close()
			t.Fatalf("read-only %v: opened a directory", opt.ReadOnly)
		}
		if errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "is a directory") {
			t.Errorf("read-only %v: %v; want it to say the path is a directory", opt.ReadOnly, err)
		}
	}
	if _, err := Salvage(dir, ""); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("salvage: %v", err)
	}
}

// TestOpenNotARegularFile: --db naming a FIFO hung for good (opening it
// for reading waits for a writer, and SIGTERM only cancels a context); a
// device was "damaged". Neither is an archive file, and the error says
// so before anything opens it. The test holds the FIFO's other end open,
// so that it cannot hang.
func TestOpenNotARegularFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := os.OpenFile(fifo, os.O_RDWR, 0) // does not block on Linux
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for _, path := range []string{fifo, os.DevNull} {
		for _, opt := range []Options{{ReadOnly: true}, {}} {
			s, err := Open(path, opt)
			if err == nil {
				s.Close()
				t.Fatalf("%s: opened", path)
			}
			if errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s (read-only %v): %v", path, opt.ReadOnly, err)
			}
		}
	}
}

// TestHeldByOtherOpensNoFIFO: Open asks whether another process holds a
// file that fails CheckFile; for a FIFO that question opened it, which
// waits for a writer: 'feedvault query --db FIFO' hung, deaf to SIGTERM.
// The test sees whether heldByOther opened the FIFO: then a non-blocking
// open of its write end finds the reader (and lets it go).
func TestHeldByOtherOpensNoFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	go func() { done <- heldByOther(fifo) }()
	for {
		select {
		case held := <-done:
			if held {
				t.Error("a FIFO is held by another process")
			}
			return
		default:
		}
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
			<-done
			t.Fatal("heldByOther opened the FIFO (and would have waited for a writer)")
		}
		runtime.Gosched()
	}
}
