package config

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/feedvault/feedvault/redact"
	"go.yaml.in/yaml/v3"
)

// The parser's readers of single values (strings, durations, sizes,
// URLs, selectors) and its messages' helpers (kinds of node, known keys,
// suggestions for a typo).

func (p *parser) scalar(n *yaml.Node, field string) bool {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, field, "expected a single value, got %s", kindName(n))
		return false
	}
	return true
}

func (p *parser) str(n *yaml.Node, field string, dst *string) {
	if p.scalar(n, field) {
		*dst = strings.TrimSpace(n.Value)
	}
}

func (p *parser) userAgent(n *yaml.Node, field string, dst *string) {
	if !p.scalar(n, field) {
		return
	}
	ua := strings.TrimSpace(n.Value)
	if !strings.Contains(strings.ToLower(ua), "feedvault") {
		p.errorf(n, field, "%q must name feedvault so that publishers can tell who is fetching", ua)
		return
	}
	*dst = ua
}

func (p *parser) duration(n *yaml.Node, field string, dst *time.Duration, min time.Duration) {
	if !p.scalar(n, field) {
		return
	}
	d, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		p.errorf(n, field, "invalid duration %q (write it like 90s, 15m or 2h)", n.Value)
		return
	}
	if d < min || d < 0 {
		p.errorf(n, field, "%s is too short: the least is %s", d, min)
		return
	}
	*dst = d
}

func (p *parser) intRange(n *yaml.Node, field string, dst *int, lo, hi int) {
	if !p.scalar(n, field) {
		return
	}
	var v int
	if err := n.Decode(&v); err != nil || v < lo || v > hi {
		p.errorf(n, field, "%q: want a whole number from %d to %d", n.Value, lo, hi)
		return
	}
	*dst = v
}

var sizeRE = lazyRE(`^(\d+)\s*(|B|KB|KiB|MB|MiB|GB|GiB)$`)

func (p *parser) size(n *yaml.Node, field string, dst *int64) {
	if !p.scalar(n, field) {
		return
	}
	m := sizeRE().FindStringSubmatch(strings.TrimSpace(n.Value))
	if m == nil {
		p.errorf(n, field, "invalid size %q (write it like 5MiB or 500KB)", n.Value)
		return
	}
	var v int64
	fmt.Sscan(m[1], &v)
	mult := map[string]int64{"": 1, "B": 1, "KB": 1000, "KiB": 1 << 10, "MB": 1e6, "MiB": 1 << 20, "GB": 1e9, "GiB": 1 << 30}[m[2]]
	if v <= 0 || v > (1<<40)/mult {
		p.errorf(n, field, "size %q is out of range", n.Value)
		return
	}
	*dst = v * mult
}

func (p *parser) robots(n *yaml.Node, field string, dst *bool) {
	if !p.scalar(n, field) {
		return
	}
	switch strings.TrimSpace(n.Value) {
	case "obey":
		*dst = true
	case "ignore":
		*dst = false
	default:
		p.errorf(n, field, "%q: write obey or ignore", n.Value)
	}
}

func (p *parser) urls(n *yaml.Node, field string, dst *[]string) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, field, "expected a list of URLs, got %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		p.errorf(n, field, "the list is empty: give at least one feed URL")
	}
	for i, v := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !p.scalar(v, f) {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(v.Value))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
			p.errorf(v, f, "%q is not an absolute http(s) URL%s", redact.String(v.Value), schemeHint(v.Value))
			continue
		}
		if port := u.Port(); port != "" {
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				p.errorf(v, f, "%q: port %s is out of range (1-65535)", redact.URL(u.String()), port)
				continue
			}
		}
		*dst = append(*dst, u.String())
	}
}

func (p *parser) rules(n *yaml.Node, field string, r *Rules) {
	p.mapping(n, field, map[string]func(*yaml.Node, string){
		"content": func(v *yaml.Node, f string) { p.selectors(v, f, &r.Content) },
		"remove":  func(v *yaml.Node, f string) { p.selectors(v, f, &r.Remove) },
	})
}

// selectors accepts one selector or a list, and compiles each so that a
// typo is an error now rather than a silent no-match later.
func (p *parser) selectors(n *yaml.Node, field string, dst *[]string) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for i, v := range items {
		f := field
		if n.Kind == yaml.SequenceNode {
			f = fmt.Sprintf("%s[%d]", field, i)
		}
		if !p.scalar(v, f) {
			continue
		}
		if _, err := cascadia.Compile(v.Value); err != nil {
			p.errorf(v, f, "invalid CSS selector %q: %v", v.Value, err)
			continue
		}
		*dst = append(*dst, v.Value)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func orRoot(f string) string {
	if f == "" {
		return "(top level)"
	}
	return f
}

func known(keys map[string]func(*yaml.Node, string)) string {
	ks := make([]string, 0, len(keys))
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// suggest offers the known key closest to a misspelt one.
func suggest(got string, keys map[string]func(*yaml.Node, string)) string {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	best := Closest(got, names)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// Closest is the name closest to a misspelt one (at most two edits
// away; the first in order of a tie), or "": for "did you mean" hints,
// here and for the CLI's flags.
func Closest(got string, names []string) string {
	best, bestD := "", 3
	for _, k := range names {
		if d := editDistance(got, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// schemeHint suggests the URL a scheme-less one was meant to be
// ("example.com/rss" → https://example.com/rss), when that one parses.
func schemeHint(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") || s == "" {
		return ""
	}
	u, err := url.Parse("https://" + strings.TrimPrefix(s, "//"))
	if err != nil || u.Hostname() == "" || !strings.Contains(u.Hostname(), ".") {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", redact.URL(u.String()))
}
