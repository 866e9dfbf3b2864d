package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/outlet"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/opml")

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "opml", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseList(t *testing.T, name string) []Imported {
	t.Helper()
	b := readFixture(t, name)
	var (
		feeds []Imported
		err   error
	)
	if strings.HasSuffix(name, ".csv") {
		feeds, err = ParseSourceCSV(name, b)
	} else {
		feeds, err = ParseOPML(name, b)
	}
	if err != nil {
		t.Fatal(err)
	}
	return feeds
}

// keptInOrder reports whether every line of old is in new, in order,
// unchanged, except the lines listed in changed (1-based, in old).
func keptInOrder(old, new []byte, changed ...int) bool {
	ol, nl := strings.Split(string(old), "\n"), strings.Split(string(new), "\n")
	j := 0
	for i, l := range ol {
		if slices.Contains(changed, i+1) {
			continue
		}
		for j < len(nl) && nl[j] != l {
			j++
		}
		if j == len(nl) {
			return false
		}
		j++
	}
	return true
}

// TestImportLists adds each tool's export to one config: the result is
// the golden file, it validates, the original's lines are all there in
// order (the one flow list that gained a feed excepted), and the counts
// of new and known feeds are right.
func TestImportLists(t *testing.T) {
	base := readFixture(t, "base.yaml")
	tests := []struct {
		file        string
		outlets     []string
		newFeeds    int
		known       int
		invalid     int
		changedLine []int // lines of base.yaml edited in place (a flow list)
	}{
		// themoscowtimes/rss/news is known under another form; the opinion
		// feed joins the outlet; Meduza's English feed joins meduza (same
		// site, no language given).
		{file: "feedly.opml", outlets: []string{"tass", "the-kyiv-independent"}, newFeeds: 5, known: 1, changedLine: []int{15}},
		{file: "inoreader.xml", outlets: []string{"bbc-news-world", "al-jazeera-breaking-news", "yna-co-kr"}, newFeeds: 4, known: 1, invalid: 1},
		{file: "miniflux.opml", outlets: []string{"novaya-gazeta-europe", "nk-news"}, newFeeds: 3},
		// Media Cloud feeds: Meduza's podcasts join meduza, Reuters is new.
		{file: "mediacloud-feeds.csv", outlets: []string{"reuters"}, newFeeds: 3, known: 1, changedLine: []int{15}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			out, rep, err := AddFeeds("feeds.yaml", base, parseList(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "opml", tt.file+".golden.yaml")
			if *update {
				os.WriteFile(golden, out, 0o644)
			}
			if want, _ := os.ReadFile(golden); !bytes.Equal(out, want) {
				t.Errorf("result differs from %s (go test ./config -run ImportLists -update):\n%s", golden, out)
			}
			if _, err := Parse("feeds.yaml", out); err != nil {
				t.Errorf("result does not validate: %v", err)
			}
			if !keptInOrder(base, out, tt.changedLine...) {
				t.Errorf("the original's lines are not all kept in order:\n%s", out)
			}
			if !slices.Equal(rep.NewOutlets, tt.outlets) || rep.NewFeeds != tt.newFeeds || rep.Known != tt.known || len(rep.Invalid) != tt.invalid {
				t.Errorf("report %+v; want outlets %q, %d new, %d known, %d invalid", rep, tt.outlets, tt.newFeeds, tt.known, tt.invalid)
			}
			// Importing the same list again adds nothing.
			again, rep2, err := AddFeeds("feeds.yaml", out, parseList(t, tt.file))
			if err != nil || !bytes.Equal(again, out) || rep2.NewFeeds != 0 || len(rep2.NewOutlets) != 0 {
				t.Errorf("second import changed the file: %v %+v", err, rep2)
			}
		})
	}
}

func TestSourceListRefused(t *testing.T) {
	_, err := ParseSourceCSV("sources.csv", readFixture(t, "mediacloud-sources.csv"))
	if err == nil || !strings.Contains(err.Error(), "source list") || !strings.Contains(err.Error(), "feed_url") {
		t.Errorf("err %v; want a message that it lists sources, not feeds", err)
	}
	if _, err := ParseSourceCSV("x.csv", []byte("a,b\n1,2\n")); err == nil || !strings.Contains(err.Error(), "no column of feed URLs") {
		t.Errorf("csv without feeds: %v", err)
	}
	if _, err := ParseOPML("x.opml", []byte(`<opml><body><outline text="empty"/></body></opml>`)); err == nil || !strings.Contains(err.Error(), "no feeds") {
		t.Errorf("opml without feeds: %v", err)
	}
}

// TestOPMLRoundTrip: a config written as OPML and imported into a config
// that has none of its outlets gives back the same outlets, with their
// names, titles, languages and feeds; imported into itself, nothing.
func TestOPMLRoundTrip(t *testing.T) {
	orig, err := Parse("feeds.yaml", readFixture(t, "base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteOPML(&b, orig, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	feeds, err := ParseOPML("export.opml", b.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	other := []byte("outlets:\n  - name: other\n    feeds: [https://other.example/rss]\n")
	out, _, err := AddFeeds("other.yaml", other, feeds)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("other.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Outlets) != len(orig.Outlets)+1 {
		t.Fatalf("%d outlets back, want %d:\n%s", len(back.Outlets)-1, len(orig.Outlets), out)
	}
	for i, o := range orig.Outlets {
		g := back.Outlets[i+1]
		if g.Name != o.Name || g.Title != o.Title || g.Language != o.Language || !slices.Equal(g.Feeds, o.Feeds) {
			t.Errorf("outlet %d: got %s %q %q %q, want %s %q %q %q", i, g.Name, g.Title, g.Language, g.Feeds, o.Name, o.Title, o.Language, o.Feeds)
		}
	}
	same, rep, err := AddFeeds("feeds.yaml", readFixture(t, "base.yaml"), feeds)
	if err != nil || !bytes.Equal(same, readFixture(t, "base.yaml")) || rep.Known != 3 {
		t.Errorf("import into itself: %v %+v", err, rep)
	}
}

func TestFeedKey(t *testing.T) {
	same := [][2]string{
		{"http://www.Example.com/rss/", "https://example.com/rss"},
		{"https://example.com:443/rss#top", "https://example.com/rss"},
	}
	for _, p := range same {
		if FeedKey(p[0]) != FeedKey(p[1]) {
			t.Errorf("%s and %s are one feed: %s %s", p[0], p[1], FeedKey(p[0]), FeedKey(p[1]))
		}
	}
	differ := [][2]string{
		{"https://example.com/rss?lang=en", "https://example.com/rss?lang=ru"},
		{"https://example.com/rss", "https://example.com:8080/rss"},
		{"https://example.com/RSS", "https://example.com/rss"},
	}
	for _, p := range differ {
		if FeedKey(p[0]) == FeedKey(p[1]) {
			t.Errorf("%s and %s are two feeds", p[0], p[1])
		}
	}
}

// TestAddRefusesBadResult: an edit that would not validate is refused,
// and a config that does not load is not edited.
func TestAddRefusesBadResult(t *testing.T) {
	if _, _, err := AddFeeds("f.yaml", []byte("outlets: 3\n"), []Imported{{URL: "https://a.example/rss"}}); err == nil || !strings.Contains(err.Error(), "not edited") {
		t.Errorf("broken config: %v", err)
	}
	// An outlet name that exists under another letter case is no name.
	base := []byte("outlets:\n  - name: a\n    feeds: [https://a.example/rss]\n")
	out, rep, err := AddFeeds("f.yaml", base, []Imported{{URL: "https://b.example/rss", Outlet: "Bad Name!"}})
	if err != nil || len(rep.NewOutlets) != 1 || !outlet.ValidName(rep.NewOutlets[0]) {
		t.Errorf("outlet from a bad name: %v %+v\n%s", err, rep, out)
	}
}

func FuzzParseOPML(f *testing.F) {
	for _, n := range []string{"feedly.opml", "inoreader.xml", "miniflux.opml"} {
		b, _ := os.ReadFile(filepath.Join("testdata", "opml", n))
		f.Add(b)
	}
	base, _ := os.ReadFile(filepath.Join("testdata", "opml", "base.yaml"))
	f.Fuzz(func(t *testing.T, b []byte) {
		feeds, err := ParseOPML("fuzz.opml", b)
		if err != nil {
			return
		}
		out, _, err := AddFeeds("feeds.yaml", base, feeds)
		if err != nil {
			return
		}
		if _, err := Parse("feeds.yaml", out); err != nil {
			t.Fatalf("AddFeeds returned a config that does not validate: %v", err)
		}
	})
}

func FuzzParseSourceCSV(f *testing.F) {
	for _, n := range []string{"mediacloud-feeds.csv", "mediacloud-sources.csv"} {
		b, _ := os.ReadFile(filepath.Join("testdata", "opml", n))
		f.Add(b)
	}
	base, _ := os.ReadFile(filepath.Join("testdata", "opml", "base.yaml"))
	f.Fuzz(func(t *testing.T, b []byte) {
		feeds, err := ParseSourceCSV("fuzz.csv", b)
		if err != nil {
			return
		}
		if len(feeds) == 0 {
			t.Fatal("no feeds and no error")
		}
		out, _, err := AddFeeds("feeds.yaml", base, feeds)
		if err != nil {
			return
		}
		if _, err := Parse("feeds.yaml", out); err != nil {
			t.Fatalf("AddFeeds returned a config that does not validate: %v", err)
		}
	})
}

// TestImportCannotInject: titles and categories with newlines stay text
// on one line; they cannot add keys or outlets to the config.
func TestImportCannotInject(t *testing.T) {
	opml := []byte(`<opml version="2.0"><body><outline text="x&#10;  - name: injected&#10;    feeds: [https://evil.example/rss]">
<outline text="Evil&#10;    robots: ignore" language="en&#10;    robots: ignore" xmlUrl="https://evil.example/feed"/></outline></body></opml>`)
	feeds, err := ParseOPML("x.opml", opml)
	if err != nil {
		t.Fatal(err)
	}
	out, rep, err := AddFeeds("feeds.yaml", readFixture(t, "base.yaml"), feeds)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("feeds.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.NewOutlets) != 1 || len(cfg.Outlets) != 4 || !cfg.Outlets[3].Robots || strings.Contains(string(out), "\n    robots: ignore") {
		t.Errorf("injected:\n%s", out)
	}
}

// TestAddFeedsShapes: lists at column 0, a file without a final newline,
// and a feeds list written [ ... ] over lines (refused, with the feeds to
// add by hand).
func TestAddFeedsShapes(t *testing.T) {
	add := []Imported{{URL: "https://a.example/new"}, {URL: "https://b.example/rss", Title: "B News"}}
	tests := []struct {
		name, src string
		want      map[string][]string // outlet -> feeds
		errHas    string
	}{
		{name: "column 0", src: "outlets:\n- name: a\n  feeds:\n  - https://a.example/rss\n",
			want: map[string][]string{"a": {"https://a.example/rss", "https://a.example/new"}, "b-news": {"https://b.example/rss"}}},
		{name: "no final newline", src: "outlets:\n  - name: a\n    feeds: [https://a.example/rss]",
			want: map[string][]string{"a": {"https://a.example/rss", "https://a.example/new"}, "b-news": {"https://b.example/rss"}}},
		{name: "flow outlet", src: "outlets:\n  - {name: a, feeds: [https://a.example/rss, 'https://a.example/x]'], extract: {remove: [\".x\"]}}\n",
			want: map[string][]string{"a": {"https://a.example/rss", "https://a.example/x]", "https://a.example/new"}, "b-news": {"https://b.example/rss"}}},
		{name: "flow list over lines", src: "outlets:\n  - name: a\n    feeds: [\n      https://a.example/rss]\n", errHas: "add these by hand: https://a.example/new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := AddFeeds("f.yaml", []byte(tt.src), add)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("err %v, want %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := Parse("f.yaml", out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			got := map[string][]string{}
			for _, o := range cfg.Outlets {
				got[o.Name] = o.Feeds
			}
			for name, feeds := range tt.want {
				if !slices.Equal(got[name], feeds) {
					t.Errorf("%s: %q, want %q\n%s", name, got[name], feeds, out)
				}
			}
			// Take the additions out: the original is left.
			back := strings.Replace(string(out), ", https://a.example/new", "", 1)
			back = strings.Replace(back, "  - https://a.example/new\n", "", 1)
			back = back[:strings.Index(back, "- name: b-news")]
			back = strings.TrimRight(back, " \n")
			if back != strings.TrimRight(tt.src, "\n") {
				t.Errorf("the original is not kept:\n%q\n%q", back, tt.src)
			}
		})
	}
}
