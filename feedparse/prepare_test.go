package feedparse

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestSplitAuthors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ann Lee", "Ann Lee"},
		{"Ann Lee <ann@example.org>", "Ann Lee"},
		{"ann@example.org (Ann Lee)", "Ann Lee"},
		{"Ann Lee (ann@example.org)", "Ann Lee"},
		{"ann@example.org", "ann@example.org"},
		{"<ann@example.org>", "ann@example.org"},
		{"홍길동 기자, 김철수 기자", "홍길동|김철수"},
		{"용인=김수언 기자", "김수언"},
		{"Smith and Jones", "Smith|Jones"},
		{"Ann Lee, Bo Kim and Cy Young", "Ann Lee|Bo Kim|Cy Young"},
		{"By Ann Lee & Bo Kim", "Ann Lee|Bo Kim"},
		{"Smith, John", "Smith, John"},
		{"Ann Lee; Bo Kim", "Ann Lee|Bo Kim"},
		{"  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := strings.Join(SplitAuthors(tt.in), "|"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// nested builds a feed whose first item is fine and whose second holds n
// nested elements.
func nested(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<rss version="2.0"><channel><title>t</title><item><title>kept</title><link>https://x.org/1</link></item><item><title>deep</title><description>`)
	for i := 0; i < n; i++ {
		b.WriteString("<a>")
	}
	for i := 0; i < n; i++ {
		b.WriteString("</a>")
	}
	b.WriteString(`</description></item></channel></rss>`)
	return b.Bytes()
}

// Deep nesting is cut before the parser sees it: the items before the
// cut are kept and the feed says what happened.
func TestDepthCap(t *testing.T) {
	tests := []struct {
		name  string
		depth int
		items int
		cut   bool
	}{
		{"shallow", 20, 2, false},
		{"at the cap", MaxDepth - 4, 2, false}, // rss, channel, item, description
		{"past the cap", MaxDepth, 1, true},
		{"hostile", 200_000, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(nested(tt.depth), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Items) != tt.items || f.Items[0].Title != "kept" {
				t.Errorf("%d items (%+v), want %d", len(f.Items), f.Items, tt.items)
			}
			if cut := strings.Contains(f.Problem, "nested deeper"); cut != tt.cut {
				t.Errorf("problem %q, want a cut: %v", f.Problem, tt.cut)
			}
		})
	}
	// A flat flood of empty elements is cut at MaxElements the same way.
	flood := `<rss version="2.0"><channel><item><title>kept</title><link>https://x.org/1</link></item><item><description>` +
		strings.Repeat("<a/>", MaxElements) + `</description></item></channel></rss>`
	f, err := Parse([]byte(flood), "")
	if err != nil || len(f.Items) != 1 || !strings.Contains(f.Problem, "more than") {
		t.Errorf("flood: %v, %d items, problem %q", err, len(f.Items), f.Problem)
	}
	// Markup-like bytes in comments, CDATA and attribute values are not
	// elements.
	var b strings.Builder
	b.WriteString(`<rss><channel><item><title a="`)
	b.WriteString(strings.Repeat("<x>", 1000))
	b.WriteString(`"><![CDATA[` + strings.Repeat("<y>", 1000) + `]]><!--` + strings.Repeat("<z>", 1000) + `--></title></item></channel></rss>`)
	if out, cut := capDepth([]byte(b.String()), MaxElements); cut || len(out) != b.Len() {
		t.Errorf("capDepth cut a shallow document (cut %v, %d of %d bytes)", cut, len(out), b.Len())
	}
}

// DOCTYPE entities expand, but never past the budget, however they nest.
func TestEntityBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE rss [<!ENTITY a \"" + strings.Repeat("x", 1000) + "\">")
	b.WriteString("<!ENTITY b \"" + strings.Repeat("&a;", 100) + "\">")
	b.WriteString("<!ENTITY c \"" + strings.Repeat("&b;", 100) + "\">]>")
	b.WriteString(`<rss><channel><item><title>&c;&c;&c;</title><link>https://x.org/1</link></item><item><title>&a;</title><link>https://x.org/2</link></item></channel></rss>`)
	in := []byte(b.String())
	out, problem := expandEntities(in)
	if len(out) > len(in)+MaxEntityBytes+4096 || problem == "" {
		t.Errorf("expanded to %d bytes from %d (budget %d); problem %q", len(out), len(in), MaxEntityBytes, problem)
	}
	f, err := Parse(in, "")
	if err != nil || len(f.Items) != 2 {
		t.Fatalf("%v, %+v", err, f)
	}
}

// FuzzTruncated cuts a feed of complete items at every byte position the
// fuzzer picks: the items that ended before the cut are always there,
// with their links, in order.
func FuzzTruncated(f *testing.F) {
	for _, n := range []int{0, 100, 250, 400} {
		f.Add(n, false)
		f.Add(n, true)
	}
	f.Fuzz(func(t *testing.T, cut int, atom bool) {
		var b strings.Builder
		var ends []int // byte offset just after each item's end tag
		open, item, close := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`, `<item><title>Item %d &amp; more</title><link>https://x.org/%d</link><pubDate>Thu, 01 Jul 2004 12:00:00 CEST</pubDate></item>`, `</channel></rss>`
		if atom {
			open, item, close = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>`, `<entry><id>%d</id><title>Item</title><link href="https://x.org/%d"/></entry>`, `</feed>`
		}
		b.WriteString(open)
		for i := 0; i < 5; i++ {
			fmt.Fprintf(&b, item, i, i)
			ends = append(ends, b.Len())
		}
		b.WriteString(close)
		doc := b.String()
		if cut < 0 {
			cut = -cut
		}
		cut %= len(doc) + 1
		complete := 0
		for _, e := range ends {
			if e <= cut {
				complete++
			}
		}
		feed, err := Parse([]byte(doc[:cut]), "")
		if err != nil {
			if complete > 0 {
				t.Fatalf("cut at %d of %d: %v, with %d complete items before the cut", cut, len(doc), err, complete)
			}
			return
		}
		if len(feed.Items) < complete {
			t.Fatalf("cut at %d: %d items, want at least %d", cut, len(feed.Items), complete)
		}
		for i := 0; i < complete; i++ {
			if want := fmt.Sprintf("https://x.org/%d", i); feed.Items[i].Link != want {
				t.Fatalf("cut at %d: item %d link %q, want %q", cut, i, feed.Items[i].Link, want)
			}
		}
		if cut < len(doc) && complete > 0 && feed.Problem == "" && cut < len(doc)-len(close) {
			t.Fatalf("cut at %d: items kept but no problem reported", cut)
		}
	})
}

// Control characters, raw or as references, are dropped; C1 references
// become what windows-1252 puts there.
func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a&#11;b", "ab"},
		{"a&#0;b&#x0;c", "abc"},
		{"a&#xFFFE;b&#xD800;c", "abc"},
		{"a\x0bb\x00c", "abc"},
		{"it&#146;s &#x93;q&#x94;", "it’s “q”"},
		{"keep &#233; &#x263A; &amp;", "keep &#233; &#x263A; &amp;"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"clean text", "clean text"},
	}
	for _, tt := range tests {
		if got, _ := sanitize([]byte(tt.in)); string(got) != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	strays := []struct{ in, want string }{
		{"<t>a < b</t>", "<t>a &lt; b</t>"},
		{"<t>1<2 <3</t>", "<t>1&lt;2 &lt;3</t>"},
		{"<t><![CDATA[a < b]]><!-- x < y --></t><?pi?>", "<t><![CDATA[a < b]]><!-- x < y --></t><?pi?>"},
		{"<a/><b:c>x</b:c> <_d>", "<a/><b:c>x</b:c> <_d>"},
		{"end <", "end &lt;"},
	}
	unquoted := []struct{ in, want string }{
		{`<rss version=2.0>`, `<rss version="2.0">`},
		{`<enclosure url=https://x.org/a.mp3 length=5 type=audio/mpeg />`, `<enclosure url="https://x.org/a.mp3" length="5" type="audio/mpeg" />`},
		{`<a href=x/>t</a>`, `<a href="x"/>t</a>`},
		{`<a b="q=1" c='x'>`, `<a b="q=1" c='x'>`},
		{`<t>a=b</t><!-- c=d --><![CDATA[e=f]]>`, `<t>a=b</t><!-- c=d --><![CDATA[e=f]]>`},
	}
	for _, tt := range unquoted {
		if got := quoteAttrs([]byte(tt.in)); string(got) != tt.want {
			t.Errorf("quoteAttrs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range strays {
		if got := escapeStrayLT([]byte(tt.in)); string(got) != tt.want {
			t.Errorf("escapeStrayLT(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
