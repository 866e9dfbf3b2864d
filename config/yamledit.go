// Adding imported feeds to feeds.yaml as an edit of its text: what is
// there stays byte for byte, comments and order included; new outlets are
// appended to the outlets list, and new feeds of an outlet already there
// are appended to its feeds list.

package config

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/feedvault/feedvault/outlet"
	"go.yaml.in/yaml/v3"
)

// AddReport says what AddFeeds did.
type AddReport struct {
	NewOutlets []string // outlets appended
	NewFeeds   int      // feeds added, in new outlets and in outlets already there
	Known      int      // feeds skipped: already in the config (same canonical URL) or twice in the list
	Invalid    []string // feeds skipped: not absolute http(s) URLs, with why
}

// FeedKey is the form in which two feed URLs are the same feed: scheme
// (http or https), host case, a www. prefix, default ports, a trailing
// slash and the fragment do not count.
func FeedKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	port := u.Port()
	if port == "80" || port == "443" {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	p := strings.TrimSuffix(u.EscapedPath(), "/")
	k := host + p
	if u.RawQuery != "" {
		k += "?" + u.RawQuery
	}
	return k
}

// site is the host a feed belongs to, for grouping feeds into outlets:
// its home page's host, else the feed's, without www., feeds., rss. or
// feed. in front.
func site(f Imported) string {
	for _, raw := range []string{f.Site, f.URL} {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Hostname() == "" {
			continue
		}
		h := strings.ToLower(u.Hostname())
		for _, p := range []string{"www.", "feeds.", "rss.", "feed."} {
			h = strings.TrimPrefix(h, p)
		}
		return h
	}
	return ""
}

var slugRE = lazyRE(`[^a-z0-9]+`)

// outletName makes an outlet name (see outlet.CheckName) from a title, or from the
// site when the title has too few Latin letters or digits.
func outletName(title, site string) string {
	s := strings.Trim(slugRE().ReplaceAllString(strings.ToLower(title), "-"), "-")
	if len(s) < 3 {
		s = strings.Trim(slugRE().ReplaceAllString(site, "-"), "-")
	}
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	if s == "" {
		s = "outlet"
	}
	return s
}

// newOutlet is one outlet to append.
type newOutlet struct {
	name, title, language, comment string
	feeds                          []string
}

// AddFeeds returns src (the bytes of the config at path) with feeds
// added: each feed not in the config already (by FeedKey) goes to the
// outlet that its feedvault:outlet or source names, or that has feeds on
// its site (when only one outlet does); the rest are grouped by site into
// new outlets, named from their titles (categories are topics, not
// outlets: they become a comment above the outlet). The result is validated
// with Parse; nothing is returned but an error when it does not.
func AddFeeds(path string, src []byte, feeds []Imported) ([]byte, AddReport, error) {
	var rep AddReport
	cfg, err := Parse(path, src)
	if err != nil {
		return nil, rep, fmt.Errorf("%s does not load as it is, so it is not edited: %w", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, rep, fmt.Errorf("config: %s: %w", path, err)
	}
	outletsNode := rootKey(doc.Content[0], "outlets")
	seen := map[string]bool{}
	names := map[string]bool{}
	bySite := map[string][]int{} // site -> indexes of existing outlets with feeds there
	byName := map[string]int{}
	for i, o := range cfg.Outlets {
		names[o.Name] = true
		byName[o.Name] = i
		sites := map[string]bool{}
		for _, f := range o.Feeds {
			seen[FeedKey(f)] = true
			sites[site(Imported{URL: f})] = true
		}
		for s := range sites {
			bySite[s] = append(bySite[s], i)
		}
	}
	addTo := map[int][]string{} // existing outlet index -> feeds to append
	var fresh []*newOutlet
	freshBy := map[string]*newOutlet{}
	for _, f := range feeds {
		u, err := url.Parse(strings.TrimSpace(f.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			rep.Invalid = append(rep.Invalid, fmt.Sprintf("%q: not an absolute http(s) URL", f.URL))
			continue
		}
		if why := specialHost(u.Hostname()); why != "" {
			// A feed's host:port is trusted for its articles: a list
			// from elsewhere does not get to grant that.
			rep.Invalid = append(rep.Invalid, fmt.Sprintf("%q: a special-purpose address (%s), which a feed would make trusted; write it into the config by hand if you mean it", f.URL, why))
			continue
		}
		feed := u.String()
		k := FeedKey(feed)
		if seen[k] {
			rep.Known++
			continue
		}
		seen[k] = true
		rep.NewFeeds++
		s := site(f)
		cat := strings.Join(f.Category, "/")
		existing, known := byName[f.Outlet]
		if !known && f.Outlet == "" && f.Source != "" {
			existing, known = byName[outletName(f.Source, "")]
		}
		if !known && f.Outlet == "" && len(bySite[s]) == 1 {
			i := bySite[s][0]
			if l := cfg.Outlets[i].Language; f.Language == "" || l == "" || strings.EqualFold(l, f.Language) {
				existing, known = i, true
			}
		}
		if known {
			addTo[existing] = append(addTo[existing], feed)
			continue
		}
		key, title := "site:"+s, f.Title
		switch {
		case f.Outlet != "":
			key, title = "outlet:"+f.Outlet, f.Title
		case f.Source != "":
			key, title = "source:"+f.Source, f.Source
		}
		if o := freshBy[key]; o != nil {
			o.feeds = append(o.feeds, feed)
			continue
		}
		name := f.Outlet
		if !outlet.ValidName(name) {
			name = outletName(title, s)
		}
		base := name
		for n := 2; names[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		names[name] = true
		o := &newOutlet{name: name, title: oneLine(title), language: oneLine(f.Language), feeds: []string{feed}}
		if cat != "" {
			o.comment = "from the list's category " + oneLine(cat)
		}
		freshBy[key] = o
		fresh = append(fresh, o)
	}
	out, err := appendToFeeds(src, outletsNode, addTo)
	if err != nil {
		return nil, rep, err
	}
	if len(fresh) > 0 {
		if out, err = appendOutlets(out, doc.Content[0], outletsNode, fresh); err != nil {
			return nil, rep, err
		}
	}
	for _, o := range fresh {
		rep.NewOutlets = append(rep.NewOutlets, o.name)
	}
	if _, err := Parse(path, out); err != nil {
		return nil, rep, fmt.Errorf("the edited config does not validate, so it is not written: %w", err)
	}
	return out, rep, nil
}

func rootKey(root *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			return root.Content[i+1]
		}
	}
	return nil
}

// lines splits src into lines that keep their "\n".
func lines(src []byte) [][]byte {
	ls := bytes.SplitAfter(src, []byte("\n"))
	if len(ls) > 0 && len(ls[len(ls)-1]) == 0 {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// appendToFeeds adds feeds to the feeds lists of outlets already in the
// file: a block list gets new "- URL" lines after its last item, at its
// indentation; a flow list on one line ([a, b]) gets ", URL" before its
// "]". Other shapes are left to the user, with an error.
func appendToFeeds(src []byte, outlets *yaml.Node, addTo map[int][]string) ([]byte, error) {
	if len(addTo) == 0 {
		return src, nil
	}
	ls := lines(src)
	inserts := map[int][]byte{} // after line index -> text
	idxs := make([]int, 0, len(addTo))
	for i := range addTo {
		idxs = append(idxs, i)
	}
	slices.Sort(idxs)
	for _, i := range idxs {
		on := outlets.Content[i]
		fl := rootKey(on, "feeds")
		if fl == nil || fl.Kind != yaml.SequenceNode || len(fl.Content) == 0 {
			return nil, fmt.Errorf("config: outlet at line %d: its feeds are not a list that can be added to", on.Line)
		}
		last := fl.Content[len(fl.Content)-1]
		if fl.Style&yaml.FlowStyle != 0 {
			if fl.Line != last.Line {
				return nil, fmt.Errorf("config: line %d: a feeds list written [ ... ] over several lines: add these by hand: %s", fl.Line, strings.Join(addTo[i], ", "))
			}
			// The list's "]" is the first after its last item (another
			// list may follow on the line: extract: {remove: [...]}).
			l := ls[fl.Line-1]
			from := last.Column - 1 + len(last.Value)
			if last.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
				from += 2
			}
			j := -1
			if from <= len(l) {
				if k := bytes.IndexByte(l[from:], ']'); k >= 0 {
					j = from + k
				}
			}
			if j < 0 {
				return nil, fmt.Errorf("config: line %d: cannot find the end of the feeds list", fl.Line)
			}
			var add bytes.Buffer
			for _, f := range addTo[i] {
				add.WriteString(", ")
				add.WriteString(scalarText(f))
			}
			nl := slices.Concat(l[:j], add.Bytes(), l[j:])
			ls[fl.Line-1] = nl
			continue
		}
		dash := strings.Repeat(" ", max(last.Column-3, 0)) + "- "
		var add bytes.Buffer
		for _, f := range addTo[i] {
			add.WriteString(dash + scalarText(f) + "\n")
		}
		end := lastLine(last)
		inserts[end-1] = append(inserts[end-1], add.Bytes()...)
	}
	var out bytes.Buffer
	for n, l := range ls {
		out.Write(l)
		if ins, ok := inserts[n]; ok {
			if !bytes.HasSuffix(l, []byte("\n")) {
				out.WriteByte('\n')
			}
			out.Write(ins)
		}
	}
	return out.Bytes(), nil
}

// lastLine is the last line a node's value is on (for a plain scalar, its
// own line).
func lastLine(n *yaml.Node) int {
	l := n.Line
	for _, c := range n.Content {
		l = max(l, lastLine(c))
	}
	return l
}

// scalarText writes one value as YAML would, quoted when it must be.
func scalarText(s string) string {
	b, _ := yaml.Marshal(s)
	return strings.TrimSuffix(string(b), "\n")
}

// appendOutlets adds new outlets at the end of the outlets list: at the
// end of the file when outlets is its last top-level key, else before the
// next top-level key and the comments above it. They take the list's
// indentation.
func appendOutlets(src []byte, root, outlets *yaml.Node, fresh []*newOutlet) ([]byte, error) {
	if outlets == nil || outlets.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("config: the outlets list is missing or not a list")
	}
	indent := 2
	if outlets.Style&yaml.FlowStyle != 0 {
		return nil, fmt.Errorf("config: line %d: an outlets list written [ ... ]: write it as a block list first", outlets.Line)
	}
	if len(outlets.Content) > 0 {
		indent = max(outlets.Content[0].Column-3, 0)
	}
	pad := strings.Repeat(" ", indent)
	var add bytes.Buffer
	for _, o := range fresh {
		add.WriteString("\n")
		if o.comment != "" {
			fmt.Fprintf(&add, "%s# %s\n", pad, o.comment)
		}
		fmt.Fprintf(&add, "%s- name: %s\n", pad, scalarText(o.name))
		if o.title != "" && o.title != o.name {
			fmt.Fprintf(&add, "%s  title: %s\n", pad, scalarText(o.title))
		}
		if o.language != "" {
			fmt.Fprintf(&add, "%s  language: %s\n", pad, scalarText(o.language))
		}
		fmt.Fprintf(&add, "%s  feeds:\n", pad)
		for _, f := range o.feeds {
			fmt.Fprintf(&add, "%s    - %s\n", pad, scalarText(f))
		}
	}
	ls := lines(src)
	at := len(ls) // insert before line index at
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i+1] == outlets && i+2 < len(root.Content) {
			// Blank lines and top-level comments above the next key
			// belong to it.
			at = root.Content[i+2].Line - 1
			for at > 0 && (len(bytes.TrimSpace(ls[at-1])) == 0 || bytes.HasPrefix(ls[at-1], []byte("#"))) {
				at--
			}
		}
	}
	var out bytes.Buffer
	for _, l := range ls[:at] {
		out.Write(l)
	}
	if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
		out.WriteByte('\n')
	}
	// Trailing blank lines of the list stay after what is added.
	trail := 0
	for b := out.Bytes(); bytes.HasSuffix(b, []byte("\n\n")); b = b[:len(b)-1] {
		trail++
	}
	res := slices.Concat(out.Bytes()[:out.Len()-trail], add.Bytes(), bytes.Repeat([]byte("\n"), trail))
	for _, l := range ls[at:] {
		res = append(res, l...)
	}
	return res, nil
}

// oneLine makes text from a list safe to write on one line of YAML:
// control characters (a newline could start a key of its own) become
// spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " ")
}
