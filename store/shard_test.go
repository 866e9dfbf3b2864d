package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestClaimShard(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, s *Store) // the archive before the claim
		claim   string
		wantErr string // "" means the claim holds
		after   string // the shard recorded afterwards
	}{
		{"new archive, shard", nil, "2/4", "", "2/4"},
		{"new archive, none", nil, "", "", ""},
		{"same shard again", claimed("2/4"), "2/4", "", "2/4"},
		{"other k", claimed("2/4"), "3/4", "archive of shard 2/4, not 3/4", "2/4"},
		{"other N", claimed("2/4"), "2/5", "archive of shard 2/4, not 2/5", "2/4"},
		{"no shard asked of a shard archive", claimed("1/4"), "", "run with --shard 1/4", "1/4"},
		{"shard asked of a filled unsharded archive", func(t *testing.T, s *Store) { fill(t, s, 3, "a") }, "1/4", "filled without --shard", ""},
		{"shard asked after feeds were polled unsharded", func(t *testing.T, s *Store) {
			if err := s.PutFeed(&FeedState{URL: "https://x.org/rss", Outlet: "x"}); err != nil {
				t.Fatal(err)
			}
		}, "1/4", "filled without --shard", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTemp(t)
			if tt.setup != nil {
				tt.setup(t, s)
			}
			err := s.ClaimShard(tt.claim)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("ClaimShard(%q): %v", tt.claim, err)
			}
			if tt.wantErr != "" && (!errors.Is(err, ErrWrongShard) || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("ClaimShard(%q) = %v, want ErrWrongShard saying %q", tt.claim, err, tt.wantErr)
			}
			got, err := s.Shard()
			if err != nil || got != tt.after {
				t.Errorf("Shard() = %q, %v; want %q", got, err, tt.after)
			}
			st, err := s.Stats()
			if err != nil || st.Shard != tt.after {
				t.Errorf("Stats().Shard = %q, %v; want %q", st.Shard, err, tt.after)
			}
		})
	}
}

func claimed(shard string) func(t *testing.T, s *Store) {
	return func(t *testing.T, s *Store) {
		if err := s.ClaimShard(shard); err != nil {
			t.Fatal(err)
		}
		fill(t, s, 2, "a")
	}
}

// TestShardSurvivesReopenAndSalvage: the record is in the file, and a
// recovered copy is still the archive of its shard.
func TestShardSurvivesReopenAndSalvage(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "shard.db")
	s, err := Open(src, Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimShard("3/4"); err != nil {
		t.Fatal(err)
	}
	fill(t, s, 5, "a")
	s.Close()
	ro, err := Open(src, Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ro.Shard()
	ro.Close()
	if err != nil || got != "3/4" {
		t.Fatalf("reopened: Shard() = %q, %v", got, err)
	}
	dst := filepath.Join(dir, "recovered.db")
	if _, err := Salvage(src, dst); err != nil {
		t.Fatal(err)
	}
	out, err := Open(dst, Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if got, err := out.Shard(); err != nil || got != "3/4" {
		t.Errorf("recovered: Shard() = %q, %v; want 3/4", got, err)
	}
	if err := out.ClaimShard("1/4"); !errors.Is(err, ErrWrongShard) {
		t.Errorf("recovered archive of 3/4 claimed as 1/4: %v", err)
	}
}
