package extractor

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// page wraps body markup in a minimal document.
func page(head, body string) []byte {
	return []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8">` + head + `</head><body>` + body + `</body></html>`)
}

const para1 = `<p>The regional council approved the new budget on Monday after a debate that lasted well into the night, officials said.</p>`
const para2 = `<p>Opposition members had argued that the spending plan, which raises taxes on fuel, would hurt families in rural districts.</p>`
const para3 = `<p>The governor, speaking to reporters afterwards, said the budget was balanced and that no further cuts were planned this year.</p>`

func extract(t *testing.T, b []byte, rules Rules) *Result {
	t.Helper()
	r, err := Extract(Input{Body: b, URL: "https://news.example.org/a/1", Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func removedBy(r *Result, rule string) bool {
	for _, rm := range r.Removed {
		if rm.Rule == rule {
			return true
		}
	}
	return false
}

// Each rule with a page where it fires and one where it must not.
func TestRules(t *testing.T) {
	body := `<article><h1>Council approves budget</h1>` + para1 + para2 + para3 + `</article>`
	tests := []struct {
		name     string
		html     []byte
		rules    Rules
		keep     []string
		drop     []string
		ruleName string // a removal that must be reported
	}{
		{"nav removed", page("", `<nav><a href="/">Home</a> <a href="/world">World news today</a></nav>`+body), Rules{},
			[]string{"regional council approved"}, []string{"World news today"}, "structure:nav"},
		{"aside removed", page("", body+`<aside><p>Listen to our podcast about budgets, every week, on all platforms.</p></aside>`), Rules{},
			[]string{"governor"}, []string{"podcast"}, "structure:aside"},
		{"hidden removed", page("", `<article>`+para1+`<div style="display:none"><p>Hidden teaser text that no reader ever sees on the page.</p></div>`+para2+`</article>`), Rules{},
			[]string{"Opposition members"}, []string{"Hidden teaser"}, "structure:hidden"},
		{"dialog role removed", page("", body+`<div role="dialog"><p>Before you go, tell us what you think of our coverage this year.</p></div>`), Rules{},
			[]string{"governor"}, []string{"Before you go"}, "structure:role=dialog"},
		{"strong class word removed", page("", `<article>`+para1+`<div class="article-newsletter-box"><p>Get the morning briefing sent straight to you at dawn.</p></div>`+para2+para3+`</article>`), Rules{},
			[]string{"Opposition members"}, []string{"morning briefing"}, "class:newsletter"},
		{"weak class word removed without content word", page("", `<article><div class="post-meta">Filed under Politics, Budget</div>`+para1+para2+para3+`</article>`), Rules{},
			[]string{"regional council"}, []string{"Filed under"}, "class:meta"},
		{"weak class word kept beside content word", page("", `<article><div class="meta-box entry-content"><p>Lawmakers met for the third time this month to vote on the spending plan.</p></div>`+para1+para2+para3+`</article>`), Rules{},
			[]string{"third time this month", "regional council"}, nil, ""},
		{"headline not in body", page("<title>Council approves budget</title>", body), Rules{},
			[]string{"regional council"}, []string{"Council approves budget"}, "structure:headline"},
		{"link list removed", page("", `<article>`+para1+para2+`<ul><li><a href="/1">Mayor resigns after a long scandal</a></li><li><a href="/2">Floods hit the north again</a></li></ul>`+para3+`</article>`), Rules{},
			[]string{"governor"}, []string{"Mayor resigns"}, "links"},
		{"paragraph with a link kept", page("", `<article>`+para1+`<p>The plan, <a href="/doc">published in full</a> on the council's site, runs to 300 pages and covers every department.</p>`+para2+para3+`</article>`), Rules{},
			[]string{"published in full on the council's site"}, nil, ""},
		{"donation appeal removed by wording", page("", `<article>`+para1+para2+para3+`<div class="box"><p>Dear readers,</p><p>We are facing unprecedented challenges, and our newsroom needs you.</p><p>Please support us monthly starting from just $2. Every contribution makes a difference.</p><p>Remind me later.</p></div></article>`), Rules{},
			[]string{"governor"}, []string{"Dear readers", "unprecedented challenges", "Remind me later"}, "wording-box:donation"},
		{"reporting on a fundraiser stays", page("", `<article>`+para1+`<p>The charity said it had raised $2 million in donations this year, and its director urged the council to support independent journalism in the region through grants.</p>`+para2+para3+`</article>`), Rules{},
			[]string{"raised $2 million in donations", "support independent journalism in the region"}, nil, ""},
		{"newsletter line removed by wording", page("", `<article>`+para1+para2+`<p>Sign up for our free weekly newsletter</p>`+para3+`</article>`), Rules{},
			[]string{"governor"}, []string{"Sign up"}, "wording:newsletter"},
		{"russian teaser removed", page("", `<article>`+para1+para2+`<p>Читайте также: Губернатор ушёл в отставку</p>`+para3+`</article>`), Rules{},
			[]string{"governor"}, []string{"Читайте также"}, "wording:teaser"},
		{"outlet remove rule", page("", `<article>`+para1+`<div class="mt-promo-x"><p>Our partner offers the best deals on travel in the whole region.</p></div>`+para2+para3+`</article>`), Rules{Remove: []string{".mt-promo-x"}},
			[]string{"governor"}, []string{"best deals"}, "outlet:remove"},
		{"outlet content rule", page("", `<div class="main-col"><p>Only this paragraph is the article body according to the outlet rule set here.</p></div><div class="other">`+para1+para2+para3+`</div>`), Rules{Content: []string{".main-col"}},
			[]string{"Only this paragraph"}, []string{"regional council"}, ""},
		{"aside wrapping the whole article kept", page("", `<aside class="layout">`+para1+para2+para3+`</aside>`), Rules{},
			[]string{"regional council", "Opposition members", "governor"}, nil, ""},
		{"strong class word on the main container kept", page("", `<div class="story has-comments">`+para1+para2+para3+`</div><div class="comments"><p>Great article, thanks for writing it up so clearly!</p></div>`), Rules{},
			[]string{"regional council", "governor"}, []string{"Great article"}, "class:comments"},
		{"nav inside a paragraph's sentence is not a nav", page("", `<article>`+para1+`<p>The navy said its ships would navigate the strait, and the minister praised the navigation plan on Tuesday.</p>`+para2+`</article>`), Rules{},
			[]string{"navigation plan"}, nil, ""},
		{"heading-led related box removed", page("", `<div class="main"><article>`+para1+para2+para3+`</article><article class="x"><h3>You may also like</h3><article><p>Another story about a different council and its long debate over the spending plans for next year.</p></article><article><p>Yet another story about the weather, the harvest and the prices of bread in the markets of the region.</p></article></article></div>`), Rules{},
			[]string{"governor"}, []string{"Another story", "Yet another story"}, "wording-box:related"},
		{"a section heading that merely starts like one stays", page("", `<article>`+para1+`<section><h2>More details emerged on Tuesday</h2>`+para2+para3+`</section></article>`), Rules{},
			[]string{"More details emerged", "Opposition members", "governor"}, nil, ""},
		{"section heading with a title class kept", page("", `<article>`+para1+`<h2 class="section-title">What the budget means for schools</h2>`+para2+para3+`</article>`), Rules{},
			[]string{"What the budget means for schools", "governor"}, nil, ""},
		{"heading whose id is an anchor of its text kept", page("", `<article>`+para1+`<h2 id="what-share-of-families-pay-more">What share of families pay more?</h2>`+para2+para3+`</article>`), Rules{},
			[]string{"What share of families pay more?", "governor"}, nil, ""},
		{"heading with a strong class word removed", page("", `<article>`+para1+para2+para3+`<h3 class="related-title">Other news from the region today</h3></article>`), Rules{},
			[]string{"governor"}, []string{"Other news from the region"}, "class:related"},
		{"heading whose class abbreviates 'advanced' as adv kept", page("", `<article>`+para1+`<h2 class="kt-adv-heading10415_16fee3-9c wp-block-kadence-advancedheading">What the budget means for schools</h2>`+para2+para3+`</article>`), Rules{},
			[]string{"What the budget means for schools", "governor"}, nil, ""},
		{"a fold the reader can open is kept", page("", `<article>`+para1+`<a role="button" aria-controls="faq1">How much will the new budget cost families?</a><div id="faq1" style="display:none"><p>Families with two children will pay about 40 euros more a year in fuel taxes, the finance ministry estimated in its report to the council.</p></div>`+para2+para3+`</article>`), Rules{},
			[]string{"How much will the new budget cost families?", "Families with two children will pay"}, nil, ""},
		{"a hidden menu is not a fold", page("", `<article>`+para1+`<button aria-controls="m">Menu</button><ul id="m" style="display:none"><li><a href="/a">Politics</a></li><li><a href="/b">Business</a></li></ul>`+para2+para3+`</article>`), Rules{},
			[]string{"governor"}, []string{"Politics"}, "structure:hidden"},
		{"paywall box with plans and member perks removed", page("", `<article>`+para1+para2+para3+`<div class="box"><p>To view the full story, please subscribe to the Valley Courier.</p><p>You can choose a $60 Annual Subscription or a $6 Monthly Subscription.</p><p>Join now or renew to get:</p><ul><li>Unlimited access to every story on our site</li><li>Our members-only weekly briefing</li><li>Discounts at local businesses and events</li></ul></div></article>`), Rules{},
			[]string{"governor"}, []string{"To view the full story", "Annual Subscription", "Join now", "members-only weekly briefing", "Discounts at local"}, ""},
		{"event promotion removed", page("", `<article>`+para1+para2+`<p>RSVP for our Zoom panel on the housing crisis next Thursday.</p>`+para3+`</article>`), Rules{},
			[]string{"governor"}, []string{"RSVP"}, "wording:promotion"},
		{"loading placeholder removed", page("", `<article>`+para1+`<div>Loading...</div>`+para2+para3+`</article>`), Rules{},
			[]string{"governor"}, []string{"Loading"}, "wording:chrome"},
		{"advertisement label removed", page("", `<article>`+para1+`<div class="x"><div>Advertisement</div></div>`+para2+para3+`</article>`), Rules{},
			[]string{"governor"}, []string{"Advertisement"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := extract(t, tt.html, tt.rules)
			for _, k := range tt.keep {
				if !strings.Contains(r.Text, k) {
					t.Errorf("lost %q; text:\n%s", k, r.Text)
				}
			}
			for _, d := range tt.drop {
				if strings.Contains(r.Text, d) {
					t.Errorf("kept %q; text:\n%s", d, r.Text)
				}
			}
			if tt.ruleName != "" && !removedBy(r, tt.ruleName) {
				t.Errorf("no removal reported by %s: %+v", tt.ruleName, r.Removed)
			}
		})
	}
}

func TestParagraphsInOrderSeparatedByBlankLines(t *testing.T) {
	r := extract(t, page("", `<article>`+para1+`<h2>What comes next</h2>`+para2+`<ul><li>First, a vote in the upper chamber next week.</li><li>Then the governor signs it into law.</li></ul><blockquote>It is a fair budget for everyone in the region, the governor said.</blockquote>`+para3+`</article>`), Rules{})
	want := []string{"The regional council", "What comes next", "Opposition members", "First, a vote", "Then the governor", "It is a fair budget", "The governor, speaking"}
	paras := strings.Split(r.Text, "\n\n")
	if len(paras) != len(want) {
		t.Fatalf("%d paragraphs, want %d:\n%s", len(paras), len(want), r.Text)
	}
	for i, w := range want {
		if !strings.HasPrefix(paras[i], w) {
			t.Errorf("paragraph %d = %q, want prefix %q", i, paras[i], w)
		}
	}
}

func TestTableRowsAreLines(t *testing.T) {
	r := extract(t, page("", `<article>`+para1+`<table><tr><th>Pos.</th><th>Driver</th><th>Points</th></tr><tr><td>1</td><td>Kyle Busch</td><td>5</td></tr><tr><td>2</td><td>Martin Truex</td><td>5</td></tr></table>`+para2+`</article>`), Rules{})
	for _, want := range []string{"\n\nPos. Driver Points\n\n", "\n\n1 Kyle Busch 5\n\n", "\n\n2 Martin Truex 5\n\n"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, r.Text)
		}
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		name  string
		html  []byte
		flag  string
		empty bool
	}{
		{"cloudflare challenge", page("<title>Just a moment...</title>", `<div id="cf-wrapper"><h1>Checking your browser before accessing example.org</h1><p>This process is automatic. Your browser will redirect to your requested content shortly.</p><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script></div>`), FlagChallenge, true},
		{"paywall", page(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"x","isAccessibleForFree":"False"}</script>`, `<article>`+para1+para2+`<div class="paywall"><p>Subscribe to continue reading.</p></div></article>`), FlagPaywalled, false},
		{"consent wall", page("<title>Before you continue</title>", `<div><h1>Before you continue</h1><p>We use cookies and data to deliver and maintain services. Accept all cookies or reject all.</p></div>`), FlagConsent, false},
		{"index page", page("<title>World</title>", `<ul>`+strings.Repeat(`<li><a href="/a">A headline about something that happened today</a></li>`, 40)+`</ul>`), FlagNotArticle, false},
	}
	for _, tt := range tests {
		r := extract(t, tt.html, Rules{})
		if !r.HasFlag(tt.flag) {
			t.Errorf("%s: flags %v, want %s", tt.name, r.Flags, tt.flag)
		}
		if tt.empty && r.Text != "" {
			t.Errorf("%s: challenge page text kept: %q", tt.name, r.Text)
		}
	}
	// and not firing on a plain article
	r := extract(t, page("<title>Budget</title>", `<article>`+para1+para2+para3+para1+`</article>`), Rules{})
	for _, f := range []string{FlagChallenge, FlagPaywalled, FlagConsent, FlagNotArticle, FlagFallback} {
		if r.HasFlag(f) {
			t.Errorf("plain article flagged %s", f)
		}
	}
}

func TestDeepNestingFallsBack(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("<html><body>")
	for i := 0; i < 100000; i++ {
		b.WriteString("<div>")
	}
	b.WriteString(`<p>The text at the bottom of a very deep page is still extracted.</p><script>var x = "no";</script>`)
	for i := 0; i < 100000; i++ {
		b.WriteString("</div>")
	}
	b.WriteString("</body></html>")
	r := extract(t, b.Bytes(), Rules{})
	if !r.HasFlag(FlagFallback) || !strings.Contains(r.Text, "still extracted") || strings.Contains(r.Text, "var x") {
		t.Errorf("flags %v text %q", r.Flags, r.Text)
	}
}

func TestCharsets(t *testing.T) {
	ru := `<article><p>Министр иностранных дел прибыла в Москву для переговоров с российскими официальными лицами, сообщили в посольстве.</p><p>Визит стал третьим с начала года, пояснили в министерстве иностранных дел, не уточнив деталей.</p></article>`
	cp, _ := charmap.Windows1251.NewEncoder().String(string(page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`, ru)))
	cp = strings.Replace(cp, `<meta charset="utf-8">`, "", 1)
	koi, _ := charmap.KOI8R.NewEncoder().String(strings.Replace(string(page("", ru)), `<meta charset="utf-8">`, "", 1))
	tests := []struct{ name, body, ctype string }{
		{"windows-1251 meta", cp, ""},
		{"windows-1251 header", cp, "text/html; charset=windows-1251"},
		{"koi8-r sniffed", koi, ""},
		{"utf-8 without declaration", strings.Replace(string(page("", ru)), `<meta charset="utf-8">`, "", 1), ""},
	}
	for _, tt := range tests {
		r, _ := Extract(Input{Body: []byte(tt.body), ContentType: tt.ctype})
		if !strings.Contains(r.Text, "Министр иностранных дел") {
			t.Errorf("%s: charset %s, text %q", tt.name, r.Charset, r.Text)
		}
	}
}

func TestMetadataOrderOfTrust(t *testing.T) {
	head := `<title>Title tag | Site</title>
<meta property="og:title" content="OG title"><meta name="author" content="Meta Author">
<meta property="article:published_time" content="2024-10-01T00:00:00Z"><meta property="article:modified_time" content="2024-10-02T00:00:00Z">
<meta property="og:image" content="/img/lead.jpg"><meta name="keywords" content="budget, council">
<link rel="canonical" href="https://news.example.org/a/1?x=1">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"Page"},{"@type":"NewsArticle","headline":"LD headline","datePublished":"2024-10-29T11:42:00+03:00","author":[{"@type":"Person","name":"Ann One"},{"@type":"Person","name":"Bo Two"}],"articleSection":"Politics","inLanguage":"en-GB"}]}</script>`
	r := extract(t, page(head, `<article>`+para1+para2+`</article>`), Rules{})
	want := map[string]any{
		"title": "LD headline", "authors": "Ann One|Bo Two", "published": "2024-10-29T08:42:00Z", "modified": "2024-10-02T00:00:00Z",
		"image": "https://news.example.org/img/lead.jpg", "section": "Politics", "language": "en", "tags": "budget|council",
		"canonical": "https://news.example.org/a/1?x=1",
	}
	got := map[string]any{
		"title": r.Title, "authors": strings.Join(r.Authors, "|"), "published": r.Published.UTC().Format(time.RFC3339),
		"modified": r.Modified.UTC().Format(time.RFC3339), "image": r.Image, "section": r.Section, "language": r.Language,
		"tags": strings.Join(r.Tags, "|"), "canonical": r.Canonical,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	// Hints fill only what the page lacks.
	r2, _ := Extract(Input{Body: page("", `<article>`+para1+`</article>`), Hints: Hints{Title: "Feed title", Authors: []string{"Feed Author"}, Published: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}})
	if r2.Title != "Feed title" || len(r2.Authors) != 1 || r2.Published.Year() != 2024 {
		t.Errorf("hints not applied: %+v", r2)
	}
}

func TestInvalidRuleIsAnError(t *testing.T) {
	if _, err := Extract(Input{Body: page("", para1), Rules: Rules{Remove: []string{"div[["}}}); err == nil {
		t.Error("invalid selector accepted")
	}
}

// Golden files: testdata/NAME.html → testdata/NAME.golden.json. Refresh
// with go test ./extractor -run Golden -update, and review the diff.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.html")
	if len(files) == 0 {
		t.Fatal("no golden pages in testdata/")
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		r, err := Extract(Input{Body: b, URL: "https://news.example.org/" + filepath.Base(f)})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.MarshalIndent(r, "", "  ")
		golden := strings.TrimSuffix(f, ".html") + ".golden.json"
		if *update {
			os.WriteFile(golden, append(got, '\n'), 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if string(bytes.TrimSpace(want)) != string(got) {
			t.Errorf("%s differs from %s; run with -update and review the diff\ngot:\n%s", f, golden, got)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(page("<title>x</title>", para1+para2), "text/html")
	f.Add([]byte("<div><div><p>text</div></p></div>"), "")
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "text/html; charset=utf-16")
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		r, err := Extract(Input{Body: b, ContentType: ct})
		if err != nil || r == nil {
			t.Fatalf("no result: %v", err)
		}
	})
}

// Soft hyphens, word joiners and byte-order marks are hints a reader
// never sees: the text, the title and the authors drop them, so that
// "Klima&shy;wandel" is one word to grep and to the archive's search.
func TestInvisibleRunesAreDropped(t *testing.T) {
	para := `<p>Die Bundes&shy;regierung hat den Klima&shy;wandel zum Thema gemacht, und der Aus&shy;schuss berät am Montag erneut über die Vorlage des Ministeriums.</p>`
	body := `<html><head><title>Klima&shy;wandel: Bundes&#x2060;tag berät</title><meta name="author" content="Hans-Jo&shy;achim Beispiel"></head><body><article><h1>Klima&shy;wandel</h1>` +
		strings.Repeat(para, 4) + "<p>\ufeffEin letzter Satz über den Klimawandel, der ohne Marke beginnt und endet.</p></article></body></html>"
	r, err := Extract(Input{Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"text": r.Text, "title": r.Title, "authors": strings.Join(r.Authors, ",")} {
		if strings.ContainsAny(s, "\u00ad\u2060\ufeff") {
			t.Errorf("%s keeps an invisible rune: %q", name, s)
		}
	}
	for _, want := range []string{"Bundesregierung", "Klimawandel zum Thema", "Ausschuss berät", "Ein letzter Satz"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, r.Text)
		}
	}
	if r.Title != "Klimawandel: Bundestag berät" || len(r.Authors) != 1 || r.Authors[0] != "Hans-Joachim Beispiel" {
		t.Errorf("title %q, authors %q", r.Title, r.Authors)
	}
}
