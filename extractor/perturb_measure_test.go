package extractor

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
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

// The measurement behind the perturbation tests (perturb_test.go,
// perturb_structure_test.go): the pages, the article's element on each,
// and the share of pages a perturbation loses.

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

// perturbOnly narrows a run to the perturbations whose name holds it
// (go test -run Perturb -args -perturb 'comment').
var perturbOnly = flag.String("perturb", "", "measure only the perturbations whose name holds this")

// measurePerturbations applies each of ps to the article's element of
// every page (one page in raceSample under the race detector), logs the
// table of pages lost, and fails on a perturbation that loses more than
// its bound. bag counts the units of text the measure compares (the
// words, wordBag).
func measurePerturbations(t *testing.T, ps []perturbation, bag func(string) map[string]int) {
	if *perturbOnly != "" {
		ps = slices.DeleteFunc(ps, func(p perturbation) bool { return !strings.Contains(p.name, *perturbOnly) })
	}
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
					w := bag(base.Text)
					keep := kept(w, bag(r.Text))
					mu.Lock()
					tallies[i].applied++
					if keep < perturbKeep {
						tallies[i].lost++
						tallies[i].pages = append(tallies[i].pages, pg.name)
						tallies[i].why = append(tallies[i].why, fmt.Sprintf("%s, <%s class=%q>: kept %.0f%% of %d words; path %s (%s); removed: %s",
							pg.name, a.Data, attr(a, "class"), 100*keep, total(want), r.Path, r.PathWhy, articleRemovals(r.Removed, w, bag)))
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
	// Under the race detector the pages are a sample of a tenth: it
	// holds a subset of the pages the whole set loses, and may lose as
	// many as the bound allows the whole set.
	scale := 1.0
	if raceDetector {
		scale = raceSample
	}
	for i, p := range ps {
		tl := tallies[i]
		if tl.applied > 0 && float64(tl.lost) > math.Ceil(p.maxLost*float64(tl.applied)*scale) {
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
func articleRemovals(rm []Removal, want map[string]int, bag func(string) map[string]int) string {
	type scored struct {
		r     Removal
		share float64
	}
	var took []scored
	for _, r := range rm {
		if s := kept(bag(r.Text), want); s >= 0.5 && total(bag(r.Text)) >= 5 {
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
