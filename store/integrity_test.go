package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func fill(t *testing.T, s *Store, n int, prefix string) {
	t.Helper()
	for i := 0; i < n; i++ {
		a := &Article{URL: fmt.Sprintf("https://x.org/%s/%d", prefix, i), Outlet: "x", Title: "T", FirstSeen: day(1),
			Text: strings.Repeat(fmt.Sprintf("word%d text %s ", i, prefix), 200)}
		if _, _, err := s.Put(a, []byte(strings.Repeat("<p>raw page</p>", 300+i))); err != nil {
			t.Fatal(err)
		}
	}
}

// Compaction racing processes that wait for the archive: while a
// compaction swaps the file, no other opener may get the lock (on the old
// file, which is then deleted: everything it wrote would be lost), and
// what the compacting writer writes afterwards lands in the file at the
// path. Before the fix, a waiting Open got the old file's lock.
func TestCompactRacingOpeners(t *testing.T) {
	s, path := openTemp(t)
	fill(t, s, 30, "before")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	stolen := 0
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				o, err := Open(path, Options{Timeout: 30 * time.Millisecond})
				if err == nil {
					mu.Lock()
					stolen++
					mu.Unlock()
					o.Close()
					continue
				}
				if !errors.Is(err, ErrBusy) {
					t.Errorf("open while compacting: %v, want ErrBusy", err)
				}
			}
		}()
	}
	for i := 0; i < 40; i++ {
		if _, _, err := s.Compact(); err != nil {
			t.Fatal(err)
		}
		fill(t, s, 1, fmt.Sprintf("during%d", i))
	}
	close(stop)
	wg.Wait()
	if stolen > 0 {
		t.Errorf("%d opens got the archive while its writer held it", stolen)
	}
	fill(t, s, 5, "after")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	st, err := r.Stats()
	if err != nil || st.Articles != 30+40+5 {
		t.Errorf("after the compactions the file at the path has %d articles, want %d (%v)", st.Articles, 75, err)
	}
}

// Compacting through a symlink replaces the link's target and keeps the link.
func TestCompactKeepsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.db")
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink("real.db", link); err != nil {
		t.Fatal(err)
	}
	s, err := Open(link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fill(t, s, 10, "a")
	if _, _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	fill(t, s, 1, "b")
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a symlink: %v %v", fi.Mode(), err)
	}
	if _, err := os.Stat(real + ".compact"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary file left: %v", err)
	}
	if st, err := s.Stats(); err != nil || st.Articles != 11 {
		t.Errorf("stats after compaction: %+v %v", st, err)
	}
}

// A truncated or empty archive gives a clear error wrapping ErrDamaged
// to every opener, and is never written to.
func TestTruncatedArchives(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	s, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 60, "a")
	s.Close()
	whole, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ReadHeader(src)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		size int
		want string
	}{
		// Half of what the header counts: bbolt grows the file ahead of
		// its pages, so half the file can still hold every page.
		{"half", int(h.Need() / 2), "truncated"},
		{"8 KiB", 8 << 10, "truncated"},
		{"one page", 4 << 10, "truncated"},
		{"empty", 0, "empty"},
		{"100 bytes", 100, "truncated"},
		{"10 bytes", 10, "no valid bbolt header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".db")
			if err := os.WriteFile(p, whole[:tt.size], 0o600); err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{true, false} {
				_, err := Open(p, Options{ReadOnly: ro, Timeout: 100 * time.Millisecond})
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("read-only %v: %v, want ErrDamaged saying %q", ro, err, tt.want)
				}
			}
			if b, _ := os.ReadFile(p); len(b) != tt.size {
				t.Errorf("the damaged file was written to: %d bytes, was %d", len(b), tt.size)
			}
		})
	}
}

// Pages damaged inside a file that opens: reads fail with ErrDamaged,
// never a panic or a fault.
func TestDamagedPagesGiveErrors(t *testing.T) {
	s, path := openTemp(t)
	fill(t, s, 60, "a")
	s.Close()
	h, err := ReadHeader(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite every page but the two meta pages with garbage.
	junk := []byte(strings.Repeat("\xff\x13\x00\x07", h.PageSize/4))
	for pg := int64(2); pg < int64(h.Pages); pg++ {
		f.WriteAt(junk, pg*int64(h.PageSize))
	}
	f.Close()
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		if !errors.Is(err, ErrDamaged) {
			t.Fatalf("open: %v, want ErrDamaged", err)
		}
		return // found at open: as good
	}
	defer r.Close()
	_, err = r.Query(Filter{Limit: 10})
	if !errors.Is(err, ErrDamaged) {
		t.Errorf("query: %v, want ErrDamaged", err)
	}
	if _, err := r.Check(); !errors.Is(err, ErrDamaged) {
		t.Errorf("check: %v, want ErrDamaged", err)
	}
}
