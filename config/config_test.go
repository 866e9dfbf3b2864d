package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestValidConfigAndDefaults(t *testing.T) {
	cfg, err := Parse("feeds.yaml", []byte(`
defaults:
  interval: 20m
  per_host_conns: 3
  max_page_bytes: 2MiB
  memory_budget: 256MiB
outlets:
  - name: themoscowtimes
    feeds: [https://www.themoscowtimes.com/rss/news]
  - name: yonhap
    interval: 5m
    robots: ignore
    feeds:
      - https://en.yna.co.kr/RSS/news.xml
    extract:
      content: article .body
      remove: [".ad", "div.related"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Outlets) != 2 {
		t.Fatalf("%d outlets", len(cfg.Outlets))
	}
	mt, yn := cfg.Outlets[0], cfg.Outlets[1]
	if mt.Interval != 20*time.Minute || !mt.Robots || yn.Interval != 5*time.Minute || yn.Robots {
		t.Errorf("intervals/robots: %+v %+v", mt, yn)
	}
	if cfg.Defaults.PerHostConns != 3 || cfg.Defaults.MaxPageBytes != 2<<20 || cfg.Defaults.Timeout != DefaultTimeout || cfg.Defaults.MemoryBudget != 256<<20 {
		t.Errorf("defaults: %+v", cfg.Defaults)
	}
	if len(yn.Extract.Content) != 1 || len(yn.Extract.Remove) != 2 {
		t.Errorf("rules: %+v", yn.Extract)
	}
}

func TestConfigErrorsNameFileLineAndField(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown key", "outlets:\n  - name: a\n    feeds: [http://x.org/f]\n    intervall: 5m\n",
			[]string{`f.yaml:4:5: outlets[0].intervall: unknown field "intervall"; did you mean "interval"?`}},
		{"bad url", "outlets:\n  - name: a\n    feeds: [htp://x.org/f, /relative]\n",
			[]string{`f.yaml:3:13: outlets[0].feeds[0]: "htp://x.org/f" is not an absolute http(s) URL`, `outlets[0].feeds[1]: "/relative"`}},
		{"url without its scheme", "outlets:\n  - name: a\n    feeds: [localhost/f, example.com/rss]\n",
			[]string{"outlets[0].feeds[0]: \"localhost/f\" is not an absolute http(s) URL\n", `outlets[0].feeds[1]: "example.com/rss" is not an absolute http(s) URL (did you mean "https://example.com/rss"?)`}},
		{"bad duration", "defaults:\n  interval: 5 mins\noutlets:\n  - name: a\n    feeds: [http://x.org/f]\n",
			[]string{`f.yaml:2:13: defaults.interval: invalid duration "5 mins"`}},
		{"too short", "outlets:\n  - name: a\n    interval: 10s\n    feeds: [http://x.org/f]\n",
			[]string{`f.yaml:3:15: outlets[0].interval: 10s is too short`}},
		{"bad selector", "outlets:\n  - name: a\n    feeds: [http://x.org/f]\n    extract:\n      remove: ['div[[']\n",
			[]string{`f.yaml:5:16: outlets[0].extract.remove[0]: invalid CSS selector "div[["`}},
		{"missing feeds and bad name", "outlets:\n  - name: The Times\n",
			[]string{`outlets[0].name: "The Times": use lower-case`, `outlets[0].feeds: missing`}},
		{"duplicate outlet and feed", "outlets:\n  - name: a\n    feeds: [http://x.org/f]\n  - name: a\n    feeds: [http://x.org/f]\n",
			[]string{`"a" is already the name of the outlet at line 2`, `http://x.org/f is already a feed of outlet "a"`}},
		{"no outlets", "defaults: {}\n", []string{"outlets: missing"}},
		{"empty file", "", []string{"the file is empty"}},
		{"not yaml", "outlets: [\n", []string{"f.yaml:"}},
		{"wrong shape", "outlets:\n  name: a\n", []string{"f.yaml:2:3: outlets: expected a list of outlets"}},
		{"bad size", "defaults:\n  max_page_bytes: 10 potatoes\noutlets:\n  - name: a\n    feeds: [http://x.org/f]\n", []string{`defaults.max_page_bytes: invalid size "10 potatoes"`}},
		{"memory budget too small", "defaults:\n  memory_budget: 4MiB\noutlets:\n  - name: a\n    feeds: [http://x.org/f]\n", []string{`f.yaml:2:18: defaults.memory_budget: "4MiB" is too small: give at least 16MiB`}},
		{"bad robots", "outlets:\n  - name: a\n    robots: maybe\n    feeds: [http://x.org/f]\n", []string{`outlets[0].robots: "maybe": write obey or ignore`}},
		{"user agent without feedvault", "defaults:\n  user_agent: Mozilla/5.0\noutlets:\n  - name: a\n    feeds: [http://x.org/f]\n", []string{"defaults.user_agent", "must name feedvault"}},
		{"repeated key", "outlets:\n  - name: a\n    name: b\n    feeds: [http://x.org/f]\n", []string{"f.yaml:3:5: outlets[0].name: given twice"}},
		{"port out of range", "outlets:\n  - name: a\n    feeds:\n      - http://x.org:99999/f\n",
			[]string{`f.yaml:4:9: outlets[0].feeds[0]: "http://x.org:99999/f": port 99999 is out of range (1-65535)`}},
		{"port 0", "outlets:\n  - name: a\n    feeds: [http://x.org:0/f]\n", []string{`f.yaml:3:13: outlets[0].feeds[0]: "http://x.org:0/f": port 0 is out of range`}},
		{"no host name", "outlets:\n  - name: a\n    feeds: [http://:8080/f]\n", []string{`outlets[0].feeds[0]: "http://:8080/f" is not an absolute http(s) URL`}},
	}
	for _, tt := range tests {
		_, err := Parse("f.yaml", []byte(tt.yaml))
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q:\n%v", tt.name, w, err)
			}
		}
	}
}

// A password in a feed URL is kept for fetching, and never shown.
func TestFeedPasswordRedactedInErrors(t *testing.T) {
	const secret = "hunter2"
	cfg, err := Parse("f.yaml", []byte("outlets:\n  - name: a\n    feeds: [https://alice:"+secret+"@x.org/f]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Outlets[0].Feeds[0]; got != "https://alice:"+secret+"@x.org/f" {
		t.Errorf("feed %q: the credentials must be kept for fetching", got)
	}
	for _, y := range []string{
		"outlets:\n  - name: a\n    feeds: [https://alice:" + secret + "@x.org:70000/f]\n",
		"outlets:\n  - name: a\n    feeds: [https://alice:" + secret + "@x.org/f]\n  - name: b\n    feeds: [https://alice:" + secret + "@x.org/f]\n",
		"outlets:\n  - name: a\n    feeds: [ftp://alice:" + secret + "@x.org/f]\n",
	} {
		_, err := Parse("f.yaml", []byte(y))
		if err == nil {
			t.Fatalf("no error for %q", y)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the password is in the error: %v", err)
		}
	}
}

func TestShippedConfigIsValid(t *testing.T) {
	cfg, err := Load("../feeds.yaml")
	if err != nil {
		t.Fatal(err)
	}
	has := map[string]bool{}
	for _, o := range cfg.Outlets {
		has[o.Name] = true
		if o.Name == "themoscowtimes" && o.Feeds[0] != "https://www.themoscowtimes.com/rss/news" {
			t.Errorf("Moscow Times feed: %v", o.Feeds)
		}
	}
	if !has["themoscowtimes"] {
		t.Error("feeds.yaml lacks The Moscow Times")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("outlets:\n  - name: a\n    feeds: [http://x.org/f]\n"))
	f.Add([]byte("defaults:\n  interval: 5m\noutlets: []\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := Parse("f.yaml", b)
		if err == nil && len(cfg.Outlets) == 0 {
			t.Fatal("a config without outlets validated")
		}
	})
}

// TestLoadRefusesHugeOrEndlessFiles: Load read the whole file, so a
// config that became /dev/zero (a bad symbolic link) or a runaway
// generated file took the daemon's memory on SIGHUP. It stops at
// MaxFileBytes and says what is wrong.
func TestLoadRefusesHugeOrEndlessFiles(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.yaml")
	b := []byte("outlets:\n  - name: o\n    feeds: [\"https://o.example/rss\"]\n")
	b = append(b, bytes.Repeat([]byte("# padding\n"), MaxFileBytes/10+1)...)
	if err := os.WriteFile(huge, b, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path string }{{"huge file", huge}, {"endless device", "/dev/zero"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.path); err != nil {
				t.Fatalf("%s: %v", tt.path, err)
			}
			_, err := Load(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.path+": larger than") {
				t.Errorf("Load(%s): %v", tt.path, err)
			}
		})
	}
}
