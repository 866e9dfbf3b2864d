// Package feedparse turns feed bytes (RSS 0.9x/1.0/2.0, Atom 0.3/1.0,
// JSON Feed) in any common charset into items, with everything the feed
// says of each: ids verbatim, every author, category and enclosure, and
// dates read as Python's feedparser reads them (ParseDate).
//
// XML feeds are read loosely, as feedparser's loose mode does: a feed
// that breaks off or holds an illegal character keeps the items before
// the damage, and Feed.Problem says what was repaired. Before the parser
// sees the bytes, nesting and element counts are capped and DOCTYPE
// entities expanded within a budget, so a hostile feed costs about its
// own size. Parser panics are recovered: a hostile feed is an error,
// never a crash.
package feedparse

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/feedvault/feedvault/textenc"
	"github.com/mmcdole/gofeed"
)

// Item is one entry of a feed, with everything the feed said about it.
type Item struct {
	// GUID is the item's identity, verbatim: RSS <guid>, Atom <id>, or
	// RSS 1.0 rdf:about.
	GUID       string      `json:"guid,omitempty"`
	Link       string      `json:"link,omitempty"` // the article URL (FeedBurner origLink unwrapped)
	Title      string      `json:"title,omitempty"`
	Summary    string      `json:"summary,omitempty"`
	Content    string      `json:"content,omitempty"` // full HTML body, when the feed carries one
	Authors    []string    `json:"authors,omitempty"`
	Categories []string    `json:"categories,omitempty"`
	Enclosures []Enclosure `json:"enclosures,omitempty"`
	// Published and Updated are zero when the feed gives no date (or
	// none that parses): an unknown date stays unknown.
	Published time.Time `json:"published,omitzero"`
	Updated   time.Time `json:"updated,omitzero"`
}

// Enclosure is an attached file: RSS <enclosure>, Atom <link rel="enclosure">.
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"` // bytes, as the feed says; 0 when not given
}

// Feed is a parsed feed.
type Feed struct {
	Type     string // rss, atom, json
	Title    string
	Link     string
	Language string
	Charset  string
	Items    []Item
	TTL      time.Duration // RSS <ttl>, when given
	// SkipHours (0–23, GMT) and SkipDays are RSS hints of when not to poll.
	SkipHours []int
	SkipDays  []time.Weekday
	// Problem describes damage that was worked around (null items in a
	// JSON Feed); the items that could be read are still in Items.
	Problem string
	// TotalItems is how many items the feed had; more than len(Items)
	// when ParseCapped cut it.
	TotalItems int
}

// Errors, so that callers can classify failures.
var (
	ErrNotFeed = errors.New("not a feed")
	ErrParse   = errors.New("malformed feed")
)

// MaxGzipBytes caps a feed that arrives gzip-compressed without a
// Content-Encoding header.
const MaxGzipBytes = 64 << 20

// Parse parses feed bytes. contentType is the HTTP Content-Type, or "".
func Parse(b []byte, contentType string) (f *Feed, err error) {
	return ParseCapped(b, contentType, 0)
}

// ParseCapped parses at most maxItems items (0: all). The rest of a
// larger feed is cut before the parser sees it, so that a feed of
// hundreds of thousands of items costs what a feed of maxItems does;
// Feed.TotalItems says how many there were.
func ParseCapped(b []byte, contentType string, maxItems int) (f *Feed, err error) {
	if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("feedparse: %w: gzip: %v", ErrParse, err)
		}
		b, err = io.ReadAll(io.LimitReader(zr, MaxGzipBytes+1))
		if err != nil {
			return nil, fmt.Errorf("feedparse: %w: gzip: %v", ErrParse, err)
		}
		if len(b) > MaxGzipBytes {
			return nil, fmt.Errorf("feedparse: gzip-compressed feed unpacks to more than %d bytes", MaxGzipBytes)
		}
	}
	dec := textenc.Decode(b, contentType)
	text := dec.Text
	trimmed := bytes.TrimSpace(text)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("feedparse: %w: empty body", ErrNotFeed)
	}
	if looksHTML(trimmed) {
		return nil, fmt.Errorf("feedparse: %w: the server sent an HTML page", ErrNotFeed)
	}
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("feedparse: %w: parser panic: %v", ErrParse, r)
		}
	}()
	if trimmed[0] == '{' {
		f, err = parseJSON(text, maxItems)
	} else {
		f, err = parseXMLBytes(text, maxItems)
	}
	if err != nil {
		return nil, err
	}
	f.Charset = dec.Charset
	return f, nil
}

// parseXMLBytes prepares an XML feed for the parser (illegal characters
// out, DOCTYPE entities expanded within a budget, nesting capped, items
// capped) and parses it.
func parseXMLBytes(text []byte, maxItems int) (*Feed, error) {
	var problems []string
	text, dropped := sanitize(text)
	if dropped {
		problems = append(problems, "illegal control characters dropped")
	}
	text = escapeStrayLT(text)
	text = quoteAttrs(text)
	text = xml11To10(text)
	text, p := expandEntities(text)
	if p != "" {
		problems = append(problems, p)
	}
	total := -1
	if maxItems > 0 {
		text, total = capXMLItems(text, maxItems)
	}
	maxElements := max(MaxElements, 1000*maxItems)
	text, cut := capDepth(text, maxElements)
	if cut {
		problems = append(problems, fmt.Sprintf("elements nested deeper than %d or more than %d elements; the feed was cut there", MaxDepth, maxElements))
	}
	f, err := parseXML(text)
	if err != nil {
		return nil, err
	}
	if f.Problem != "" {
		problems = append(problems, f.Problem)
	}
	f.Problem = strings.Join(problems, "; ")
	f.TotalItems = max(len(f.Items), total)
	return f, nil
}

var xmlVersion = lazyRE(`^(\s*<\?xml\s+version\s*=\s*["'])1\.1(["'])`)

// xml11To10 labels an XML 1.1 document 1.0, which is all encoding/xml
// reads; feeds use nothing of 1.1 that 1.0 cannot read once illegal
// characters are gone.
func xml11To10(b []byte) []byte {
	if loc := xmlVersion().FindSubmatchIndex(b[:min(len(b), 64)]); loc != nil {
		out := make([]byte, 0, len(b))
		out = append(append(append(out, b[:loc[3]]...), "1.0"...), b[loc[4]:]...)
		return out
	}
	return b
}

// parseJSON reads a JSON Feed with gofeed, after removing null items.
func parseJSON(text []byte, maxItems int) (*Feed, error) {
	text, problem, total := jsonItems(text, maxItems)
	gf, err := gofeed.NewParser().Parse(bytes.NewReader(text))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, fmt.Errorf("feedparse: %w: %v", ErrNotFeed, err)
		}
		return nil, fmt.Errorf("feedparse: %w: %v", ErrParse, err)
	}
	f := &Feed{Type: gf.FeedType, Title: clean(gf.Title), Link: gf.Link, Language: gf.Language, Problem: problem}
	for _, it := range gf.Items {
		if it != nil {
			f.Items = append(f.Items, convert(it))
		}
	}
	f.TotalItems = max(len(f.Items), total)
	return f, nil
}

var (
	itemEnd   = lazyRE(`(?i)</(?:[a-z0-9]+:)?(?:item|entry)\s*>`)
	itemStart = lazyRE(`(?i)<(?:[a-z0-9]+:)?(?:item|entry)[\s>/]`)
	rootElem  = lazyRE(`<([A-Za-z][A-Za-z0-9:._-]*)[\s>/]`)
)

// capXMLItems cuts an RSS, RDF or Atom document after its max-th item and
// closes it again. It returns the bytes and the number of items there were.
func capXMLItems(b []byte, max int) ([]byte, int) {
	ends := itemEnd().FindAllIndex(b, max+1)
	if len(ends) <= max {
		return b, len(ends)
	}
	total := 0 // counted without keeping every match
	for rest := b; ; {
		loc := itemStart().FindIndex(rest)
		if loc == nil {
			break
		}
		total++
		rest = rest[loc[1]:]
	}
	// The root element: <?xml …?>, <!-- … --> and <!DOCTYPE …> do not
	// match, as a letter must follow "<".
	m := rootElem().FindSubmatch(b)
	if m == nil {
		return b, total
	}
	root := m[1]
	var closing string
	switch strings.ToLower(string(root)) {
	case "rss":
		closing = "</channel></rss>"
	case "feed":
		closing = "</feed>"
	default: // rdf:RDF and the like
		closing = "</" + string(root) + ">"
	}
	cut := ends[max-1][1]
	out := make([]byte, 0, cut+len(closing))
	out = append(append(out, b[:cut]...), closing...)
	return out, total
}

// jsonItems removes null entries from a JSON Feed's items, which make
// gofeed 1.4.2 panic, keeps at most max (0: all), and says what it did.
func jsonItems(b []byte, max int) ([]byte, string, int) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return b, "", -1
	}
	var items []json.RawMessage
	if err := json.Unmarshal(doc["items"], &items); err != nil {
		return b, "", -1
	}
	kept := items[:0]
	for _, it := range items {
		if strings.TrimSpace(string(it)) != "null" {
			kept = append(kept, it)
		}
	}
	dropped := len(items) - len(kept)
	total := len(kept)
	if max > 0 && len(kept) > max {
		kept = kept[:max]
	}
	if dropped == 0 && len(kept) == total {
		return b, "", total
	}
	doc["items"], _ = json.Marshal(kept)
	out, err := json.Marshal(doc)
	if err != nil {
		return b, "", -1
	}
	problem := ""
	if dropped > 0 {
		problem = fmt.Sprintf("%s: JSON Feed has %d null item(s); skipped them", ErrParse, dropped)
	}
	return out, problem, total
}

func looksHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		(strings.Contains(head, "<html") && !strings.Contains(head, "<rss") && !strings.Contains(head, "<feed") && !strings.Contains(head, "<rdf"))
}

var weekdays = sync.OnceValue(func() map[string]time.Weekday {
	return map[string]time.Weekday{
		"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
		"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	}
})

// rssHints reads <ttl>, <skipHours> and <skipDays>; values that do not
// parse are ignored.
func rssHints(ttlText string, skipHours, skipDays []string) (ttl time.Duration, hours []int, days []time.Weekday) {
	var m int
	if _, err := fmt.Sscan(strings.TrimSpace(ttlText), &m); err == nil && m > 0 && m <= 7*24*60 {
		ttl = time.Duration(m) * time.Minute
	}
	for _, h := range skipHours {
		var v int
		if _, err := fmt.Sscan(strings.TrimSpace(h), &v); err == nil && v >= 0 && v <= 24 {
			hours = append(hours, v%24)
		}
	}
	for _, d := range skipDays {
		if wd, ok := weekdays()[strings.ToLower(strings.TrimSpace(d))]; ok {
			days = append(days, wd)
		}
	}
	return ttl, hours, days
}

// convert turns a JSON Feed item, as gofeed reads it, into an Item.
func convert(it *gofeed.Item) Item {
	out := Item{
		GUID:       strings.TrimSpace(it.GUID),
		Link:       strings.TrimSpace(it.Link),
		Title:      clean(it.Title),
		Summary:    strings.TrimSpace(it.Description),
		Content:    it.Content,
		Categories: it.Categories,
	}
	if out.Link == "" && (strings.HasPrefix(out.GUID, "http://") || strings.HasPrefix(out.GUID, "https://")) {
		out.Link = out.GUID
	}
	for _, a := range it.Authors {
		if a != nil {
			for _, n := range SplitAuthors(a.Name) {
				if !contains(out.Authors, n) {
					out.Authors = append(out.Authors, n)
				}
			}
		}
	}
	for _, e := range it.Enclosures {
		if e != nil && e.URL != "" {
			out.Enclosures = append(out.Enclosures, Enclosure{URL: e.URL, Type: e.Type, Length: length(e.Length)})
		}
	}
	out.Published, _ = ParseDate(it.Published)
	out.Updated, _ = ParseDate(it.Updated)
	return out
}

var spaceRE = lazyRE(`\s+`)

func clean(s string) string {
	return strings.TrimSpace(spaceRE().ReplaceAllString(s, " "))
}
