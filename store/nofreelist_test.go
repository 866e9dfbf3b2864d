package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// An archive whose meta keeps no free-page list (a bbolt writer with
// NoFreelistSync left it so) makes bbolt rebuild the list by walking
// every page when a writer opens it; since bbolt v1.5.0 that walk runs
// on a goroutine of bbolt's own, where a damaged page crashes the
// process. Open walks such a file first, under its guard: the damaged
// page is an ErrDamaged, not a crash. The open runs in a child process,
// which a crash would end.
func TestNoFreelistDamagedPageIsAnError(t *testing.T) {
	if path := os.Getenv("FEEDVAULT_TEST_NOFREELIST"); path != "" {
		_, err := Open(path, Options{NoSync: true})
		fmt.Printf("open: damaged=%v err=%v\n", errors.Is(err, ErrDamaged), err)
		return
	}
	for _, tc := range []struct {
		name   string
		damage bool
	}{{"whole", false}, {"damaged page", true}} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.db")
			s, err := Open(path, Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range genArticles(300, 8) {
				if _, _, err := s.Put(a, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
			s.Close()
			db, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
			if err != nil {
				t.Fatal(err)
			}
			var root uint64
			err = db.Update(func(tx *bolt.Tx) error {
				root = uint64(tx.Bucket(bArticles).Root())
				return tx.Bucket(bMeta).Put([]byte("nofreelist-test"), []byte{1})
			})
			if cerr := db.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			h, err := ReadHeader(path)
			if err != nil || h.Freelist != noFreelist || root == 0 {
				t.Fatalf("the meta keeps a free-page list (%d, root %d): %v", h.Freelist, root, err)
			}
			if tc.damage { // the articles' root page names another page
				f, err := os.OpenFile(path, os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				_, err = f.WriteAt(binary.LittleEndian.AppendUint64(nil, root+1000), int64(root)*int64(h.PageSize))
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestNoFreelistDamagedPageIsAnError$")
			cmd.Env = append(os.Environ(), "FEEDVAULT_TEST_NOFREELIST="+path)
			out, err := cmd.CombinedOutput()
			want := "open: damaged=false err=<nil>"
			if tc.damage {
				want = "open: damaged=true"
			}
			if err != nil || !strings.Contains(string(out), want) {
				t.Fatalf("the open said %q (%v), want %q", firstLines(string(out), 6), err, want)
			}
		})
	}
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	return strings.Join(l[:min(n, len(l))], "\n")
}
