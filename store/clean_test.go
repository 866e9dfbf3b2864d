package store

import "testing"

func TestCleanText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiline bool
		want      string
	}{
		{"clean", "Troops near Kursk", false, "Troops near Kursk"},
		{"colour", "\x1b[31mRed\x1b[0m title", false, "Red title"},
		{"title sequence", "a\x1b]0;pwned\x07b", false, "ab"},
		{"osc with ST", "a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", false, "alinkb"},
		{"C1 CSI", "a\u009b2Jb", false, "ab"},
		{"bell and nul", "a\x07b\x00c", false, "abc"},
		{"newline in a title", "a\nb\tc", false, "a b c"},
		{"text keeps paragraphs", "a\r\n\r\nb\tc", true, "a\n\nb\tc"},
		{"lone CR", "a\rb", true, "a b"},
		{"cyrillic and korean", "Министр 북한", false, "Министр 북한"},
		{"ESC at end", "abc\x1b", false, "abc"},
		{"paragraphs, valid", "a\n\nb\tc «d»", true, "a\n\nb\tc «d»"},
		{"paragraphs, invalid UTF-8", "a\n\xffb", true, "a\n\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanText(tt.in, tt.multiline); got != tt.want {
				t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Text fields are cleaned on the way in; the raw page stays raw.
func TestPutCleansFieldsKeepsRaw(t *testing.T) {
	s, _ := openTemp(t)
	raw := "<title>\x1b[2J</title>"
	a := &Article{URL: "https://x.org/a", Outlet: "x", Title: "\x1b[31mT\x1b[0m", Authors: []string{"A\x1b[1mB"}, Text: "x\x07y", FirstSeen: day(1)}
	id, _, err := s.Put(a, []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "T" || got.Authors[0] != "AB" || got.Text != "xy" {
		t.Errorf("stored %q %q %q", got.Title, got.Authors, got.Text)
	}
	if r, err := s.Raw(id); err != nil || string(r) != raw {
		t.Errorf("raw page changed: %q %v", r, err)
	}
}

func FuzzCleanText(f *testing.F) {
	f.Add("\x1b[31mRed\x1b[0m", true)
	f.Add("a\u009b2Jb\x1b]0;x\x07", false)
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		out := cleanText(s, multiline)
		for _, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("cleanText(%q) kept %U: %q", s, r, out)
			}
			if !multiline && (r == '\n' || r == '\t') {
				t.Fatalf("one-line cleanText(%q) kept %U", s, r)
			}
		}
	})
}

// Title and text are stored outside the JSON frame, and still come back
// as JSON would have stored them: invalid UTF-8 as U+FFFD, byte by byte.
func TestTextFrameStoresAsJSON(t *testing.T) {
	s, _ := openTemp(t)
	a := &Article{URL: "https://x.org/u", Outlet: "x", Title: "T\xffi\xfe", Text: "x \xff\xfey <b>&amp;</b> \u2028", FirstSeen: day(1)}
	id, _, err := s.Put(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "T\uFFFDi\uFFFD" || got.Text != "x \uFFFD\uFFFDy <b>&amp;</b> \u2028" {
		t.Errorf("got %q / %q", got.Title, got.Text)
	}
}
