package feedparse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
)

// Per-parse bounds on the nodes kept in memory. Items are turned into
// Item values and dropped as each one ends, so these only bite on a
// hostile document.
const (
	maxNodesOutsideItems = 50_000
	maxNodesPerItem      = 50_000
)

// namespaces maps namespace URIs to the short prefixes the field code
// uses. An undeclared prefix (which a loose parse keeps as it is) is
// looked up in lower case as a prefix.
var namespaces = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"":                                            "",
		"http://purl.org/rss/1.0/":                    "",
		"http://backend.userland.com/rss2":            "",
		"http://backend.userland.com/rss":             "",
		"http://my.netscape.com/rdf/simple/0.9/":      "",
		"http://channel.netscape.com/rdf/simple/0.9/": "",
		"http://www.w3.org/2005/Atom":                 "atom",
		"http://purl.org/atom/ns#":                    "atom",
		"http://purl.org/dc/elements/1.1/":            "dc",
		"http://purl.org/dc/elements/1.0/":            "dc",
		"http://purl.org/dc/terms/":                   "dcterms",
		"http://purl.org/rss/1.0/modules/content/":    "content",
		"http://search.yahoo.com/mrss/":               "media",
		"http://search.yahoo.com/mrss":                "media",
		"http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
		"http://www.w3.org/1999/xhtml":                "xhtml",
		"http://rssnamespace.org/feedburner/ext/1.0":  "feedburner",
		"http://www.itunes.com/dtds/podcast-1.0.dtd":  "itunes",
		"http://www.w3.org/XML/1998/namespace":        "xml",
	}
})

func nsPrefix(space string) string {
	if p, ok := namespaces()[space]; ok {
		return p
	}
	if strings.Contains(space, "/") {
		return space // an unknown namespace keeps its URI
	}
	return strings.ToLower(space)
}

// node is an element, or (when name is empty) a run of text.
type node struct {
	ns, name string // ns: the short prefix; name: the local name
	attrs    []xml.Attr
	text     string // text nodes only
	kids     []*node
	base     string // xml:base in effect
	lang     string // xml:lang in effect
}

func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if a.Name.Local == name && (a.Name.Space == "" || nsPrefix(a.Name.Space) == "rdf") {
			return a.Value
		}
	}
	return ""
}

// is reports whether n is the element ns:name; ns "" also matches Atom,
// since RSS and Atom share names (title, link) and feeds mix them.
func (n *node) is(ns, name string) bool {
	return n.name == name && (n.ns == ns || ns == "" && n.ns == "atom")
}

// Text is the text of n and its descendants, trimmed.
func (n *node) Text() string {
	var b strings.Builder
	n.appendText(&b)
	return strings.TrimSpace(b.String())
}

func (n *node) appendText(b *strings.Builder) {
	if n.name == "" {
		b.WriteString(n.text)
		return
	}
	for _, k := range n.kids {
		k.appendText(b)
	}
}

// InnerXML serialises the children of n back to markup (for XHTML
// content).
func (n *node) InnerXML() string {
	var b bytes.Buffer
	for _, k := range n.kids {
		k.writeXML(&b)
	}
	return strings.TrimSpace(b.String())
}

func (n *node) writeXML(b *bytes.Buffer) {
	if n.name == "" {
		xml.EscapeText(b, []byte(n.text))
		return
	}
	b.WriteByte('<')
	b.WriteString(n.name)
	for _, a := range n.attrs {
		if a.Name.Space != "" || a.Name.Local == "xmlns" {
			continue
		}
		b.WriteByte(' ')
		b.WriteString(a.Name.Local)
		b.WriteString(`="`)
		xml.EscapeText(b, []byte(a.Value))
		b.WriteByte('"')
	}
	if len(n.kids) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteByte('>')
	for _, k := range n.kids {
		k.writeXML(b)
	}
	b.WriteString("</")
	b.WriteString(n.name)
	b.WriteByte('>')
}

// child returns the first child element ns:name.
func (n *node) child(ns, name string) *node {
	for _, k := range n.kids {
		if k.is(ns, name) {
			return k
		}
	}
	return nil
}

// children returns every child element ns:name.
func (n *node) children(ns, name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.is(ns, name) {
			out = append(out, k)
		}
	}
	return out
}

// childText is the text of the first child ns:name that has some.
func (n *node) childText(ns, name string) string {
	for _, k := range n.kids {
		if k.is(ns, name) {
			if t := k.Text(); t != "" {
				return t
			}
		}
	}
	return ""
}

// resolve makes ref absolute against the xml:base in effect.
func (n *node) resolve(ref string) string {
	ref = strings.TrimSpace(ref)
	if n.base == "" || ref == "" {
		return ref
	}
	b, err := url.Parse(n.base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// treeParser reads an XML feed loosely, as feedparser's loose mode does:
// undefined entities, bare ampersands, undeclared prefixes and mismatched
// end tags are tolerated, and a document that breaks off keeps the items
// that ended before the break. Each item's subtree is handed to onItem
// when it ends and then dropped.
type treeParser struct {
	root       *node
	stack      []*node
	itemDepth  int // stack depth of the open item, or 0
	itemNodes  int
	otherNodes int
	onItem     func(*node)
}

var errNoRoot = errors.New("no root element")

// parseTree parses b (UTF-8). It returns the root (with item subtrees
// removed) and the error that stopped the parse, if any.
func parseTree(b []byte, isItem func(*node, []*node) bool, onItem func(*node)) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	// The bytes are UTF-8 already, whatever the prolog says.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	p := &treeParser{onItem: onItem}
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				if len(p.stack) > 0 {
					err = fmt.Errorf("line %d: the document ends inside <%s>", lineOf(d), p.stack[len(p.stack)-1].name)
				} else {
					err = nil
				}
			} else {
				err = fmt.Errorf("%w", err)
			}
			if p.root == nil && err == nil {
				err = errNoRoot
			}
			return p.root, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{ns: nsPrefix(t.Name.Space), name: t.Name.Local, attrs: t.Attr}
			var parent *node
			if len(p.stack) > 0 {
				parent = p.stack[len(p.stack)-1]
				n.base, n.lang = parent.base, parent.lang
			}
			for _, a := range t.Attr {
				if nsPrefix(a.Name.Space) == "xml" {
					switch a.Name.Local {
					case "base":
						n.base = (&node{base: n.base}).resolve(a.Value)
					case "lang":
						n.lang = a.Value
					}
				}
			}
			switch {
			case parent == nil:
				if p.root != nil { // a second root: stop, as XML does
					return p.root, fmt.Errorf("line %d: content after the root element", lineOf(d))
				}
				p.root = n
			case p.itemDepth > 0:
				if p.itemNodes++; p.itemNodes <= maxNodesPerItem {
					parent.kids = append(parent.kids, n)
				}
			default:
				if p.otherNodes++; p.otherNodes <= maxNodesOutsideItems || isItem(n, p.stack) {
					parent.kids = append(parent.kids, n)
				}
			}
			p.stack = append(p.stack, n)
			if p.itemDepth == 0 && parent != nil && isItem(n, p.stack[:len(p.stack)-1]) {
				p.itemDepth = len(p.stack)
				p.itemNodes = 0
			}
		case xml.EndElement:
			if len(p.stack) == 0 {
				continue
			}
			n := p.stack[len(p.stack)-1]
			p.stack = p.stack[:len(p.stack)-1]
			if p.itemDepth > 0 && len(p.stack)+1 == p.itemDepth {
				p.itemDepth = 0
				p.onItem(n)
				if len(p.stack) > 0 { // drop the subtree, keep the order
					parent := p.stack[len(p.stack)-1]
					if k := len(parent.kids); k > 0 && parent.kids[k-1] == n {
						parent.kids = parent.kids[:k-1]
					}
				}
			}
		case xml.CharData:
			if len(p.stack) == 0 {
				continue
			}
			parent := p.stack[len(p.stack)-1]
			if p.itemDepth == 0 && len(parent.kids) > 0 && parent.kids[len(parent.kids)-1].name != "" {
				// Text between elements outside items (whitespace) is not kept.
				if len(bytes.TrimSpace(t)) == 0 {
					continue
				}
			}
			if k := len(parent.kids); k > 0 && parent.kids[k-1].name == "" {
				parent.kids[k-1].text += string(t)
				continue
			}
			parent.kids = append(parent.kids, &node{text: string(t)})
		}
	}
}

func lineOf(d *xml.Decoder) int {
	line, _ := d.InputPos()
	return line
}
