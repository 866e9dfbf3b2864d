package extractor

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// lastText is the trimmed end of nodeText without building it: for
// every element of these pages, endsSentence and the "…" suffixes
// read the same from both.
func TestLastTextIsNodeTextsEnd(t *testing.T) {
	pages := map[string]string{
		"spaces and nesting": `<div><p>One. <b>Two</b>  three.  </p>  <p> </p><!-- c --></div>`,
		"script last":        `<div><p>Ends here.</p><script>var a = 1;</script>  </div>`,
		"style last":         `<div><p>Ends here?</p><style>p{}</style></div>`,
		"dots split":         `<div><p>Wait..<i>.</i></p><p>More <b>to come...</b>   </p></div>`,
		"ellipsis":           `<div><p>A teaser, cut short…</p><p>  «Quoted»  </p></div>`,
		"empty":              `<div><p>   </p><span></span></div>`,
		"whitespace inside":  "<div><p>Tab\tand\nnewline .\n\t</p></div>",
	}
	for name, src := range pages {
		t.Run(name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(src))
			if err != nil {
				t.Fatal(err)
			}
			var walk func(*html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					full := strings.TrimSpace(nodeText(n))
					tail := lastText(n)
					for _, suffix := range []string{"...", "…"} {
						if strings.HasSuffix(full, suffix) != strings.HasSuffix(tail, suffix) {
							t.Errorf("<%s>: nodeText %q, lastText %q differ on %q", n.Data, full, tail, suffix)
						}
					}
					if endsSentence(full) != endsSentence(tail) || (full == "") != (tail == "") {
						t.Errorf("<%s>: nodeText %q, lastText %q differ", n.Data, full, tail)
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
		})
	}
}
