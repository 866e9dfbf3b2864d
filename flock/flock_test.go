//go:build unix

package flock

import (
	"os"
	"path/filepath"
	"testing"
)

// Locks held on one descriptor against a second descriptor of the same
// file: shared with shared, nothing with exclusive.
func TestFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name            string
		held, asked     bool // exclusive?
		wantSecondTaken bool
	}{
		{"shared, then shared", false, false, true},
		{"shared, then exclusive", false, true, false},
		{"exclusive, then shared", true, false, false},
		{"exclusive, then exclusive", true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			b, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if ok, err := File(a, tt.held, false); !ok || err != nil {
				t.Fatalf("first lock: %v %v", ok, err)
			}
			ok, err := File(b, tt.asked, false)
			if err != nil || ok != tt.wantSecondTaken {
				t.Errorf("second lock: %v %v, want %v", ok, err, tt.wantSecondTaken)
			}
			a.Close() // the first holder ends: the lock is free
			if ok, err := File(b, true, false); !ok || err != nil {
				t.Errorf("after the holder closed: %v %v", ok, err)
			}
		})
	}
}
