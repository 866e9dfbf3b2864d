package extractor

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// fallbackText is the flat pass for pages the parser cannot build a tree
// for (nesting past 512 levels): a tokenizer keeps the text of paragraphs
// and headings, drops script, style and the like, and applies the same
// wording filter. It needs memory in proportion to the text, not the depth.
func fallbackText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var blocks []string
	var cur strings.Builder
	skip := 0
	flush := func() {
		t := strings.Join(strings.Fields(dropInvisible(cur.String())), " ")
		cur.Reset()
		if t == "" {
			return
		}
		if _, bad := boilerplateWording(t); bad {
			return
		}
		blocks = append(blocks, t)
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return strings.Join(blocks, "\n\n")
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Head, atom.Nav, atom.Footer, atom.Aside, atom.Button, atom.Form:
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
				continue
			}
			if blockTags()[a] || a == atom.Br {
				flush()
			}
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
				cur.WriteByte(' ')
			}
		}
	}
}
