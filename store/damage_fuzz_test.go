package store

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The page scanner reads pages of a damaged file: any bytes at all must
// give keys and values inside the page, never a panic.
func FuzzWalkLeaf(f *testing.F) {
	p := make([]byte, 64)
	binary.LittleEndian.PutUint16(p[8:], leafPageFlag)
	binary.LittleEndian.PutUint16(p[10:], 1)
	binary.LittleEndian.PutUint32(p[16+4:], 16) // pos
	binary.LittleEndian.PutUint32(p[16+8:], 2)  // ksize
	binary.LittleEndian.PutUint32(p[16+12:], 3) // vsize
	f.Add(p)
	f.Fuzz(func(t *testing.T, b []byte) {
		walkLeaf(b, func(k, v []byte) {
			_ = append(k, v...)
		})
	})
}

// Opening any file gives a store or an error, never a panic or a fault.
func FuzzOpenDamaged(f *testing.F) {
	dir := f.TempDir()
	src := filepath.Join(dir, "seed.db")
	s, err := Open(src, Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	s.Put(&Article{URL: "https://x.org/a", Outlet: "x", Text: "t", FirstSeen: day(1)}, nil)
	s.Close()
	whole, _ := os.ReadFile(src)
	f.Add(whole, uint16(0), byte(0))
	f.Add(whole[:8192], uint16(100), byte(0xff))
	f.Fuzz(func(t *testing.T, b []byte, at uint16, x byte) {
		if int(at) < len(b) {
			b = append([]byte(nil), b...)
			b[at] ^= x
		}
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := Open(p, Options{ReadOnly: true, Timeout: 50 * time.Millisecond})
		if err != nil {
			return
		}
		defer st.Close()
		st.Query(Filter{Limit: 5})
		st.Check()
	})
}
