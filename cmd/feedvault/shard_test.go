package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedvault/feedvault/config"
)

// shardWeb is a site of many small feeds, one article each, that
// records which feeds were polled.
type shardWeb struct {
	*httptest.Server
	mu     sync.Mutex
	polled map[string]int // feed URL → polls
}

const (
	shardFeeds = 12
	shardN     = 3 // the shards the tests run
)

func newShardWeb(t *testing.T) *shardWeb {
	w := &shardWeb{polled: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed/{n}", func(rw http.ResponseWriter, r *http.Request) {
		n := strings.TrimSuffix(r.PathValue("n"), ".xml")
		w.mu.Lock()
		w.polled[w.URL+r.URL.Path]++
		w.mu.Unlock()
		rw.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(rw, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title><link>%s</link>
<item><title>Story %s about the harbour</title><link>%s/story/%s</link><guid>g-%s</guid><pubDate>%s</pubDate><category>port</category></item>
</channel></rss>`, n, w.URL, n, w.URL, n, n, shardDay(n).Format(http.TimeFormat))
	})
	mux.HandleFunc("/story/{n}", func(rw http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, article("Story "+n+" about the harbour", shardDay(n).Format("2006-01-02T15:04:05Z"),
			`<p>The harbour of the city `+n+` reopened on Monday after a long winter of repairs to its quays.</p><p>Fishermen said the catch was good, and the ferry to the islands will sail again next week.</p>`))
	})
	w.Server = httptest.NewServer(mux)
	t.Cleanup(w.Close)
	return w
}

// feeds are shardFeeds feeds, as many in each of shardN's shards. The
// server's port is in every URL, and so in its hash: feeds taken in
// plain order would leave a shard empty now and then (one run in 40 or
// so), and a shard with nothing to poll proves nothing.
func (w *shardWeb) feeds() []string {
	var fs []string
	per := map[int]int{}
	for i := 0; len(fs) < shardFeeds; i++ {
		f := fmt.Sprintf("%s/feed/%d.xml", w.URL, i)
		if k := config.ShardOf(f, shardN); per[k] < shardFeeds/shardN {
			per[k]++
			fs = append(fs, f)
		}
	}
	return fs
}

// writeShardConfig spreads the site's feeds over two outlets.
func (w *shardWeb) config(t *testing.T, dir string) string {
	var b strings.Builder
	b.WriteString("defaults:\n  per_host_delay: 0s\n  timeout: 10s\n  interval: 1m\n  robots: ignore\noutlets:\n")
	for o, name := range []string{"harbourpost", "islandnews"} {
		fmt.Fprintf(&b, "  - name: %s\n    language: en\n    feeds:\n", name)
		for i, f := range w.feeds() {
			if i%2 == o {
				fmt.Fprintf(&b, "      - %s\n", f)
			}
		}
	}
	p := filepath.Join(dir, "feeds.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runShards runs each of n shards once into dir/shardK.db and returns
// the archives.
func runShards(t *testing.T, ctx context.Context, w *shardWeb, cfg, dir string, n int) []string {
	t.Helper()
	var dbs []string
	for k := 1; k <= n; k++ {
		db := filepath.Join(dir, fmt.Sprintf("shard%d.db", k))
		if code, out, errs := cli(ctx, "run", "--config", cfg, "--db", db, "--shard", fmt.Sprintf("%d/%d", k, n)); code != exitOK {
			t.Fatalf("run --shard %d/%d: %d %s %s", k, n, code, out, errs)
		}
		dbs = append(dbs, db)
	}
	return dbs
}

// TestShardsPollEveryFeedOnce: N machines with --shard k/N poll every
// feed of one feeds.yaml exactly once between them, each into its own
// archive, and 'feeds --shard' lists what each owns.
func TestShardsPollEveryFeedOnce(t *testing.T) {
	ctx := context.Background()
	w := newShardWeb(t)
	dir := t.TempDir()
	cfg := w.config(t, dir)
	const n = shardN
	dbs := runShards(t, ctx, w, cfg, dir, n)

	if len(w.polled) != shardFeeds {
		t.Errorf("%d of %d feeds polled: %v", len(w.polled), shardFeeds, w.polled)
	}
	for u, c := range w.polled {
		if c != 1 {
			t.Errorf("%s polled %d times by the %d shards, want once", u, c, n)
		}
	}
	articles := map[string]int{}
	listed := map[string]int{}
	for k, db := range dbs {
		for _, row := range queryRows(t, ctx, db) {
			articles[row["url"].(string)]++
			if feed := row["feed"].(string); config.ShardOf(feed, n) != k+1 {
				t.Errorf("shard %d archived %s from %s, a feed of shard %d", k+1, row["url"], feed, config.ShardOf(feed, n))
			}
		}
		code, out, errs := cli(ctx, "feeds", "--config", cfg, "--db", db, "--shard", fmt.Sprintf("%d/%d", k+1, n), "--format", "jsonl")
		if code != exitOK {
			t.Fatalf("feeds --shard: %d %s", code, errs)
		}
		for _, row := range jsonLines(t, out) {
			u := row["url"].(string)
			listed[u]++
			if config.ShardOf(u, n) != k+1 {
				t.Errorf("feeds --shard %d/%d lists %s of shard %d", k+1, n, u, config.ShardOf(u, n))
			}
			if row["status"] != "ok" {
				t.Errorf("feeds --shard %d/%d: %s is %v in its own archive, want ok", k+1, n, u, row["status"])
			}
		}
	}
	if len(articles) != shardFeeds {
		t.Errorf("%d articles over all shards, want %d", len(articles), shardFeeds)
	}
	for u, c := range articles {
		if c != 1 {
			t.Errorf("%s is in %d shard archives, want 1", u, c)
		}
	}
	// Without --shard, a shard's archive lists its own feeds.
	for k, db := range dbs {
		code, out, errs := cli(ctx, "feeds", "--config", cfg, "--db", db, "--format", "jsonl")
		if code != exitOK {
			t.Fatalf("feeds: %d %s", code, errs)
		}
		rows := jsonLines(t, out)
		for _, row := range rows {
			if u := row["url"].(string); config.ShardOf(u, n) != k+1 {
				t.Errorf("feeds on the archive of shard %d/%d lists %s of shard %d", k+1, n, u, config.ShardOf(u, n))
			}
		}
		if len(rows) == 0 {
			t.Errorf("feeds on the archive of shard %d/%d lists nothing", k+1, n)
		}
	}
	if !slices.Equal(sortedKeys(listed), sortedKeys(w.polled)) {
		t.Errorf("feeds --shard lists %v over all shards, want %v", sortedKeys(listed), sortedKeys(w.polled))
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"another shard's archive", []string{"run", "--config", cfg, "--db", dbs[0], "--shard", "2/3"}, "archive of shard 1/3, not 2/3"},
		{"another N", []string{"run", "--config", cfg, "--db", dbs[0], "--shard", "1/4"}, "archive of shard 1/3, not 1/4"},
		{"a shard's archive without --shard", []string{"run", "--config", cfg, "--db", dbs[0]}, "run with --shard 1/3"},
		{"daemon into another shard's archive", []string{"daemon", "--config", cfg, "--db", dbs[1], "--shard", "1/3"}, "archive of shard 2/3, not 1/3"},
		{"k above N", []string{"run", "--config", cfg, "--db", filepath.Join(dir, "x.db"), "--shard", "4/3"}, "k must be between 1 and 3"},
		{"k zero", []string{"daemon", "--config", cfg, "--db", filepath.Join(dir, "x.db"), "--shard", "0/3"}, "k must be between 1 and 3"},
		{"not k/N", []string{"feeds", "--config", cfg, "--shard", "3"}, "want k/N"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			polls := len(w.polled)
			code, _, errs := cli(ctx, tt.args...)
			if code != exitFatal || !strings.Contains(errs, tt.want) {
				t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errs, tt.want)
			}
			if len(w.polled) != polls {
				t.Errorf("a refused run polled feeds")
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a bad --shard created an archive")
	}
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestShardDefaultArchive(t *testing.T) {
	tests := []struct {
		shard string
		db    string
		named bool
		want  string
	}{
		{"", "feedvault.db", false, "feedvault.db"},
		{"2/4", "feedvault.db", false, "feedvault-shard2of4.db"},
		{"2/4", "/srv/news/archive", false, "/srv/news/archive-shard2of4"},
		{"2/4", "/srv/news/s2.db", true, "/srv/news/s2.db"},
	}
	for _, tt := range tests {
		t.Run(tt.shard+" "+tt.db, func(t *testing.T) {
			sh, err := config.ParseShard(tt.shard)
			if err != nil {
				t.Fatal(err)
			}
			if got := shardDB(sh, tt.db, tt.named); got != tt.want {
				t.Errorf("shardDB(%q, %q, %v) = %q, want %q", tt.shard, tt.db, tt.named, got, tt.want)
			}
		})
	}
}

// shardDay is story n's date: a week apart, so that they span months.
func shardDay(n string) time.Time {
	i, _ := strconv.Atoi(n)
	return time.Date(2024, 9, 20, 8, 30, 0, 0, time.UTC).AddDate(0, 0, 7*i)
}

// A sharded daemon's SIGHUP reload keeps to its shard of the new file:
// the union of the shards' reloads is every feed, once.
func TestReloadKeepsToTheShard(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	var b strings.Builder
	b.WriteString("outlets:\n  - name: o\n    feeds:\n")
	for i := range 40 {
		fmt.Fprintf(&b, "      - https://example.org/feed-%d.xml\n", i)
	}
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for k := 1; k <= 3; k++ {
		sh, err := config.ParseShard(fmt.Sprintf("%d/3", k))
		if err != nil {
			t.Fatal(err)
		}
		_, outlets, err := reloadOutlets(cfg, sh)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range outlets {
			for _, f := range o.Feeds {
				seen[f]++
				n++
			}
		}
		if n == 0 || n == 40 {
			t.Errorf("shard %d/3 reloads %d of 40 feeds", k, n)
		}
	}
	if len(seen) != 40 {
		t.Errorf("the shards reload %d distinct feeds, want 40", len(seen))
	}
	for f, n := range seen {
		if n != 1 {
			t.Errorf("%s reloaded by %d shards", f, n)
		}
	}
}
