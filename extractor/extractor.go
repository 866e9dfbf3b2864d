// Package extractor turns a saved article page into clean text and
// metadata. It is a pure function of (bytes, content type, URL, rules,
// hints): it never fetches, and it decodes the charset before anything else.
//
// How it decides, in order:
//  1. Decode to UTF-8 and parse. A page the HTML parser refuses (nesting
//     past 512 levels) falls back to a flat text pass and is flagged.
//  2. Read metadata from JSON-LD, OpenGraph and meta tags, <time>, and the
//     feed item's hints (see meta.go for the order of trust).
//  3. Remove by structure: scripts, hidden nodes, nav/aside/footer chrome,
//     forms, dialogs, and nodes whose class or id names boilerplate
//     (share, related, newsletter, comments, cookie, ad …) — see rules.go.
//  4. Find the main content by scoring paragraphs for text and link density.
//  5. Serialise the content block by block, dropping link lists, the
//     headline, and blocks whose wording is boilerplate (lexicon.go).
//
// Every removal is reported with the rule that fired.
package extractor

import (
	"bytes"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/feedvault/feedvault/textenc"
	"golang.org/x/net/html"
)

// Version changes whenever the output for some page may change, so that
// archived text records which extractor produced it.
const Version = "2.7"

// Rules are an outlet's own extraction rules, CSS selectors.
type Rules struct {
	Content []string // the article body, tried in order
	Remove  []string // removed before anything else
}

// Hints come from the feed item, and fill in what the page lacks.
type Hints struct {
	Title     string
	Authors   []string
	Published time.Time
	Language  string
}

// Input is everything the extractor looks at.
type Input struct {
	Body        []byte
	ContentType string
	URL         string
	Rules       Rules
	Hints       Hints
	// NoSafetyNet turns the safety net off, for measuring what it does.
	NoSafetyNet bool
}

// Flags describe the page as a whole.
const (
	FlagPaywalled  = "paywalled"
	FlagConsent    = "consent_wall"
	FlagChallenge  = "bot_challenge"
	FlagNotArticle = "not_article"
	FlagFallback   = "fallback_parse" // the HTML tree could not be built
	FlagEmpty      = "no_text"
)

// The paths a text can come by.
const (
	PathRules    = "rules"      // structure, class words, density, wording
	PathNet      = "safety-net" // the rules' result was suspiciously short
	PathFallback = "flat"       // no HTML tree: the flat tokenizer pass
)

// Removal is one block taken out, and why.
type Removal struct {
	Rule string `json:"rule"` // e.g. "structure:nav", "class:newsletter", "wording:donation", "outlet:remove"
	Text string `json:"text"` // its text, shortened
}

// Result is the extraction of one page.
type Result struct {
	Text        string    `json:"text"`
	Title       string    `json:"title,omitempty"`
	Authors     []string  `json:"authors,omitempty"`
	Published   time.Time `json:"published,omitzero"`
	Modified    time.Time `json:"modified,omitzero"`
	Language    string    `json:"language,omitempty"`
	Image       string    `json:"image,omitempty"`
	Description string    `json:"description,omitempty"`
	Section     string    `json:"section,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Canonical   string    `json:"canonical,omitempty"`
	Charset     string    `json:"charset,omitempty"`
	Flags       []string  `json:"flags,omitempty"`
	Removed     []Removal `json:"removed,omitempty"`
	// Path says which candidate gave the text: PathRules, or PathNet when
	// the safety net replaced a suspiciously short result; PathWhy says why.
	Path    string `json:"path,omitempty"`
	PathWhy string `json:"path_why,omitempty"`
	Version string `json:"extractor_version"`
}

// HasFlag reports whether the result carries flag f.
func (r *Result) HasFlag(f string) bool {
	for _, x := range r.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// CompiledRules are Rules with their selectors parsed.
type CompiledRules struct {
	content []cascadia.Selector
	remove  []cascadia.Selector
}

// Compile parses the selectors of r. Config validation has already
// checked them; an error here names the selector.
func Compile(r Rules) (*CompiledRules, error) {
	c := &CompiledRules{}
	for _, s := range r.Content {
		sel, err := cascadia.Compile(s)
		if err != nil {
			return nil, &SelectorError{Selector: s, Err: err}
		}
		c.content = append(c.content, sel)
	}
	for _, s := range r.Remove {
		sel, err := cascadia.Compile(s)
		if err != nil {
			return nil, &SelectorError{Selector: s, Err: err}
		}
		c.remove = append(c.remove, sel)
	}
	return c, nil
}

// SelectorError is an outlet rule that does not parse.
type SelectorError struct {
	Selector string
	Err      error
}

func (e *SelectorError) Error() string {
	return "extractor: invalid selector " + e.Selector + ": " + e.Err.Error()
}

// Extract runs the extractor. It fails only on invalid rules; any page,
// however broken, yields a result (possibly flagged and empty).
func Extract(in Input) (*Result, error) {
	rules, err := Compile(in.Rules)
	if err != nil {
		return nil, err
	}
	return ExtractCompiled(in, rules), nil
}

// ExtractCompiled is Extract with rules compiled once by the caller.
func ExtractCompiled(in Input, rules *CompiledRules) *Result {
	dec := textenc.Decode(in.Body, in.ContentType)
	res := &Result{Charset: dec.Charset, Version: Version}
	root, err := html.ParseWithOptions(bytes.NewReader(dec.Text))
	if err != nil {
		res.Flags = append(res.Flags, FlagFallback)
		res.Path = PathFallback
		res.Text = fallbackText(dec.Text)
		applyHints(res, in.Hints)
		finish(res)
		return res
	}
	x := &extraction{res: res, rules: rules, pageURL: in.URL}
	res.Path = PathRules
	x.run(root)
	if !in.NoSafetyNet {
		x.safetyNet(dec.Text, in.URL)
	}
	applyHints(res, in.Hints)
	finish(res)
	return res
}

func finish(res *Result) {
	if strings.TrimSpace(res.Text) == "" && !res.HasFlag(FlagEmpty) {
		res.Flags = append(res.Flags, FlagEmpty)
	}
	if res.HasFlag(FlagChallenge) {
		// A challenge page is never an article's text.
		res.Text = ""
	}
}
