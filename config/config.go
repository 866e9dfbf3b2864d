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
	"os"
	"strings"
	"time"

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
