package extractor

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/extractor/quality"
)

// These tests hold the extractor to its bars on the real pages in
// ../shared, scored as the referees in ../shared/eval score them. They
// skip, saying so, when ../shared is absent.

type truth struct {
	URL         string   `json:"url"`
	ArticleBody string   `json:"articleBody"`
	Keep        []string `json:"keep"`
	Drop        []string `json:"drop"`
}

func loadTruth(t *testing.T, dir string) map[string]truth {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skipf("%s is absent: skipping the real-page quality check", dir)
	}
	out := map[string]truth{}
	for _, f := range files {
		var tr truth
		b, _ := os.ReadFile(f)
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(f, ".json")] = tr
	}
	return out
}

func extractFile(t *testing.T, base, url string) string {
	t.Helper()
	b, err := os.ReadFile(base + ".html")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Extract(Input{Body: b, URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return r.Text
}

func TestSeedPageComesOutClean(t *testing.T) {
	pages := loadTruth(t, "../../shared/testdata/seed")
	for base, tr := range pages {
		text := extractFile(t, base, tr.URL)
		kept, missed, leaked, _ := quality.Appeals(text, tr.Keep, tr.Drop)
		if kept != 8 || len(leaked) > 0 {
			t.Errorf("%s: %d/8 paragraphs (missed %q), leaked %q", filepath.Base(base), kept, missed, leaked)
		}
	}
}

func TestAppealPagesBar(t *testing.T) {
	pages := loadTruth(t, "../../shared/testdata/appeals")
	var kept, keeps, leaked, drops int
	for base, tr := range pages {
		text := extractFile(t, base, tr.URL)
		k, missed, l, d := quality.Appeals(text, tr.Keep, tr.Drop)
		kept += k
		keeps += len(tr.Keep)
		leaked += len(l)
		drops += d
		for _, m := range missed {
			t.Logf("%s: missed %q", filepath.Base(base), m)
		}
		for _, x := range l {
			t.Logf("%s: leaked %q", filepath.Base(base), x)
		}
	}
	recall, leak := float64(kept)/float64(keeps), float64(leaked)/float64(drops)
	t.Logf("appeals: keep recall %.4f, drop leakage %.4f over %d pages", recall, leak, len(pages))
	if recall < 0.98 || leak > 0.02 {
		t.Errorf("keep recall %.4f (bar 0.98), leakage %.4f (bar 0.02)", recall, leak)
	}
}

func TestDevSetBar(t *testing.T) {
	pages := loadTruth(t, "../../shared/testdata/extraction/dev")
	var ts []quality.Triple
	for base, tr := range pages {
		ts = append(ts, quality.Match(tr.ArticleBody, extractFile(t, base, tr.URL)))
	}
	p, r, f1 := quality.Aggregate(ts)
	t.Logf("dev: F1 %.4f, precision %.4f, recall %.4f over %d pages", f1, p, r, len(ts))
	if f1 < 0.965 {
		t.Errorf("dev F1 %.4f is below the bar 0.965", f1)
	}
}

// The WCXB pages hold the line on pages the dev set never showed: word F1
// over both halves of the split, and few pages lost (page F1 below 0.5).
// The figures are reported per half; the bar is a regression guard, set
// below what the bench measures (README), not a target tuned to.
func TestWCXBBar(t *testing.T) {
	pages := loadTruth(t, "../../shared/testdata/extraction/wcxb-articles")
	type sum struct{ f1, n, lost float64 }
	halves := map[string]*sum{quality.Tuning: {}, quality.Validation: {}}
	for base, tr := range pages {
		_, _, f1 := quality.Words(tr.ArticleBody, extractFile(t, base, tr.URL))
		h := halves[quality.Half(tr.URL)]
		h.f1 += f1
		h.n++
		if f1 < quality.LostBelow {
			h.lost++
		}
	}
	for name, h := range halves {
		f1, lost := h.f1/h.n, h.lost/h.n
		t.Logf("WCXB %s: word F1 %.4f, lost %.1f%% of %.0f pages", name, f1, 100*lost, h.n)
		if f1 < 0.94 || lost > 0.03 {
			t.Errorf("WCXB %s: word F1 %.4f (bar 0.94), lost %.1f%% (bar 3%%)", name, f1, 100*lost)
		}
	}
}
