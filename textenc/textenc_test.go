package textenc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/korean"
)

func TestDecode(t *testing.T) {
	ru := "Министр иностранных дел прибыла в Москву для переговоров"
	cp1251, _ := charmap.Windows1251.NewEncoder().String(ru)
	koi8, _ := charmap.KOI8R.NewEncoder().String(ru)
	latin, _ := charmap.Windows1252.NewEncoder().String("Mãe de utente é a nova presidente da Raríssimas")
	ko, _ := korean.EUCKR.NewEncoder().String("북한 외무상이 러시아에 도착했다 모스크바 회담")
	tests := []struct {
		name, body, ctype, want, charset string
	}{
		{"utf8 no declaration", ru, "", ru, "utf-8"},
		{"utf8 wins over wrong declaration", `<meta charset="windows-1251">` + ru, "", ru, "utf-8"},
		{"utf8 wins over wrong header", ru, "text/html; charset=iso-8859-1", ru, "utf-8"},
		{"windows-1251 declared in header", cp1251, "text/html; charset=windows-1251", ru, "windows-1251"},
		{"windows-1251 in meta", `<meta charset="windows-1251">` + cp1251, "", ru, "windows-1251"},
		{"windows-1251 sniffed", cp1251, "", ru, "windows-1251"},
		{"koi8-r sniffed", koi8, "", ru, "koi8-r"},
		{"koi8-r in xml prolog", `<?xml version="1.0" encoding="KOI8-R"?>` + koi8, "", ru, "koi8-r"},
		{"latin-1 undeclared", latin, "", "Mãe de utente é a nova presidente da Raríssimas", "windows-1252"},
		{"euc-kr sniffed", ko, "", "북한 외무상이 러시아에 도착했다 모스크바 회담", "euc-kr"},
		{"bom", "\xef\xbb\xbfhello", "", "hello", "utf-8"},
	}
	for _, tt := range tests {
		r := Decode([]byte(tt.body), tt.ctype)
		if !strings.Contains(string(r.Text), tt.want) || r.Charset != tt.charset {
			t.Errorf("%s: got %q (%s), want %q (%s)", tt.name, shorten(string(r.Text)), r.Charset, tt.want, tt.charset)
		}
	}
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:80]
	}
	return s
}

// The real feeds in ../shared: legacy encodings with and without a declaration.
func TestSharedFeeds(t *testing.T) {
	dir := "../../shared/testdata/feeds"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/testdata/feeds is absent; skipping the real-feed charset checks")
	}
	tests := []struct{ file, charset, want string }{
		{"oren-ru-windows1251.xml", "windows-1251", "Бузулуке"},
		{"ibash-ru-windows1251.xml", "windows-1251", "Цитата"},
		{"koi8r-no-declaration.xml", "koi8-r", "Как пережить новогоднюю ночь"},
		{"koi8r-declared-synthetic.xml", "koi8-r", "Первая новость"},
		{"uol-no-declaration-latin1.rss", "windows-1252", "Notícias"},
		{"cerclepsy-no-declaration-latin1.xml", "windows-1252", "Perturbateurs endocriniens"},
		{"euc-kr-declared.xml", "euc-kr", "<title>년</title>"},
	}
	for _, tt := range tests {
		b, err := os.ReadFile(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		r := Decode(b, "")
		if r.Charset != tt.charset || !strings.Contains(string(r.Text), tt.want) {
			t.Errorf("%s: charset %s, want %s; contains %q: %v", tt.file, r.Charset, tt.charset, tt.want, strings.Contains(string(r.Text), tt.want))
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("<meta charset=koi8-r>\xf0\xd2\xc9"), "")
	f.Add([]byte("\xff\xfeh\x00i\x00"), "text/html; charset=utf-16")
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		r := Decode(b, ct)
		if !utf8Valid(r.Text) {
			t.Fatalf("output is not UTF-8 for %q (%s)", b, r.Charset)
		}
	})
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }
