// Feed lists from other tools: OPML (Feedly, Inoreader, Miniflux, any
// feed reader) and CSV source lists (Media Cloud), read into Imported
// feeds; and OPML 2.0 written from a config.

package config

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/feedvault/feedvault/fetcher"
)

// OPMLNamespace marks feedvault's own attribute on an OPML outline: the
// outlet a group of feeds belongs to (feedvault:outlet="meduza"), so that
// an exported list imports back into the same outlets.
const OPMLNamespace = "https://github.com/feedvault/feedvault/opml"

// Imported is one feed read from another tool's list.
type Imported struct {
	URL      string   // the feed (xmlUrl)
	Title    string   // the feed's or its site's title
	Site     string   // the site's home page (htmlUrl), if given
	Language string   // if given
	Outlet   string   // feedvault:outlet: the outlet's name, as exported
	Source   string   // the source (outlet) a CSV row names, in words
	Category []string // the enclosing outline categories, outermost first
	Line     int      // in the source file, for messages
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Attrs    []xml.Attr    `xml:",any,attr"`
	Children []opmlOutline `xml:"outline"`
}

func (o opmlOutline) attr(names ...string) string {
	for _, n := range names {
		for _, a := range o.Attrs {
			if strings.EqualFold(a.Name.Local, n) && a.Name.Space == "" {
				if v := strings.TrimSpace(a.Value); v != "" {
					return v
				}
			}
		}
	}
	return ""
}

func (o opmlOutline) outletAttr() string {
	for _, a := range o.Attrs {
		if a.Name.Local == "outlet" && a.Name.Space == OPMLNamespace {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// ParseOPML reads the feeds of an OPML file (1.0 or 2.0): every outline
// with an xmlUrl, at any depth, with the titles of the outlines around it
// as its categories. name is used in messages.
func ParseOPML(name string, b []byte) ([]Imported, error) {
	var doc opmlDoc
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false // feed readers' exports are not always well-formed
	dec.CharsetReader = func(cs string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(cs, "utf-8") || strings.EqualFold(cs, "us-ascii") {
			return r, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported: save the file as UTF-8", cs)
	}
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("opml: %s: %w", name, err)
	}
	var out []Imported
	var walk func(o opmlOutline, cats []string, outlet string)
	walk = func(o opmlOutline, cats []string, outlet string) {
		if v := o.outletAttr(); v != "" {
			outlet = v
		}
		if u := o.attr("xmlUrl"); u != "" {
			out = append(out, Imported{URL: u, Title: o.attr("title", "text"), Site: o.attr("htmlUrl"),
				Language: o.attr("language"), Outlet: outlet, Category: cats})
			return
		}
		sub := cats
		if t := o.attr("title", "text"); t != "" {
			sub = append(append([]string(nil), cats...), t)
		}
		for _, c := range o.Children {
			walk(c, sub, outlet)
		}
	}
	for _, o := range doc.Body {
		walk(o, nil, "")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("opml: %s: no feeds in it (no outline has an xmlUrl)", name)
	}
	return out, nil
}

// ParseSourceCSV reads a CSV list of feeds, one a row, with a header.
// The feed URL is in a column named feed_url, feed, rss, rss_url or
// xmlurl (or url, in a Media Cloud feeds export, which has a feeds_id
// column); the outlet in media_name, source_name, source, outlet or
// name; the language in primary_language or language; the home page in
// homepage or url_search_string.
//
// A Media Cloud source list (id, name, url_search_string, homepage, ...)
// names sources, not feeds: it is refused with a message saying so,
// because finding a site's feeds means fetching it, which an edit of
// feeds.yaml does not do.
func ParseSourceCSV(name string, b []byte) ([]Imported, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("csv: %s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	pick := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	feedCol := pick("feed_url", "feed", "rss", "rss_url", "xmlurl")
	if feedCol < 0 && pick("feeds_id") >= 0 {
		feedCol = pick("url")
	}
	if feedCol < 0 {
		if pick("url_search_string", "homepage") >= 0 {
			return nil, fmt.Errorf("csv: %s: this is a source list (its columns name home pages, not feeds); "+
				"feedvault does not guess feeds, which would mean fetching each site: export the collection's feeds "+
				"(a CSV with a feed_url column, or OPML) and import that", name)
		}
		return nil, fmt.Errorf("csv: %s: no column of feed URLs (want one named feed_url, feed, rss, rss_url or xmlurl)", name)
	}
	outletCol := pick("media_name", "source_name", "source", "outlet")
	langCol := pick("primary_language", "language")
	siteCol := pick("homepage", "url_search_string")
	titleCol := pick("title", "media_name", "source_name", "name")
	get := func(row []string, i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []Imported
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("csv: %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		u := get(row, feedCol)
		if u == "" {
			continue
		}
		out = append(out, Imported{URL: u, Title: get(row, titleCol), Source: get(row, outletCol),
			Language: get(row, langCol), Site: get(row, siteCol), Line: line})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("csv: %s: no feed URLs in it", name)
	}
	return out, nil
}

// WriteOPML writes cfg's outlets and feeds as OPML 2.0: one outline per
// outlet (its title, and its name as feedvault:outlet), holding one rss
// outline per feed.
func WriteOPML(w io.Writer, cfg *Config, now time.Time) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, "<opml version=\"2.0\" xmlns:feedvault=\"%s\">\n  <head>\n    <title>feedvault: %s</title>\n    <dateCreated>%s</dateCreated>\n  </head>\n  <body>\n",
		OPMLNamespace, esc(cfg.Path), now.UTC().Format(time.RFC1123Z))
	for _, o := range cfg.Outlets {
		title := o.Title
		if title == "" {
			title = o.Name
		}
		fmt.Fprintf(&b, "    <outline text=\"%s\" title=\"%s\" feedvault:outlet=\"%s\">\n", esc(title), esc(title), esc(o.Name))
		for _, f := range o.Feeds {
			fmt.Fprintf(&b, "      <outline type=\"rss\" text=\"%s\" title=\"%s\" xmlUrl=\"%s\"", esc(title), esc(title), esc(f))
			if o.Language != "" {
				fmt.Fprintf(&b, " language=\"%s\"", esc(o.Language))
			}
			b.WriteString("/>\n")
		}
		b.WriteString("    </outline>\n")
	}
	b.WriteString("  </body>\n</opml>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}

// specialHost says why host is a special-purpose address (a literal
// address in one of IANA's special-purpose blocks, or localhost), or "".
func specialHost(host string) string {
	if h := strings.TrimSuffix(strings.ToLower(host), "."); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return "loopback"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	if bad, why := fetcher.Special(ip); bad {
		return why
	}
	return ""
}
