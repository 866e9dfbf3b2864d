package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// readAll calls fn once for each id with what Get returns, whether its
// workers read with pread, meet a page they do not expect part way
// (another file, a leaf of zeros in the middle of a run), or there is no
// pread file at all; and whether the ids are many (on every core) or
// few (on the caller's goroutine).
func TestReadAllAnswersAsGet(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	db, _ := openBolt(t, path, false)
	fillBucket(t, db, 20000, 2) // odd ids are absent
	db.Close()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, f := openBolt(t, path, true)
	ps := db.Info().PageSize
	// The leaf that holds id 15000, in the third worker's run of the
	// many ids below: zeroed in a copy of the file.
	var leaf uint64
	db.View(func(tx *bolt.Tx) error {
		p := preadOf(tx.Bucket([]byte("b")), f, ps)
		if _, err := p.get(u64(15000)); err != nil {
			t.Fatal(err)
		}
		leaf = p.levels[p.depth].id
		return nil
	})
	holed := bytes.Clone(good)
	clear(holed[int(leaf)*ps : int(leaf+1)*ps])
	files := map[string]*os.File{"pread": f, "no file": nil}
	for name, data := range map[string][]byte{"zeros": make([]byte, 1<<20), "a leaf of zeros": holed} {
		files[name] = openBytes(t, filepath.Join(dir, name), data)
	}
	var many, few []uint64
	for i := uint64(0); i < 20000; i++ {
		many = append(many, i)
	}
	for i := uint64(0); i < 20000; i += 97 {
		few = append(few, i)
	}
	for name, file := range files {
		for _, ids := range [][]uint64{many, few} {
			t.Run(fmt.Sprintf("%s, %d ids", name, len(ids)), func(t *testing.T) {
				err := db.View(func(tx *bolt.Tx) error {
					b := tx.Bucket([]byte("b"))
					got := make([][]byte, len(ids))
					calls := make([]int, len(ids))
					readAll(b, file, ps, ids, func(i int, v []byte) {
						calls[i]++
						got[i] = bytes.Clone(v)
					})
					for i, id := range ids {
						if want := b.Get(u64(id)); calls[i] != 1 || !bytes.Equal(got[i], want) || (got[i] == nil) != (want == nil) {
							t.Fatalf("id %d: %d calls, %q; Get says %q", id, calls[i], got[i], want)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}
