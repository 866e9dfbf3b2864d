package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// openBolt opens a bbolt file at path and returns bbolt's own descriptor
// of it, as openLocked does.
func openBolt(t *testing.T, path string, readOnly bool) (*bolt.DB, *os.File) {
	t.Helper()
	var f *os.File
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: readOnly, OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
		var err error
		f, err = os.OpenFile(name, flag, perm)
		return f, err
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, f
}

// fillBucket puts keys 0 to n-1, every step-th, in a new bucket "b",
// each with the value "value <key>".
func fillBucket(t *testing.T, db *bolt.DB, n, step int) {
	t.Helper()
	err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := 0; i < n; i += step {
			if err := b.Put(u64(uint64(i)), []byte(fmt.Sprint("value ", i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// openBytes writes data to a file at path and opens it for reading,
// closed when the test ends.
func openBytes(t *testing.T, path string, data []byte) *os.File {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// A pread lookup returns what bbolt's Get returns, for every kind of key:
// present (values from empty to many pages long), absent between keys,
// before the first and after the last, and the name of a nested bucket
// (nil, as Get says). The tree is several levels deep.
func TestPreadMatchesBucketGet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	db, _ := openBolt(t, path, false)
	r := rand.New(rand.NewPCG(7, 7))
	var keys [][]byte
	err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := 0; i < 60000; i++ {
			k := binary.BigEndian.AppendUint64(nil, uint64(i)*2+10) // even ids from 10: odd ones are absent
			if i%5 == 0 {
				k = append(k, byte(i)) // keys of two lengths
			}
			n := r.IntN(40)
			switch i % 1000 {
			case 0:
				n = 20000 + r.IntN(20000) // several pages of overflow
			case 1:
				n = 0
			}
			v := make([]byte, n)
			for j := range v {
				v[j] = byte(r.Uint32())
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
			keys = append(keys, k)
		}
		_, err = b.CreateBucket(binary.BigEndian.AppendUint64(nil, 31)) // a nested bucket among the keys
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, f := openBolt(t, path, true)
	probes := [][]byte{nil, {0}, binary.BigEndian.AppendUint64(nil, 31), binary.BigEndian.AppendUint64(nil, 1<<62), {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}
	for i := 0; i < 5000; i++ {
		k := keys[r.IntN(len(keys))]
		probes = append(probes, k, append(bytes.Clone(k), 0), k[:7], binary.BigEndian.AppendUint64(nil, binary.BigEndian.Uint64(k)+1))
	}
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("b"))
		p := preadOf(b, f, db.Info().PageSize)
		if p == nil {
			t.Fatal("no pread reader for a bucket with a root page")
		}
		levels := 0
		var buf []byte
		for id := p.root; ; levels++ {
			pg, _ := p.read(id, &buf, 1)
			if binary.NativeEndian.Uint16(pg[8:]) != branchPageFlag {
				break
			}
			id = binary.NativeEndian.Uint64(pg[pageHeaderSize+8:])
		}
		if levels < 2 {
			t.Fatalf("the tree has %d branch levels; the test wants at least 2", levels)
		}
		for _, k := range probes {
			want := b.Get(k)
			got, err := p.get(k)
			if err != nil {
				t.Fatalf("key %x: %v", k, err)
			}
			if !bytes.Equal(got, want) || (got == nil) != (want == nil) {
				t.Fatalf("key %x: pread %d bytes (nil %v), Get %d bytes (nil %v)", k, len(got), got == nil, len(want), want == nil)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A reader whose pages are not what it expects (another file, a page
// of zeros, a page whose overflow runs past the file's end, a root past
// it) says so, and Get then answers through the bucket.
func TestPreadFallsBackToTheBucket(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	db, _ := openBolt(t, path, false)
	fillBucket(t, db, 3000, 1)
	var root uint64
	db.View(func(tx *bolt.Tx) error { root = uint64(tx.Bucket([]byte("b")).Root()); return nil })
	ps := db.Info().PageSize
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	long := bytes.Clone(good)
	binary.NativeEndian.PutUint32(long[int(root)*ps+12:], 1<<30) // the root's overflow
	files := map[string][]byte{"zeros": make([]byte, 1<<20), "overflow": long, "short": good[:int(root)*ps]}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			other := openBytes(t, filepath.Join(dir, name), data)
			err := db.View(func(tx *bolt.Tx) error {
				p := preadOf(tx.Bucket([]byte("b")), other, ps)
				if _, err := p.get(u64(5)); err == nil {
					t.Fatal("a bad page read as the bucket's root")
				}
				for _, i := range []uint64{5, 2999, 4000} {
					want := tx.Bucket([]byte("b")).Get(u64(i))
					if got := p.Get(u64(i)); !bytes.Equal(got, want) {
						t.Errorf("key %d: %q, the bucket says %q", i, got, want)
					}
				}
				if p.failed == nil {
					t.Error("the failed read was not remembered")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A read-only store reads with pread, and its answers are the writer's:
// phrases (checked on the articles' text), listings and whole articles.
func TestReadOnlyStoreReadsWithPread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	w, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range genArticles(3000, 11) {
		if _, _, err := w.Put(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if w.pread != nil {
		t.Error("a writer reads with pread; its map is kept warm across queries")
	}
	ask := func(s *Store) []any {
		var out []any
		for _, q := range []string{`"north korea troops"`, `"north korea" -moscow`, "korea", `title:"north korea"`} {
			n, err := query.Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []Filter{{Query: n}, {Query: n, Listing: true}, {Query: n, Limit: 20}} {
				got, err := s.Query(f)
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				if len(got) == 0 {
					t.Fatalf("%s: nothing found", q)
				}
				out = append(out, got)
			}
			for _, by := range []string{ByDay, ByOutlet} {
				rows, err := s.Count(Filter{Query: n}, by)
				if err != nil {
					t.Fatalf("%s: count: %v", q, err)
				}
				grid, err := s.CountByOutlet(Filter{Query: n}, by)
				if err != nil {
					t.Fatalf("%s: count by outlet: %v", q, err)
				}
				out = append(out, rows, grid)
			}
		}
		return out
	}
	want := ask(w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.pread == nil {
		t.Fatal("a read-only store has no pread file")
	}
	err = r.view(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bArticles, bListing, bDocs} {
			b := tx.Bucket(name)
			p, ok := r.values(tx, name).(*preadBucket)
			if !ok {
				t.Fatalf("%s: not read with pread", name)
			}
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if got, err := p.get(k); err != nil || !bytes.Equal(got, v) {
					t.Fatalf("%s %x: pread %q, %v; the bucket has %q", name, k, got, err, v)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ask(r); !reflect.DeepEqual(got, want) {
		t.Error("a read-only store with pread answers differently from the writer")
	}
}

// Whatever the file holds, a lookup returns a value inside the page it
// read or an error: it never panics, loops or reads past the file.
func FuzzPreadPages(f *testing.F) {
	page := make([]byte, 1024)
	binary.NativeEndian.PutUint64(page, 0)
	binary.NativeEndian.PutUint16(page[8:], leafPageFlag)
	binary.NativeEndian.PutUint16(page[10:], 1)
	binary.NativeEndian.PutUint32(page[16+4:], 16) // pos
	binary.NativeEndian.PutUint32(page[16+8:], 1)  // ksize
	binary.NativeEndian.PutUint32(page[16+12:], 2) // vsize
	copy(page[32:], "kvv")
	f.Add(page, []byte("k"), uint64(0))
	branch := bytes.Clone(page)
	binary.NativeEndian.PutUint16(branch[8:], branchPageFlag)
	f.Add(append(branch, page...), []byte("k"), uint64(0))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data, key []byte, root uint64) {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		p := &preadBucket{f: file, root: root % 8, pageSize: 512, pages: uint64(len(data)) / 512, branches: map[uint64][]byte{}}
		for range 2 { // the second lookup may use the kept leaf
			v, err := p.get(key)
			if err == nil && v != nil && len(v) > len(p.leaf) {
				t.Fatalf("a value of %d bytes from a leaf of %d", len(v), len(p.leaf))
			}
		}
	})
}
