package config

import (
	"strings"
	"testing"
)

// TestImportSkipsSpecialAddresses: a feed list from someone else could
// name the cloud metadata service or a host on the local network; a feed's
// host:port is trusted for the feed and its articles (the only exception
// to the guard against special-purpose addresses), so import-opml added
// such a host, and with it that trust, without a word. Literal
// special-purpose addresses and localhost are skipped, saying why; a
// feed there can still be written into feeds.yaml by hand.
func TestImportSkipsSpecialAddresses(t *testing.T) {
	src := []byte("outlets:\n  - name: a\n    feeds: [https://a.example/rss]\n")
	var feeds []Imported
	special := []string{"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/feed", "http://localhost/rss",
		"http://[::1]/x", "http://10.0.0.5/rss", "http://100.64.1.1/rss", "http://[fd00::1]/rss"}
	for _, u := range append(special, "https://b.example/rss") {
		feeds = append(feeds, Imported{URL: u})
	}
	out, rep, err := AddFeeds("feeds.yaml", src, feeds)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewFeeds != 1 || len(rep.Invalid) != len(special) || !strings.Contains(string(out), "https://b.example/rss") {
		t.Fatalf("new %d, invalid %q", rep.NewFeeds, rep.Invalid)
	}
	for i, u := range special {
		if strings.Contains(string(out), u) || !strings.Contains(rep.Invalid[i], "special-purpose") {
			t.Errorf("%s: %q", u, rep.Invalid[i])
		}
	}
}
