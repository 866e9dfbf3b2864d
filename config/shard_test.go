package config

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in      string
		want    Shard
		wantErr string
	}{
		{"", Shard{}, ""},
		{"1/1", Shard{1, 1}, ""},
		{"3/4", Shard{3, 4}, ""},
		{"4/4", Shard{4, 4}, ""},
		{"0/4", Shard{}, "k must be between 1 and 4"},
		{"5/4", Shard{}, "k must be between 1 and 4"},
		{"-1/4", Shard{}, "k must be between 1 and 4"},
		{"1/0", Shard{}, "N must be at least 1"},
		{"2", Shard{}, "want k/N"},
		{"a/b", Shard{}, "want k/N"},
		{"1/4/2", Shard{}, "want k/N"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseShard(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "--shard") {
					t.Fatalf("ParseShard(%q) = %v, %v; want an error saying %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseShard(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestShardKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/rss", "https://example.org/rss"},
		{"HTTPS://Example.ORG:443/rss#top", "https://example.org/rss"},
		{"http://example.org:80", "http://example.org/"},
		{"http://example.org:8080/feed?x=1&y=2", "http://example.org:8080/feed?x=1&y=2"},
		{"https://user:secret@example.org/private.xml", "https://example.org/private.xml"},
		{"https://example.org/Path/Case", "https://example.org/Path/Case"},
		{"  https://example.org/a  ", "https://example.org/a"},
		{"http://[::1]:80/f", "http://[::1]/f"},
		{"not a url", "not a url"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ShardKey(tt.in); got != tt.want {
				t.Errorf("ShardKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// reference is the rule as another tool computes it from the hex
// digest (DuckDB: 1 + ('0x' || left(sha256(key), 16))::UBIGINT % n).
func reference(t *testing.T, key string, n int) int {
	digest := fmt.Sprintf("%x", sha256.Sum256([]byte(key)))
	v, err := strconv.ParseUint(digest[:16], 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return int(v%uint64(n)) + 1
}

func TestShardOfIsSHA256OfTheKey(t *testing.T) {
	for _, u := range []string{"https://example.org/rss", "HTTP://EXAMPLE.org:80/rss?a=b", "https://u:p@news.example/feed"} {
		for _, n := range []int{1, 2, 3, 4, 7, 16} {
			if got, want := ShardOf(u, n), reference(t, ShardKey(u), n); got != want {
				t.Errorf("ShardOf(%q, %d) = %d, want %d", u, n, got, want)
			}
		}
	}
	// The same feed written differently lands in the same shard.
	if a, b := ShardOf("https://Example.org:443/rss#x", 4), ShardOf("https://user:pw@example.org/rss", 4); a != b {
		t.Errorf("two spellings of one feed: shards %d and %d", a, b)
	}
}

// TestShardsSpreadFeedsThatDifferInOneLetter: with N a power of two, a
// hash whose low bits depend only on the low bits of each byte (FNV-1a)
// puts feed-a, feed-e, feed-i... (same two low bits) in one shard.
func TestShardsSpreadFeedsThatDifferInOneLetter(t *testing.T) {
	letters := "aeimquy" // 0x61, 0x65, ...: the same two low bits
	per := map[int]int{}
	for _, a := range letters {
		for _, b := range letters {
			per[ShardOf(fmt.Sprintf("https://news.example/feed-%c%c.xml", a, b), 4)]++
		}
	}
	for k := 1; k <= 4; k++ {
		if per[k] < 5 {
			t.Errorf("shard %d/4 got %d of 49 feeds that differ in two letters: %v", k, per[k], per)
		}
	}
}

// TestShardsPartitionTheFeeds: the union of all N shards of a config is
// every feed exactly once, and no shard is left nearly empty.
func TestShardsPartitionTheFeeds(t *testing.T) {
	var b strings.Builder
	b.WriteString("outlets:\n")
	all := map[string]bool{}
	for o := range 40 {
		fmt.Fprintf(&b, "  - name: outlet%d\n    feeds:\n", o)
		for f := range 25 {
			u := fmt.Sprintf("https://news%d.example/feeds/%d.xml", o, f)
			fmt.Fprintf(&b, "      - %s\n", u)
			all[u] = true
		}
	}
	cfg, err := Parse("feeds.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 4, 5, 8} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			seen := map[string]int{}
			for k := 1; k <= n; k++ {
				sc := cfg.ForShard(Shard{K: k, N: n})
				count := 0
				for _, o := range sc.Outlets {
					if len(o.Feeds) == 0 {
						t.Errorf("shard %d/%d keeps outlet %s without feeds", k, n, o.Name)
					}
					for _, u := range o.Feeds {
						if !strings.HasPrefix(u, "https://news"+strings.TrimPrefix(o.Name, "outlet")+".") {
							t.Errorf("feed %s moved to outlet %s", u, o.Name)
						}
						seen[u]++
						count++
					}
				}
				// 1,000 feeds: a fair hash gives each shard 1000/n ± a few
				// standard deviations; half of that means a broken hash.
				if count < 1000/n/2 {
					t.Errorf("shard %d/%d owns only %d of 1000 feeds", k, n, count)
				}
			}
			if len(seen) != len(all) {
				t.Errorf("the %d shards own %d distinct feeds, want %d", n, len(seen), len(all))
			}
			for u := range all {
				if seen[u] != 1 {
					t.Errorf("%s is in %d shards, want exactly 1", u, seen[u])
				}
			}
		})
	}
	if got := cfg.ForShard(Shard{}); got != cfg {
		t.Error("the zero Shard should return the config itself")
	}
}
