package feedparse

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseInline(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		ctype     string
		err       error
		items     int
		firstLink string
		published time.Time
	}{
		{"json feed with null item", `{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[null,{"id":"1","url":"https://x.org/1","title":"one","date_published":"2024-10-29T08:42:00Z"}]}`, "application/feed+json", nil, 1, "https://x.org/1", time.Date(2024, 10, 29, 8, 42, 0, 0, time.UTC)},
		{"json feed only null", `{"version":"https://jsonfeed.org/version/1.1","items":[null]}`, "", nil, 0, "", time.Time{}},
		{"html page", "<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>", "text/html", ErrNotFeed, 0, "", time.Time{}},
		{"html without doctype", "\n  <html lang=en><body>hi</body></html>", "", ErrNotFeed, 0, "", time.Time{}},
		{"empty", "   ", "", ErrNotFeed, 0, "", time.Time{}},
		{"garbage", "\x00\x01\x02\xff", "", ErrNotFeed, 0, "", time.Time{}},
		{"truncated rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://x.org/a</li`, "", ErrParse, 0, "", time.Time{}},
		{"moscow time zone", `<rss version="2.0"><channel><item><title>a</title><link>https://x.org/a</link><pubDate>Tue, 29 Oct 2024 11:42:00 MSK</pubDate></item></channel></rss>`, "", nil, 1, "https://x.org/a", time.Date(2024, 10, 29, 8, 42, 0, 0, time.UTC)},
		{"guid as link", `<rss version="2.0"><channel><item><title>a</title><guid>https://x.org/g</guid></item></channel></rss>`, "", nil, 1, "https://x.org/g", time.Time{}},
	}
	for _, tt := range tests {
		f, err := Parse([]byte(tt.body), tt.ctype)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: err %v, want %v", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(f.Items) != tt.items {
			t.Errorf("%s: %d items, want %d", tt.name, len(f.Items), tt.items)
			continue
		}
		if strings.Contains(tt.body, "null") && f.Problem == "" {
			t.Errorf("%s: null items dropped without saying so", tt.name)
		}
		if tt.items > 0 && (f.Items[0].Link != tt.firstLink || !f.Items[0].Published.Equal(tt.published)) {
			t.Errorf("%s: first item %+v", tt.name, f.Items[0])
		}
	}
}

const feedsDir = "../../shared/testdata/feeds"

func TestParseCapped(t *testing.T) {
	items := func(open, close, item string, n int) string {
		var b strings.Builder
		b.WriteString(open)
		for i := 0; i < n; i++ {
			b.WriteString(strings.ReplaceAll(item, "N", strconv.Itoa(i)))
		}
		return b.String() + close
	}
	tests := []struct{ name, body string }{
		{"rss", items(`<?xml version="1.0"?><!-- c --><rss version="2.0"><channel><title>t</title>`, `</channel></rss>`, `<item><title>iN</title><link>https://x.org/N</link></item>`, 1000)},
		{"atom", items(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>`, `</feed>`, `<entry><title>iN</title><id>N</id><link href="https://x.org/N"/></entry>`, 1000)},
		{"rdf", items(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>t</title></channel>`, `</rdf:RDF>`, `<item><title>iN</title><link>https://x.org/N</link></item>`, 1000)},
		{"json", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[` + strings.TrimSuffix(items("", "", `{"id":"N","url":"https://x.org/N"},`, 1000), ",") + `]}`},
	}
	for _, tt := range tests {
		f, err := ParseCapped([]byte(tt.body), "", 50)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(f.Items) != 50 || f.TotalItems != 1000 || f.Items[49].Link != "https://x.org/49" {
			t.Errorf("%s: %d items of %d, last %+v", tt.name, len(f.Items), f.TotalItems, f.Items[len(f.Items)-1])
		}
	}
}

func TestRSSHints(t *testing.T) {
	f, err := Parse([]byte(`<rss version="2.0"><channel><title>t</title><ttl>600</ttl><skipHours><hour>0</hour><hour>23</hour></skipHours><skipDays><day>Sunday</day></skipDays><item><title>a</title><link>https://x.org/a</link></item></channel></rss>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.TTL != 10*time.Hour || len(f.SkipHours) != 2 || f.SkipHours[1] != 23 || len(f.SkipDays) != 1 || f.SkipDays[0] != time.Sunday {
		t.Errorf("ttl %s, skip hours %v, skip days %v", f.TTL, f.SkipHours, f.SkipDays)
	}
}

func TestSharedFeeds(t *testing.T) {
	if _, err := os.Stat(feedsDir); err != nil {
		t.Skip("../shared/testdata/feeds is absent; skipping the real-feed checks")
	}
	tests := []struct {
		file, typ  string
		items      int
		firstTitle string
		firstLink  string
	}{
		{"oren-ru-windows1251.xml", "rss", 10, "В Бузулуке главные стройплощадки", "http://www.oren.ru/news/2743422/"},
		{"ibash-ru-windows1251.xml", "rss", 50, "Цитата #17703", ""},
		{"koi8r-no-declaration.xml", "rss", 1, "Как пережить новогоднюю ночь", ""},
		{"koi8r-declared-synthetic.xml", "rss", 2, "Первая новость", ""},
		{"uol-no-declaration-latin1.rss", "rss", 15, "Ibope: Bolsonaro perde de Haddad", ""},
		{"cerclepsy-no-declaration-latin1.xml", "rss", 10, "Perturbateurs endocriniens", ""},
		{"jn-pt-iso8859-1.rss", "rss", 40, "Mãe de utente é a nova presidente da Raríssimas", "https://www.jn.pt/nacional/interior/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html"},
		{"craigslist-rss10-rdf.rss", "rss", 25, "", ""},
		{"rss090-rdf.xml", "rss", 60, "OLED-TVs", ""},
		{"rss092-example.rss", "rss", 2, "The First Item", ""},
		{"feedburner-atom.xml", "atom", 25, "AdWords and DFP Java client library", ""},
		{"npr-technology-jsonfeed.json", "json", 25, "Keller Rinaudo", ""},
		{"nshipster-invalid-chars.xml.gz", "rss", 25, "NSOperation", ""},
		{"chosun-national-rss-ko.xml", "rss", 100, "제주 실종 담당 경찰관", ""},
		{"saxerror-unescaped-amp.xml", "rss", 3, "Good Item", ""},
		{"pcmag-illegally-nested.xml", "rss", 10, "", ""},
		{"bbc-urdu-rss.xml", "rss", 26, "", ""},
		{"rss-utf8-bom.xml", "rss", 0, "", ""},
	}
	for _, tt := range tests {
		b, err := os.ReadFile(filepath.Join(feedsDir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(b, "")
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if f.Type != tt.typ || len(f.Items) != tt.items {
			t.Errorf("%s: type %s, %d items; want %s, %d", tt.file, f.Type, len(f.Items), tt.typ, tt.items)
			continue
		}
		if tt.firstTitle != "" && !strings.HasPrefix(f.Items[0].Title, tt.firstTitle) {
			t.Errorf("%s: first title %q, want prefix %q", tt.file, f.Items[0].Title, tt.firstTitle)
		}
		if tt.firstLink != "" && f.Items[0].Link != tt.firstLink {
			t.Errorf("%s: first link %q, want %q", tt.file, f.Items[0].Link, tt.firstLink)
		}
	}
	// The truncated Moscow Times excerpt keeps its one complete item and
	// says what was wrong (loose mode), rather than losing the feed.
	b, _ := os.ReadFile(filepath.Join(feedsDir, "themoscowtimes-rss-opinion.TRUNCATED-excerpt.xml"))
	f, err := Parse(b, "")
	if err != nil || len(f.Items) != 1 || !strings.Contains(f.Problem, "malformed") {
		t.Errorf("truncated feed: %v, want 1 item kept and a problem; got %+v", err, f)
	}
}

// FuzzParse feeds arbitrary bytes through the whole feed path: charset
// detection, gzip sniffing, the loose XML reader, gofeed for JSON. It must
// return items or an error,
// never panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[null]}`))
	f.Add([]byte(`<rss version="2.0"><channel><item><title>a</title><link>https://x.org/a</link></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id></entry></feed>`))
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"))
	if files, _ := filepath.Glob(filepath.Join(feedsDir, "*.xml")); len(files) > 0 {
		for _, p := range files[:min(len(files), 5)] {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		feed, err := Parse(b, "")
		if err == nil && feed == nil {
			t.Fatal("nil feed without error")
		}
	})
}
