package canon

import "testing"

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://Example.ORG:443/a/b?utm_source=rss&utm_medium=feed&id=7#comments", "https://example.org/a/b?id=7"},
		{"http://example.org:80/x?fbclid=1&gclid=2", "http://example.org/x"},
		{"http://example.org:8080/x?b=2&a=1", "http://example.org:8080/x?b=2&a=1"},
		{"https://example.org", "https://example.org/"},
		{"https://user:pw@example.org/x", "https://example.org/x"},
		{"https://www.washingtonpost.com/x?wprss=rss_national", "https://www.washingtonpost.com/x"},
		{"not a url", "not a url"},
		{"mailto:x@y.org", "mailto:x@y.org"},
		// The examples: news sharing and newsletter parameters.
		{"https://x.org/a?ref=hp&id=1", "https://x.org/a?id=1"},
		{"https://x.org/a?ref_src=twsrc%5Etfw", "https://x.org/a"},
		{"https://x.org/a?cmpid=rss&mc_cid=1&mc_eid=2&elqTrackId=3", "https://x.org/a"},
		{"https://x.org/a?itm_source=nav&int_campaign=x&mtm_campaign=y&piwik_kwd=z", "https://x.org/a"},
		// Content parameters stay.
		{"https://x.org/search?q=troops&page=2&cid=7&source=feed", "https://x.org/search?q=troops&page=2&cid=7&source=feed"},
		// IPv6 literals keep their brackets.
		{"http://[::1]:9000/x", "http://[::1]:9000/x"},
		{"http://[2001:DB8::1]/x?utm_source=a", "http://[2001:db8::1]/x"},
		{"https://[2001:db8::1]:443/x", "https://[2001:db8::1]/x"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeyMapsVariantsTogether(t *testing.T) {
	same := [][]string{
		{"https://www.example.org/news/a", "https://example.org/news/a/", "https://m.example.org/news/a", "https://amp.example.org/news/a", "https://www.example.org/news/a/amp", "http://example.org/news/a?utm_source=x"},
		{"https://example.org/a.html", "https://example.org/a.amp.html"},
	}
	for _, group := range same {
		k := Key(group[0])
		for _, u := range group[1:] {
			if Key(u) != k {
				t.Errorf("Key(%q) = %q, want %q", u, Key(u), k)
			}
		}
	}
	if Key("https://example.org/a") == Key("https://example.org/b") {
		t.Error("different pages share a key")
	}
}

func TestSameSite(t *testing.T) {
	if !SameSite("https://www.x.org/a", "https://m.x.org/b") || SameSite("https://x.org/a", "https://y.org/a") {
		t.Error("SameSite")
	}
}

// Every parameter of the vendored tidy-url list is stripped.
func TestTidyURLListIsUsed(t *testing.T) {
	if len(tidyURLGlobal) < 100 {
		t.Fatalf("the tidy-url list has %d names", len(tidyURLGlobal))
	}
	for _, k := range tidyURLGlobal {
		if got := URL("https://x.org/a?" + k + "=1&id=2"); got != "https://x.org/a?id=2" {
			t.Errorf("%s is kept: %s", k, got)
		}
	}
}

func TestKeyKeepsIPv6(t *testing.T) {
	if got := Key("http://[::1]:9000/news/a/amp"); got != "https://[::1]:9000/news/a" {
		t.Errorf("Key: %s", got)
	}
}
