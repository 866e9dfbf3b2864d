package feedparse

import (
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// parseXML reads an RSS 0.9x/1.0/2.0 or Atom 0.3/1.0 document. A
// document that breaks off keeps the items before the break, with the
// damage in Feed.Problem; only a document with no item and an error is
// an error.
func parseXML(b []byte) (*Feed, error) {
	f := &Feed{}
	isItem := func(n *node, stack []*node) bool {
		if n.name != "item" && n.name != "entry" {
			return false
		}
		for _, s := range stack {
			if s.name == "item" || s.name == "entry" {
				return false
			}
		}
		return n.name == "item" || n.ns == "atom" || n.ns == ""
	}
	root, err := parseTree(b, isItem, func(n *node) {
		f.Items = append(f.Items, itemOf(n))
	})
	if root == nil {
		return nil, fmt.Errorf("feedparse: %w: %v", ErrNotFeed, err)
	}
	switch strings.ToLower(root.name) {
	case "rss", "rdf", "channel":
		f.Type = "rss"
	case "feed":
		f.Type = "atom"
	default:
		return nil, fmt.Errorf("feedparse: %w: the root element is <%s>", ErrNotFeed, root.name)
	}
	if err != nil {
		if len(f.Items) == 0 {
			return nil, fmt.Errorf("feedparse: %w: %v", ErrParse, err)
		}
		f.Problem = fmt.Sprintf("%s: %v; kept the %d item(s) before it", ErrParse, err, len(f.Items))
	}
	ch := root
	if c := root.child("", "channel"); c != nil {
		ch = c
	}
	f.Title = clean(textConstruct(ch.child("", "title"), true))
	f.Link = linkOf(ch, f.Type == "rss")
	f.Language = firstNonEmpty(ch.childText("", "language"), ch.childText("dc", "language"), root.lang, ch.lang)
	f.TTL, f.SkipHours, f.SkipDays = rssHints(ch.childText("", "ttl"), texts(ch.child("", "skipHours"), "hour"), texts(ch.child("", "skipDays"), "day"))
	return f, nil
}

func texts(n *node, name string) []string {
	if n == nil {
		return nil
	}
	var out []string
	for _, k := range n.children("", name) {
		out = append(out, k.Text())
	}
	return out
}

// linkOf is the page an element points to: an RSS <link> text, else an
// Atom <link> with rel "alternate" (or none), HTML first.
func linkOf(n *node, rssFirst bool) string {
	if rssFirst {
		for _, k := range n.children("", "link") {
			if k.ns == "" && k.attr("href") == "" {
				if t := k.Text(); t != "" {
					return n.resolve(t)
				}
			}
		}
	}
	var best string
	for _, k := range n.kids {
		if k.name != "link" || (k.ns != "atom" && k.ns != "") {
			continue
		}
		href := k.attr("href")
		if href == "" {
			if t := k.Text(); t != "" && best == "" && k.ns == "" {
				best = n.resolve(t)
			}
			continue
		}
		rel := strings.ToLower(strings.TrimSpace(k.attr("rel")))
		if rel != "" && rel != "alternate" {
			continue
		}
		typ := strings.ToLower(k.attr("type"))
		if typ == "" || strings.Contains(typ, "html") {
			return k.resolve(href)
		}
		if best == "" {
			best = k.resolve(href)
		}
	}
	return best
}

// textConstruct is the value of an Atom text construct (type text, html
// or xhtml; Atom 0.3 mode escaped, base64 or xml) or of a plain RSS
// element. asText strips XHTML markup (for titles).
func textConstruct(n *node, asText bool) string {
	if n == nil {
		return ""
	}
	typ := strings.ToLower(strings.TrimSpace(n.attr("type")))
	mode := strings.ToLower(strings.TrimSpace(n.attr("mode")))
	if mode == "base64" {
		raw := strings.Join(strings.Fields(n.Text()), "")
		if dec, err := base64.StdEncoding.DecodeString(raw); err == nil {
			return string(dec)
		}
		if dec, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(raw, "=")); err == nil {
			return string(dec)
		}
		return n.Text()
	}
	hasElements := false
	for _, k := range n.kids {
		if k.name != "" {
			hasElements = true
			break
		}
	}
	if asText && (typ == "html" || typ == "text/html") {
		// An HTML title: its text, as a reader sees it.
		return html.UnescapeString(tagRE.ReplaceAllString(n.Text(), ""))
	}
	if typ == "xhtml" || mode == "xml" || strings.HasSuffix(typ, "xhtml+xml") || hasElements {
		if asText {
			return n.Text()
		}
		// <div xmlns="…xhtml"> wraps XHTML content; the content is inside.
		if len(elementKids(n)) == 1 {
			if d := elementKids(n)[0]; d.name == "div" && strings.TrimSpace(textKids(n)) == "" {
				return d.InnerXML()
			}
		}
		return n.InnerXML()
	}
	return strings.TrimSpace(n.Text())
}

func elementKids(n *node) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name != "" {
			out = append(out, k)
		}
	}
	return out
}

func textKids(n *node) string {
	var b strings.Builder
	for _, k := range n.kids {
		if k.name == "" {
			b.WriteString(k.text)
		}
	}
	return b.String()
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// itemOf reads one <item> or <entry>.
func itemOf(n *node) Item {
	var it Item
	var permalink string // a guid that is a permalink (isPermaLink is not "false")
	// Identity: Atom <id> and RSS <guid> verbatim; RDF rdf:about.
	if g := n.child("", "guid"); g != nil {
		it.GUID = g.Text()
		if it.GUID != "" && !strings.EqualFold(strings.TrimSpace(g.attr("isPermaLink")), "false") {
			if isHTTP(it.GUID) {
				permalink = it.GUID
			}
		}
	}
	if it.GUID == "" {
		it.GUID = n.childText("", "id")
	}
	if it.GUID == "" {
		it.GUID = strings.TrimSpace(n.attr("about"))
	}
	it.Title = clean(textConstruct(n.child("", "title"), true))
	if it.Title == "" {
		it.Title = clean(mediaText(n, "title"))
	}
	it.Link = linkOf(n, true)
	if orig := n.childText("feedburner", "origLink"); orig != "" {
		it.Link = orig
	}
	if it.Link == "" {
		it.Link = permalink
	}
	// Summary and content.
	it.Summary = firstNonEmpty(textConstruct(n.child("", "description"), false), textConstruct(n.child("", "summary"), false),
		textConstruct(n.child("dc", "description"), false), mediaText(n, "description"))
	it.Content = firstNonEmpty(n.childText("content", "encoded"), textConstruct(n.child("", "content"), false))
	if it.Content == "" {
		if b := n.child("xhtml", "body"); b != nil {
			it.Content = b.InnerXML()
		}
	}
	// People.
	seen := map[string]bool{}
	addAuthor := func(s string) {
		for _, a := range SplitAuthors(s) {
			if !seen[a] {
				seen[a] = true
				it.Authors = append(it.Authors, a)
			}
		}
	}
	for _, k := range n.kids {
		switch {
		case k.is("", "author") && len(elementKids(k)) > 0: // Atom person
			addAuthor(firstNonEmpty(k.childText("", "name"), k.childText("", "email")))
		case k.is("", "author"):
			addAuthor(k.Text())
		case k.ns == "dc" && k.name == "creator":
			addAuthor(k.Text())
		}
	}
	if len(it.Authors) == 0 {
		addAuthor(n.childText("itunes", "author"))
	}
	// Categories: RSS <category>, Atom term (label when no term), dc:subject.
	for _, k := range n.kids {
		var c string
		switch {
		case k.name == "category" && (k.ns == "" || k.ns == "atom"):
			c = firstNonEmpty(k.attr("term"), k.Text(), k.attr("label"))
		case k.ns == "dc" && k.name == "subject":
			c = k.Text()
		}
		if c = strings.TrimSpace(c); c != "" && !contains(it.Categories, c) {
			it.Categories = append(it.Categories, c)
		}
	}
	// Enclosures: RSS <enclosure>, Atom <link rel="enclosure">.
	for _, k := range n.kids {
		var e Enclosure
		switch {
		case k.ns == "" && k.name == "enclosure":
			e = Enclosure{URL: k.resolve(k.attr("url")), Type: strings.TrimSpace(k.attr("type")), Length: length(k.attr("length"))}
		case k.name == "link" && (k.ns == "atom" || k.ns == "") && strings.EqualFold(strings.TrimSpace(k.attr("rel")), "enclosure"):
			e = Enclosure{URL: k.resolve(k.attr("href")), Type: strings.TrimSpace(k.attr("type")), Length: length(k.attr("length"))}
		default:
			continue
		}
		if e.URL != "" {
			it.Enclosures = append(it.Enclosures, e)
		}
	}
	// Dates: what was published, and what was last changed.
	date := func(ns, name string) time.Time {
		for _, k := range n.children(ns, name) {
			if t, ok := ParseDate(k.Text()); ok {
				return t
			}
		}
		return time.Time{}
	}
	it.Published = firstTime(date("", "pubDate"), date("", "published"), date("", "issued"),
		date("dcterms", "issued"), date("dcterms", "created"), date("", "created"), date("dc", "date"))
	it.Updated = firstTime(date("", "updated"), date("", "modified"), date("dcterms", "modified"), date("dc", "date"))
	return it
}

// mediaText is media:NAME of the item or of its media:group / media:content.
func mediaText(n *node, name string) string {
	if t := n.childText("media", name); t != "" {
		return t
	}
	for _, k := range n.kids {
		if k.ns == "media" && (k.name == "group" || k.name == "content") {
			if t := mediaText(k, name); t != "" {
				return t
			}
		}
	}
	return ""
}

func length(s string) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

func isHTTP(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
