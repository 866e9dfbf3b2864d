// Shards: spreading one feeds.yaml over several machines. Each machine
// runs `--shard k/N` and polls only the feeds that hash into shard k, so
// that the N machines together poll every feed exactly once.

package config

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Shard is shard K of N (1 ≤ K ≤ N). The zero Shard is "no sharding":
// it owns every feed.
type Shard struct {
	K, N int
}

// ParseShard reads "k/N". The empty string is the zero Shard.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, kerr := strconv.Atoi(strings.TrimSpace(ks))
	n, nerr := strconv.Atoi(strings.TrimSpace(ns))
	switch {
	case !ok || kerr != nil || nerr != nil:
		return Shard{}, fmt.Errorf("--shard %q: want k/N, e.g. 2/4 (the second of four machines)", s)
	case n < 1:
		return Shard{}, fmt.Errorf("--shard %q: N must be at least 1", s)
	case k < 1 || k > n:
		return Shard{}, fmt.Errorf("--shard %q: k must be between 1 and %d", s, n)
	}
	return Shard{K: k, N: n}, nil
}

// IsZero reports whether s is "no sharding".
func (s Shard) IsZero() bool { return s.N == 0 }

// String is "k/N", or "" for the zero Shard: what ParseShard reads and
// what an archive records.
func (s Shard) String() string {
	if s.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Label is the shard in a form fit for file names: "shard2of4", or ""
// for the zero Shard.
func (s Shard) Label() string {
	if s.IsZero() {
		return ""
	}
	return fmt.Sprintf("shard%dof%d", s.K, s.N)
}

// Owns reports whether the feed at feedURL belongs to shard s: the zero
// Shard owns all.
func (s Shard) Owns(feedURL string) bool {
	return s.IsZero() || ShardOf(feedURL, s.N) == s.K
}

// ShardOf is the shard (1..n) of a feed among n:
//
//	1 + (first 8 bytes of SHA-256(ShardKey(feedURL)), big-endian) mod n
//
// It depends on nothing but the URL and n, so any tool can reproduce it
// (in DuckDB: 1 + ('0x' || left(sha256(key), 16))::UBIGINT % n), and a
// feed stays in its shard as long as N does not change. Not FNV-1a:
// its low bits depend only on the low bits of each byte, so with N = 4
// or 8 feeds whose URLs differ in one letter (feed-a, feed-e, feed-i)
// all land in one shard.
func ShardOf(feedURL string, n int) int {
	sum := sha256.Sum256([]byte(ShardKey(feedURL)))
	return int(binary.BigEndian.Uint64(sum[:8])%uint64(n)) + 1
}

// ShardKey is the form of a feed URL that is hashed: scheme and host in
// lower case, without user:password (credentials may change, the feed
// does not), without the default port (:80 for http, :443 for https) and
// without the #fragment; an empty path is "/". The query is kept as
// written. A string that is not an absolute http(s) URL is hashed as it
// is, spaces trimmed. The rule is frozen: changing it would move feeds
// between shards.
func ShardKey(feedURL string) string {
	raw := strings.TrimSpace(feedURL)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return raw
	}
	host := strings.ToLower(u.Host) // u.Host holds no user:password
	if (scheme == "http" && strings.HasSuffix(host, ":80")) || (scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	key := scheme + "://" + host + path
	if u.RawQuery != "" || u.ForceQuery {
		key += "?" + u.RawQuery
	}
	return key
}

// ForShard is the config with only the feeds shard s owns; outlets left
// without a feed are dropped. The zero Shard returns c itself.
func (c *Config) ForShard(s Shard) *Config {
	if s.IsZero() {
		return c
	}
	out := *c
	out.Outlets = nil
	for _, o := range c.Outlets {
		var feeds []string
		for _, u := range o.Feeds {
			if s.Owns(u) {
				feeds = append(feeds, u)
			}
		}
		if len(feeds) > 0 {
			o.Feeds = feeds
			out.Outlets = append(out.Outlets, o)
		}
	}
	return &out
}
