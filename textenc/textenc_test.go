package textenc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

func TestDecode(t *testing.T) {
	ru := "Министр иностранных дел прибыла в Москву для переговоров"
	cp1251, _ := charmap.Windows1251.NewEncoder().String(ru)
	koi8, _ := charmap.KOI8R.NewEncoder().String(ru)
	latin, _ := charmap.Windows1252.NewEncoder().String("Mãe de utente é a nova presidente da Raríssimas")
	ko, _ := korean.EUCKR.NewEncoder().String("북한 외무상이 러시아에 도착했다 모스크바 회담")
	enc := func(e encoding.Encoding, s string) string {
		out, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatalf("encoding %q: %v", s, err)
		}
		return out
	}
	zh, ja, tw := "中华人民共和国国务院新闻办公室今天的新闻", "日本語のニュース今日の天気は晴れです", "中華民國臺灣新聞今天的天氣很好"
	th, he := "<title>ข่าวภาษาไทย วันนี้อากาศดี</title>", "<title>חדשות בעברית היום מזג האוויר נאה</title>"
	decl := func(cs, body string) string {
		return `<?xml version="1.0" encoding="` + cs + `"?><rss><title>` + body + `</title></rss>`
	}
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
		{"ascii labelled by the header", decl("utf-8", "plain"), "application/xml; charset=ISO-8859-1", "plain", "iso-8859-1"},
		{"ascii in text/xml without charset", decl("iso-8859-2", "plain"), "text/xml", "plain", "us-ascii"},
		{"ascii labelled by its declaration", decl("ISO-8859-2", "plain"), "application/rss+xml", "plain", "iso-8859-2"},
		{"ascii with no label", "<rss>plain</rss>", "", "plain", "utf-8"},
		{"ascii declaring utf-16 (a lie)", decl("utf-16", "plain"), "", "plain", "utf-8"},
		{"utf-8 bom and one invalid byte", "\xef\xbb\xbf<rss>caf\xe9 ok</rss>", "", "caf\uFFFD ok", "utf-8"},
		{"declared utf-8 with one invalid byte", decl("utf-8", "Ferien in K\xf6ln: Grüße aus Köln, Düsseldorf und Mönchengladbach"), "", "K\uFFFDln", "utf-8"},
		{"utf-16le without bom", enc(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), decl("utf-16", "Привет")), "", "Привет", "utf-16le"},
		{"utf-16be without bom", enc(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), decl("utf-16", "Привет")), "", "Привет", "utf-16be"},
		{"utf-16le bom", enc(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "<rss>Привет</rss>"), "", "Привет", "utf-16le"},
		{"utf-32le bom (not utf-16)", "\xff\xfe\x00\x00" + enc(utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "<rss>Привет</rss>"), "", "Привет", "utf-32le"},
		{"utf-32be bom", "\x00\x00\xfe\xff" + enc(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "<rss>Привет</rss>"), "", "Привет", "utf-32be"},
		{"utf-32le without bom", enc(utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), decl("utf-32", "Привет")), "", "Привет", "utf-32le"},
		{"utf-32be without bom", enc(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), decl("utf-32", "Привет")), "", "Привет", "utf-32be"},
		{"gb2312 sniffed", enc(simplifiedchinese.GBK, zh), "", zh, "gb2312"},
		{"euc-jp sniffed", enc(japanese.EUCJP, ja), "", ja, "euc-jp"},
		{"shift_jis sniffed", enc(japanese.ShiftJIS, ja), "", ja, "shift_jis"},
		{"big5 sniffed", enc(traditionalchinese.Big5, tw), "", tw, "big5"},
		{"tis-620 sniffed", enc(charmap.Windows874, th), "", th, "tis-620"},
		{"windows-1255 sniffed", enc(charmap.Windows1255, he), "", he, "windows-1255"},
		{"cp437 declared", decl("cp437", enc(charmap.CodePage437, "Größe ±½")), "", "Größe ±½", "cp437"},
		{"ibm850 declared", decl("IBM850", enc(charmap.CodePage850, "Größe ±½")), "", "Größe ±½", "cp850"},
		{"mac-roman declared", decl("macintosh", enc(charmap.Macintosh, "Größe ± …")), "", "Größe ± …", "mac-roman"},
		{"ebcdic", enc(charmap.CodePage037, decl("cp037", "Hello EBCDIC")), "", "Hello EBCDIC", "cp037"},
		{"latin-1 declared, windows-1252 bytes", decl("iso-8859-1", "it\x92s caf\xe9"), "", "it’s café", "windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decode([]byte(tt.body), tt.ctype)
			if !strings.Contains(string(r.Text), tt.want) || r.Charset != tt.charset {
				t.Errorf("got %q (%s), want %q (%s)", shorten(string(r.Text)), r.Charset, tt.want, tt.charset)
			}
		})
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
