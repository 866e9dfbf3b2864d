package extractor

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/feedvault/feedvault/extractor/quality"
	"github.com/feedvault/feedvault/textenc"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Markup that real sites use on the element holding the article must not
// cost the article. On every page of the WCXB tuning half and the dev
// set, the element that holds the article (the smallest one with 85% of
// the extracted words) is given the class words, tag names and wrappers
// that templates use; the page is extracted again, and the perturbed
// text must keep 80% of the words of the unperturbed one. The table of
// the share of pages lost per perturbation is logged (go test -v -run
// Perturb); a perturbation that loses more pages than its bound fails,
// listing each lost page with the path, the net's reason and the
// removals that took the text (what --explain prints).

// perturbation changes the tree around the article's element a; it
// reports false when it does not apply to the page.
type perturbation struct {
	name string
	// maxLost is the share of pages it may lose: 0 where no page may be
	// lost, more where a short article beside much other prose still is
	// (README), 1 for markup no template we know of uses (report only).
	maxLost float64
	apply   func(a *html.Node) bool
}

// perturbKeep is the share of the unperturbed words a perturbed text
// must keep; articleShare is the share of the extracted words the
// article's element holds.
const (
	perturbKeep  = 0.8
	articleShare = 0.85
	perturbMin   = 50 // words: shorter outputs are not measured
	raceSample   = 10 // under the race detector, one page in raceSample
	// The bounds, what extractor 2.6 reaches (README): none lost to a
	// class word or a tag on the article's own element; a class word
	// on its parent (one page: the article's own container is not
	// that element); the words that name readers' comments on it or
	// on its parent (a thread always goes, and a short article under
	// a comment word is one); on its sections (a message word at the
	// article's end reads as a letter to readers) and on each of its
	// paragraphs. A bound allows the next whole page up (ceil) from
	// its share, so that the race detector's sample of a tenth of the
	// pages is held to it too.
	lostParent   = 0.003
	lostComments = 0.0095
	lostParts    = 0.0134
	lostWraps    = 0.0058
	lostNone     = 0
	reportOnly   = 1
)

func perturbations() []perturbation {
	var ps []perturbation
	classes := []struct {
		word    string
		maxLost float64
		parent  bool // tried on the parent too
	}{
		{"sticky", lostNone, true}, {"ads", lostNone, true}, {"sidebar", lostNone, true}, {"related", lostNone, true},
		{"widget", lostNone, false}, {"share", lostNone, false}, {"header", lostNone, false}, {"footer", lostNone, false},
		{"is-hidden", lostNone, false}, {"promo", lostNone, false}, {"modal", lostNone, false}, {"social", lostNone, false},
		{"banner", lostNone, false}, {"popup", lostNone, false},
		// Readers' comment threads go however long they are; the one
		// text named after comments outside a thread is the article's.
		{"comments", lostComments, true},
		// A template that names the article's container after a
		// newsletter is not one we know of.
		{"newsletter", reportOnly, false},
	}
	for _, c := range classes {
		ps = append(ps, perturbation{"class " + c.word, c.maxLost, func(a *html.Node) bool {
			addClass(a, "article-"+c.word)
			return true
		}})
		if c.parent {
			bound := max(c.maxLost, lostParent)
			ps = append(ps, perturbation{"parent class " + c.word, bound, func(a *html.Node) bool {
				if a.Parent == nil || a.Parent.DataAtom == atom.Body {
					return false
				}
				addClass(a.Parent, c.word)
				return true
			}})
		}
	}
	for _, w := range []string{"sticky", "ads", "widget", "promo", "related"} {
		ps = append(ps, perturbation{"children class " + w, lostParts, func(a *html.Node) bool {
			n := 0
			for c := a.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Div || c.DataAtom == atom.Section) {
					addClass(c, "block-"+w)
					n++
				}
			}
			return n >= 2
		}})
	}
	for _, tag := range []string{"header", "aside", "section", "footer", "nav", "form"} {
		ps = append(ps, perturbation{"tag " + tag, lostNone, func(a *html.Node) bool {
			if a.DataAtom == atom.Body {
				return false
			}
			a.Data, a.DataAtom = tag, atom.Lookup([]byte(tag))
			return true
		}})
	}
	for _, cls := range []string{"title", "widget-title"} {
		ps = append(ps, perturbation{"headings class " + cls, lostNone, func(a *html.Node) bool {
			n := 0
			for d := range a.Descendants() {
				if d.Type == html.ElementNode && isHeading(d.DataAtom) && d.DataAtom != atom.H1 {
					addClass(d, cls)
					n++
				}
			}
			return n > 0
		}})
	}
	ps = append(ps, perturbation{"paragraphs in figure", lostWraps, func(a *html.Node) bool {
		return wrapParas(a, "figure", "")
	}}, perturbation{"paragraphs in div.sticky", lostWraps, func(a *html.Node) bool {
		return wrapParas(a, "div", "sticky")
	}})
	return ps
}

func addClass(n *html.Node, c string) {
	for i := range n.Attr {
		if n.Attr[i].Key == "class" {
			n.Attr[i].Val += " " + c
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: "class", Val: c})
}

// wrapParas puts each <p> inside a in an element of its own.
func wrapParas(a *html.Node, tag, class string) bool {
	var ps []*html.Node
	for d := range a.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == atom.P {
			ps = append(ps, d)
		}
	}
	for _, p := range ps {
		w := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
		if class != "" {
			addClass(w, class)
		}
		p.Parent.InsertBefore(w, p)
		p.Parent.RemoveChild(p)
		w.AppendChild(p)
	}
	return len(ps) > 0
}

// perturbPage is one page of the measurement.
type perturbPage struct{ name, file, url string }

func perturbPages(t *testing.T) []perturbPage {
	var out []perturbPage
	for base, tr := range loadTruth(t, "../../shared/testdata/extraction/wcxb-articles") {
		if quality.Half(tr.URL) == quality.Tuning {
			out = append(out, perturbPage{filepath.Base(base), base + ".html", tr.URL})
		}
	}
	for base, tr := range loadTruth(t, "../../shared/testdata/extraction/dev") {
		out = append(out, perturbPage{"dev-" + filepath.Base(base)[:12], base + ".html", tr.URL})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func TestArticleSurvivesMarkupPerturbations(t *testing.T) {
	pages := perturbPages(t)
	if raceDetector {
		// Every page, each perturbation, is some 20,000 extractions:
		// minutes without the race detector, an hour with it.
		var sample []perturbPage
		for i := 0; i < len(pages); i += raceSample {
			sample = append(sample, pages[i])
		}
		t.Logf("race detector on: measuring every %dth of %d pages", raceSample, len(pages))
		pages = sample
	}
	ps := perturbations()
	type tally struct {
		applied, lost int
		pages         []string
		why           []string // per lost page: what --explain says
	}
	var mu sync.Mutex
	tallies := make([]tally, len(ps))
	t.Run("pages", func(t *testing.T) {
		for _, pg := range pages {
			t.Run(pg.name, func(t *testing.T) {
				t.Parallel()
				raw := readFile(t, pg.file)
				doc := textenc.Decode(raw, "").Text
				base := extractBytes(t, doc, pg.url)
				want := wordBag(base.Text)
				if total(want) < perturbMin {
					return
				}
				path := articlePath(t, doc, want)
				for i, p := range ps {
					root := parseHTML(t, doc)
					a := follow(root, path)
					if a == nil || a.Type != html.ElementNode || a.DataAtom == atom.Html || !p.apply(a) {
						continue
					}
					var buf bytes.Buffer
					if err := html.Render(&buf, root); err != nil {
						t.Fatal(err)
					}
					r := extractBytes(t, buf.Bytes(), pg.url)
					keep := kept(want, wordBag(r.Text))
					mu.Lock()
					tallies[i].applied++
					if keep < perturbKeep {
						tallies[i].lost++
						tallies[i].pages = append(tallies[i].pages, pg.name)
						tallies[i].why = append(tallies[i].why, fmt.Sprintf("%s, <%s class=%q>: kept %.0f%% of %d words; path %s (%s); removed: %s",
							pg.name, a.Data, attr(a, "class"), 100*keep, total(want), r.Path, r.PathWhy, articleRemovals(r.Removed, want)))
					}
					mu.Unlock()
				}
			})
		}
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%d pages (WCXB tuning half and dev); lost = keeps < %.0f%% of the unperturbed words\n", len(pages), 100*perturbKeep)
	fmt.Fprintf(&b, "%-32s %8s %6s %7s %6s  %s\n", "perturbation", "applied", "lost", "share", "bar", "pages")
	for i, p := range ps {
		tl := tallies[i]
		share := 0.0
		if tl.applied > 0 {
			share = float64(tl.lost) / float64(tl.applied)
		}
		sort.Strings(tl.pages)
		fmt.Fprintf(&b, "%-32s %8d %6d %6.1f%% %5.1f%%  %s\n", p.name, tl.applied, tl.lost, 100*share, 100*p.maxLost, strings.Join(first(tl.pages, 4), " "))
	}
	t.Log("\n" + b.String())
	if testing.Verbose() {
		for i, p := range ps {
			if tl := tallies[i]; tl.lost > 0 {
				sort.Strings(tl.why)
				t.Logf("%s, lost:\n%s", p.name, strings.Join(tl.why, "\n"))
			}
		}
	}
	for i, p := range ps {
		tl := tallies[i]
		if tl.applied > 0 && float64(tl.lost) > math.Ceil(p.maxLost*float64(tl.applied)) {
			sort.Strings(tl.why)
			t.Errorf("%s: %d of %d pages lost (bar %.1f%%):\n%s", p.name, tl.lost, tl.applied, 100*p.maxLost, strings.Join(tl.why, "\n"))
		}
	}
}

func first(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// articleRemovals lists the removals, as --explain prints them, whose
// text is most of it the unperturbed article's: the rules that took it.
func articleRemovals(rm []Removal, want map[string]int) string {
	type scored struct {
		r     Removal
		share float64
	}
	var took []scored
	for _, r := range rm {
		if s := kept(wordBag(r.Text), want); s >= 0.5 && total(wordBag(r.Text)) >= 5 {
			took = append(took, scored{r, s})
		}
	}
	sort.SliceStable(took, func(i, j int) bool { return took[i].share > took[j].share })
	var parts []string
	for i, s := range took {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(took)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("[%s] %q", s.r.Rule, shorten(s.r.Text, 80)))
	}
	if len(parts) == 0 {
		return "no removal holds the article's words (the content was chosen elsewhere)"
	}
	return strings.Join(parts, "; ")
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func extractBytes(t *testing.T, b []byte, url string) *Result {
	t.Helper()
	r, err := Extract(Input{Body: b, URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Skipf("the page does not parse (%v): the flat pass has no markup to perturb", err)
	}
	return root
}

// articlePath finds the smallest element holding articleShare of the
// extracted words, as child indices from the root.
func articlePath(t *testing.T, doc []byte, want map[string]int) []int {
	n := parseHTML(t, doc)
	var path []int
	for {
		next, idx := (*html.Node)(nil), 0
		i := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && kept(want, wordBag(nodeText(c))) >= articleShare {
				next, idx = c, i
				break
			}
			i++
		}
		if next == nil {
			return path
		}
		n = next
		path = append(path, idx)
	}
}

func follow(n *html.Node, path []int) *html.Node {
	for _, i := range path {
		c := n.FirstChild
		for ; c != nil && i > 0; i-- {
			c = c.NextSibling
		}
		if c == nil {
			return nil
		}
		n = c
	}
	return n
}

func wordBag(s string) map[string]int {
	bag := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		bag[w]++
	}
	return bag
}

func total(bag map[string]int) int {
	n := 0
	for _, c := range bag {
		n += c
	}
	return n
}

// kept is the share of want's words that got has too.
func kept(want, got map[string]int) float64 {
	all, hit := 0, 0
	for w, c := range want {
		all += c
		hit += min(c, got[w])
	}
	if all == 0 {
		return 1
	}
	return float64(hit) / float64(all)
}
