// Package config loads and validates feeds.yaml.
//
// Every error names the file, the line and column, and the field, e.g.
//
//	feeds.yaml:12:7: outlets[1].interval: invalid duration "5 mins"
//
// Nothing runs on a config that does not validate.
package config

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/feedvault/feedvault/outlet"
	"github.com/feedvault/feedvault/redact"
	"go.yaml.in/yaml/v3"
)

// Defaults used when feeds.yaml says nothing.
const (
	DefaultInterval        = 15 * time.Minute
	DefaultTimeout         = 30 * time.Second
	DefaultPerHostConns    = 2
	DefaultPerHostDelay    = 500 * time.Millisecond
	DefaultMaxItemsPerPoll = 200
	DefaultMaxFeedBytes    = 20 << 20
	DefaultMaxPageBytes    = 10 << 20
	DefaultConcurrency     = 16
	DefaultMemoryBudget    = 128 << 20
	MinMemoryBudget        = 16 << 20
	DefaultUserAgent       = "feedvault/0.1 (+https://github.com/feedvault/feedvault; research news archiver)"
)

// Config is the validated content of feeds.yaml.
type Config struct {
	Path     string
	Defaults Settings
	Outlets  []Outlet
}

// Settings are the knobs that apply to every outlet unless it overrides them.
type Settings struct {
	Interval        time.Duration // how often each feed is polled
	Timeout         time.Duration // total time for one HTTP request
	UserAgent       string
	PerHostConns    int           // concurrent requests to one host
	PerHostDelay    time.Duration // minimum spacing between requests to one host
	MaxItemsPerPoll int           // items taken from one poll of one feed
	MaxFeedBytes    int64
	MaxPageBytes    int64
	Robots          bool // obey robots.txt for article pages
	Concurrency     int  // requests in flight at once, over all hosts
	// MemoryBudget bounds the bytes of fetched bodies held at once and
	// the work of parsing them; work waits for room, nothing is dropped.
	MemoryBudget int64
}

// Outlet is one news outlet and its feeds.
type Outlet struct {
	Name     string // short id used in queries
	Title    string
	Language string
	Feeds    []string
	Interval time.Duration
	Robots   bool
	// Politeness toward this outlet's hosts; zero means the defaults.
	PerHostConns int
	PerHostDelay time.Duration
	Extract      Rules
	Line         int // line of the outlet in the file, for messages
}

// Rules are the per-outlet extraction rules: CSS selectors compiled at load.
type Rules struct {
	Content []string // selectors for the article body, tried in order
	Remove  []string // selectors removed before extraction
}

// MaxFileBytes bounds a config file: one with 20,000 feeds is about
// 2 MB. Past it, Load stops reading (the file is not the config, or
// never ends: /dev/zero behind a bad link) rather than take the memory.
const MaxFileBytes = 16 << 20

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("config: %s: larger than %d MiB: is it the right file?", path, MaxFileBytes>>20)
	}
	return Parse(path, b)
}

// Parse validates config bytes; path is used in messages only.
func Parse(path string, b []byte) (*Config, error) {
	p := &parser{path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, syntaxError(path, b, err)
	}
	cfg := &Config{Path: path, Defaults: Settings{
		Interval:        DefaultInterval,
		Timeout:         DefaultTimeout,
		UserAgent:       DefaultUserAgent,
		PerHostConns:    DefaultPerHostConns,
		PerHostDelay:    DefaultPerHostDelay,
		MaxItemsPerPoll: DefaultMaxItemsPerPoll,
		MaxFeedBytes:    DefaultMaxFeedBytes,
		MaxPageBytes:    DefaultMaxPageBytes,
		Robots:          true,
		Concurrency:     DefaultConcurrency,
		MemoryBudget:    DefaultMemoryBudget,
	}}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("config: %s: the file is empty; it needs an outlets: list", path)
	}
	root := doc.Content[0]
	var outlets *yaml.Node
	p.mapping(root, "", map[string]func(*yaml.Node, string){
		"defaults": func(n *yaml.Node, f string) { p.settings(n, f, &cfg.Defaults) },
		"outlets":  func(n *yaml.Node, f string) { outlets = n },
	})
	if outlets == nil && len(p.errs) == 0 {
		p.errorf(root, "outlets", "missing: list at least one outlet")
	}
	if outlets != nil {
		p.outlets(outlets, cfg)
	}
	if len(p.errs) > 0 {
		return nil, &Error{Problems: p.errs}
	}
	return cfg, nil
}

// Error lists every problem found in a config file.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "config: " + strings.Join(e.Problems, "\nconfig: ")
}

type parser struct {
	path string
	errs []string
}

func (p *parser) errorf(n *yaml.Node, field, format string, args ...any) {
	p.errs = append(p.errs, fmt.Sprintf("%s:%d:%d: %s: %s", p.path, n.Line, n.Column, field, fmt.Sprintf(format, args...)))
}

// mapping walks a mapping node and calls the handler of each known key.
// Unknown and repeated keys are errors.
func (p *parser) mapping(n *yaml.Node, field string, keys map[string]func(*yaml.Node, string)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, orRoot(field), "expected a mapping of keys, got %s", kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		sub := k.Value
		if field != "" {
			sub = field + "." + k.Value
		}
		h, ok := keys[k.Value]
		if !ok {
			p.errorf(k, sub, "unknown field %q%s (known: %s)", k.Value, suggest(k.Value, keys), known(keys))
			continue
		}
		if seen[k.Value] {
			p.errorf(k, sub, "given twice")
			continue
		}
		seen[k.Value] = true
		h(v, sub)
	}
}

func (p *parser) settings(n *yaml.Node, field string, s *Settings) {
	p.mapping(n, field, map[string]func(*yaml.Node, string){
		"interval":           func(v *yaml.Node, f string) { p.duration(v, f, &s.Interval, time.Minute) },
		"timeout":            func(v *yaml.Node, f string) { p.duration(v, f, &s.Timeout, time.Second) },
		"user_agent":         func(v *yaml.Node, f string) { p.userAgent(v, f, &s.UserAgent) },
		"per_host_conns":     func(v *yaml.Node, f string) { p.intRange(v, f, &s.PerHostConns, 1, 16) },
		"per_host_delay":     func(v *yaml.Node, f string) { p.duration(v, f, &s.PerHostDelay, 0) },
		"max_items_per_poll": func(v *yaml.Node, f string) { p.intRange(v, f, &s.MaxItemsPerPoll, 1, 100000) },
		"max_feed_bytes":     func(v *yaml.Node, f string) { p.size(v, f, &s.MaxFeedBytes) },
		"max_page_bytes":     func(v *yaml.Node, f string) { p.size(v, f, &s.MaxPageBytes) },
		"robots":             func(v *yaml.Node, f string) { p.robots(v, f, &s.Robots) },
		"concurrency":        func(v *yaml.Node, f string) { p.intRange(v, f, &s.Concurrency, 1, 512) },
		"memory_budget": func(v *yaml.Node, f string) {
			p.size(v, f, &s.MemoryBudget)
			if s.MemoryBudget < MinMemoryBudget {
				p.errorf(v, f, "%q is too small: give at least 16MiB (the default is 128MiB)", v.Value)
				s.MemoryBudget = DefaultMemoryBudget
			}
		},
	})
}

func (p *parser) outlets(n *yaml.Node, cfg *Config) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "outlets", "expected a list of outlets, got %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		p.errorf(n, "outlets", "the list is empty: name at least one outlet")
	}
	names := map[string]int{}
	feeds := map[string]string{}
	for i, on := range n.Content {
		field := fmt.Sprintf("outlets[%d]", i)
		o := Outlet{Interval: cfg.Defaults.Interval, Robots: cfg.Defaults.Robots, Line: on.Line}
		var feedsNode *yaml.Node
		hasDelay := false
		p.mapping(on, field, map[string]func(*yaml.Node, string){
			"name":           func(v *yaml.Node, f string) { p.str(v, f, &o.Name) },
			"title":          func(v *yaml.Node, f string) { p.str(v, f, &o.Title) },
			"language":       func(v *yaml.Node, f string) { p.str(v, f, &o.Language) },
			"interval":       func(v *yaml.Node, f string) { p.duration(v, f, &o.Interval, time.Minute) },
			"robots":         func(v *yaml.Node, f string) { p.robots(v, f, &o.Robots) },
			"per_host_conns": func(v *yaml.Node, f string) { p.intRange(v, f, &o.PerHostConns, 1, 16) },
			"per_host_delay": func(v *yaml.Node, f string) {
				p.duration(v, f, &o.PerHostDelay, 0)
				hasDelay = true
			},
			"feeds": func(v *yaml.Node, f string) {
				feedsNode = v
				p.urls(v, f, &o.Feeds)
			},
			"extract": func(v *yaml.Node, f string) { p.rules(v, f, &o.Extract) },
		})
		if on.Kind != yaml.MappingNode {
			continue
		}
		if o.PerHostConns == 0 {
			o.PerHostConns = cfg.Defaults.PerHostConns
		}
		if !hasDelay {
			o.PerHostDelay = cfg.Defaults.PerHostDelay
		}
		switch {
		case o.Name == "":
			p.errorf(on, field+".name", "missing: give the outlet a short id such as themoscowtimes")
		case !outlet.ValidName(o.Name):
			p.errorf(on, field+".name", "%v", outlet.CheckName(o.Name))
		case names[o.Name] != 0:
			p.errorf(on, field+".name", "%q is already the name of the outlet at line %d", o.Name, names[o.Name])
		default:
			names[o.Name] = on.Line
		}
		if feedsNode == nil {
			p.errorf(on, field+".feeds", "missing: list at least one feed URL")
		}
		for j, u := range o.Feeds {
			if prev, dup := feeds[u]; dup && feedsNode != nil {
				p.errorf(feedsNode.Content[j], fmt.Sprintf("%s.feeds[%d]", field, j), "%s is already a feed of outlet %q", redact.URL(u), prev)
			}
			feeds[u] = o.Name
		}
		cfg.Outlets = append(cfg.Outlets, o)
	}
}

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
			p.errorf(v, f, "%q is not an absolute http(s) URL", redact.String(v.Value))
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
	best, bestD := "", 3
	for k := range keys {
		if d := editDistance(got, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
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
