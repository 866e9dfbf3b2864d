package extractor

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Metadata, in order of trust (the first source that has a field wins):
//
//  1. JSON-LD of an Article type (NewsArticle, BlogPosting, ReportageNewsArticle …)
//  2. OpenGraph and article:* meta properties
//  3. other meta tags (author, description, keywords, date, DC.*, parsely-*, sailthru.*)
//  4. the page itself: <time datetime>, <title>, <html lang>, rel=author links
//  5. the feed item (Hints): only for fields the page left empty
//
// Published and modified times are kept apart.

type metaAcc struct {
	title, desc, image, section, lang, canonical string
	authors, tags                                []string
	published, modified                          time.Time
	// body is the article's text as the page's JSON-LD gives it
	// (articleBody), the start of it and its length in runes.
	body    string
	bodyLen int
}

func (m *metaAcc) setStr(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(strings.Join(strings.Fields(dropInvisible(v)), " "))
	}
}

func (m *metaAcc) setTime(dst *time.Time, v string) {
	if dst.IsZero() {
		if t, ok := parseTime(v); ok {
			*dst = t
		}
	}
}

// readMeta fills in res from the page's metadata, and returns the
// article's text as its JSON-LD gives it (articleBody): its first
// bodyHead bytes, and its length in runes.
func readMeta(root *html.Node, res *Result, pageURL string) (body string, bodyLen int) {
	m := &metaAcc{}
	var ld []map[string]any
	var metas []*html.Node
	var times []*html.Node
	var titleTag, htmlLang, relAuthor string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				htmlLang = attr(n, "lang")
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					ld = append(ld, parseJSONLD(n.FirstChild.Data)...)
				}
				return
			case atom.Meta:
				metas = append(metas, n)
			case atom.Title:
				if titleTag == "" && n.FirstChild != nil {
					titleTag = n.FirstChild.Data
				}
			case atom.Time:
				times = append(times, n)
			case atom.Link:
				rel := strings.ToLower(attr(n, "rel"))
				if rel == "canonical" && m.canonical == "" {
					m.canonical = resolve(pageURL, attr(n, "href"))
				}
			case atom.A:
				if relAuthor == "" && strings.Contains(strings.ToLower(attr(n, "rel")), "author") {
					relAuthor = nodeText(n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)

	// 1. JSON-LD
	for _, obj := range ld {
		if !isArticleType(obj["@type"]) {
			continue
		}
		m.setStr(&m.title, str(obj["headline"]))
		m.setStr(&m.desc, str(obj["description"]))
		if b := str(obj["articleBody"]); m.body == "" && b != "" {
			m.bodyLen = utf8.RuneCountInString(b)
			if len(b) > bodyHead {
				b = strings.ToValidUTF8(b[:bodyHead], "")
			}
			m.setStr(&m.body, b)
		}
		m.setStr(&m.section, firstStr(obj["articleSection"]))
		m.setStr(&m.lang, str(obj["inLanguage"]))
		m.setStr(&m.image, imageURL(obj["image"]))
		m.setTime(&m.published, str(obj["datePublished"]))
		m.setTime(&m.modified, str(obj["dateModified"]))
		if len(m.authors) == 0 {
			m.authors = names(obj["author"])
		}
		if len(m.tags) == 0 {
			m.tags = keywords(obj["keywords"])
		}
	}
	// 2 and 3. meta tags: OpenGraph first, then the rest.
	get := func(keys ...string) string {
		for _, k := range keys {
			for _, n := range metas {
				name := strings.ToLower(attr(n, "property"))
				if name == "" {
					name = strings.ToLower(attr(n, "name"))
				}
				if name == "" {
					name = strings.ToLower(attr(n, "itemprop"))
				}
				if name == k {
					if v := strings.TrimSpace(attr(n, "content")); v != "" {
						return v
					}
				}
			}
		}
		return ""
	}
	m.setStr(&m.title, get("og:title", "twitter:title", "dc.title", "parsely-title", "sailthru.title"))
	m.setStr(&m.desc, get("og:description", "description", "twitter:description", "dc.description"))
	m.setStr(&m.image, get("og:image", "og:image:url", "twitter:image", "twitter:image:src"))
	m.setStr(&m.section, get("article:section", "parsely-section", "section"))
	m.setStr(&m.lang, get("og:locale", "content-language", "dc.language", "language"))
	m.setTime(&m.published, get("article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued", "parsely-pub-date", "sailthru.date", "article.published"))
	m.setTime(&m.modified, get("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dc.date.modified"))
	if len(m.authors) == 0 {
		if a := get("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"); a != "" && !strings.HasPrefix(a, "http") {
			m.authors = splitAuthors(a)
		}
	}
	if len(m.tags) == 0 {
		var tags []string
		for _, n := range metas {
			if strings.ToLower(attr(n, "property")) == "article:tag" {
				tags = append(tags, strings.TrimSpace(attr(n, "content")))
			}
		}
		if len(tags) == 0 {
			tags = splitList(get("keywords", "news_keywords", "parsely-tags"))
		}
		m.tags = tags
	}
	// 4. the page itself
	for _, t := range times {
		if m.published.IsZero() {
			m.setTime(&m.published, attr(t, "datetime"))
		}
	}
	m.setStr(&m.title, titleTag)
	m.setStr(&m.lang, htmlLang)
	if len(m.authors) == 0 && relAuthor != "" {
		m.authors = []string{relAuthor}
	}
	if m.image != "" {
		m.image = resolve(pageURL, m.image)
	}

	res.Title = m.title
	res.Description = m.desc
	res.Image = m.image
	res.Section = m.section
	res.Language = normLang(m.lang)
	res.Canonical = m.canonical
	res.Authors = dedupe(m.authors)
	res.Tags = dedupe(m.tags)
	res.Published = m.published
	res.Modified = m.modified
	return m.body, m.bodyLen
}

// bodyHead is how much of a JSON-LD articleBody readMeta keeps: more
// than its first leadWords words.
const bodyHead = 400

func applyHints(res *Result, h Hints) {
	if res.Title == "" {
		res.Title = dropInvisible(h.Title)
	}
	if len(res.Authors) == 0 {
		for _, a := range h.Authors {
			res.Authors = append(res.Authors, dropInvisible(a))
		}
	}
	if res.Published.IsZero() {
		res.Published = h.Published
	}
	if res.Language == "" {
		res.Language = h.Language
	}
}

func parseJSONLD(s string) []map[string]any {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &v); err != nil {
		return nil
	}
	var out []map[string]any
	var add func(any)
	add = func(v any) {
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				add(x)
			}
		case map[string]any:
			out = append(out, t)
			if g, ok := t["@graph"]; ok {
				add(g)
			}
			if me, ok := t["mainEntity"]; ok {
				add(me)
			}
		}
	}
	add(v)
	return out
}

func isArticleType(t any) bool {
	check := func(s string) bool {
		s = strings.ToLower(s)
		return strings.HasSuffix(s, "article") || s == "blogposting" || s == "posting" || s == "report" || s == "liveblogposting"
	}
	switch v := t.(type) {
	case string:
		return check(v)
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok && check(s) {
				return true
			}
		}
	}
	return false
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return html.UnescapeString(t)
	case float64:
		return ""
	}
	return ""
}

func firstStr(v any) string {
	if a, ok := v.([]any); ok && len(a) > 0 {
		return str(a[0])
	}
	return str(v)
}

func imageURL(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		if len(t) > 0 {
			return imageURL(t[0])
		}
	case map[string]any:
		if u := str(t["url"]); u != "" {
			return u
		}
		return str(t["@id"])
	}
	return ""
}

func names(v any) []string {
	var out []string
	switch t := v.(type) {
	case string:
		out = append(out, splitAuthors(t)...)
	case []any:
		for _, x := range t {
			out = append(out, names(x)...)
		}
	case map[string]any:
		if n := strings.TrimSpace(str(t["name"])); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func keywords(v any) []string {
	switch t := v.(type) {
	case string:
		return splitList(t)
	case []any:
		var out []string
		for _, x := range t {
			if s := strings.TrimSpace(str(x)); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func splitAuthors(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "By "), "by ")
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		for _, q := range strings.Split(p, " and ") {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

func dedupe(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(dropInvisible(s))
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

func normLang(s string) string {
	s = strings.TrimSpace(strings.ToLower(strings.ReplaceAll(s, "_", "-")))
	if i := strings.IndexByte(s, '-'); i > 0 {
		s = s[:i]
	}
	return s
}

var timeLayouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05", "2006-01-02 15:04",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "2006-01-02", "2006/01/02", "20060102",
}

// parseTime reads the date formats pages use; times without a zone are
// taken as UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1990 || t.Year() > 2100 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

func resolve(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	b, err := url.Parse(base)
	if err != nil || base == "" {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}
