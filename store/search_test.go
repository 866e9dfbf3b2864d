package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/query/reference"
	bolt "go.etcd.io/bbolt"
)

var vocab = strings.Fields(`north korea troops russia ukraine border talks treaty minister summit moscow
pyongyang seoul kyiv missile drone sanctions election parliament president army navy
Пхеньян Москва войска Украина переговоры министр саммит граница Київ війна
북한 러시아 군대 미사일 회담 대통령 서울`)

// refDocs holds the reference's view of each article.
var refDocs = map[*Article]*reference.Doc{}

func refMatch(n *query.Node, a *Article) bool {
	d := refDocs[a]
	if d == nil {
		d = &reference.Doc{Title: a.Title, Text: a.Text, Outlet: a.Outlet, Authors: a.Authors}
		refDocs[a] = d
	}
	return reference.Match(n, d)
}

func genArticles(n int, seed uint64) []*Article {
	r := rand.New(rand.NewPCG(seed, 1))
	words := func(k int) string {
		var b []string
		for i := 0; i < k; i++ {
			b = append(b, vocab[r.IntN(len(vocab))])
		}
		return strings.Join(b, " ")
	}
	outlets := []string{"themoscowtimes", "meduza", "yonhap", "kyivindependent"}
	authors := []string{"Ann Smith", "Иван Петров", "김철수", "John Smithson"}
	var out []*Article
	for i := 0; i < n; i++ {
		a := &Article{
			URL: fmt.Sprintf("https://x.org/%d", i), Outlet: outlets[r.IntN(len(outlets))],
			Title: words(5), Text: words(40) + ". " + words(40),
			Authors:   []string{authors[r.IntN(len(authors))]},
			Published: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(90*24)) * time.Hour),
			FirstSeen: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		}
		if i%7 == 0 {
			a.Text += " North Korea troops crossed the border." // a planted phrase
		}
		out = append(out, a)
	}
	return out
}

var searchQueries = []string{
	"korea", "north korea", `"north korea"`, `"north korea troops"`, "korea troops border",
	"troops OR missile", "korea -russia", "NOT moscow", "korea NOT moscow", "mis*", "bord*",
	"title:summit", `title:"north korea"`, "author:smith", "author:smithson", `author:"ann smith"`,
	"outlet:meduza", "outlet:meduza korea", "outlet:yonhap OR outlet:meduza", "(troops OR missile) -seoul",
	"Пхеньян", "пхеньян москва", `"Москва войска"`, "київ", "북한", "북한 미사일", "러시아 OR 서울",
	"пере*", "nonexistentword", "-korea -russia", "korea korea",
	// a field on a group, double NOT, typographic quotes (query: TestParseMeaning)
	"title:(summit OR talks) -title:(korea OR seoul)", "author:(smith -smithson)", "NOT NOT korea", "“north korea” -(troops)",
	"korea-(russia OR moscow)", `-outlet:"meduza" title:(mis* пере*)`,
	// phrases narrowed by the rest of an AND (eval.go)
	`"north korea" -troops`, `"north korea" troops -moscow`, `-"north korea" korea`, `("north korea" OR "Москва войска") -russia`,
	`("north korea" OR missile) -"korea troops"`, `("north korea" OR missile) -russia`, `-"north korea" -russia`, `NOT ("north korea" -troops)`, `korea ("north korea" OR -troops)`,
	`title:"north korea" -"korea troops" seoul`, `outlet:yonhap "korea troops" -(seoul OR "north korea")`,
}

func TestSearchMatchesReference(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(1200, 7)
	for i, a := range arts {
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
		if i == 800 {
			// Most articles reach the index; the rest stay dirty, and must
			// be found all the same.
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n, _ := s.DirtyCount(); n != 399 {
		t.Fatalf("%d dirty articles, want 399", n)
	}
	checkOnce := func(stage string) {
		for _, qs := range searchQueries {
			q, err := query.Parse(qs)
			if err != nil {
				t.Fatalf("%q: %v", qs, err)
			}
			for _, f := range []Filter{{Query: q}, {Query: q, Outlets: []string{"meduza", "yonhap"}, Since: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)}} {
				got, err := s.Query(f)
				if err != nil {
					t.Fatal(err)
				}
				var want []*Article
				for _, a := range arts {
					if len(f.Outlets) > 0 && a.Outlet != "meduza" && a.Outlet != "yonhap" {
						continue
					}
					if !f.Since.IsZero() && (a.Published.Before(f.Since) || !a.Published.Before(f.Until)) {
						continue
					}
					if refMatch(q, a) {
						want = append(want, a)
					}
				}
				sort.Slice(want, func(i, j int) bool {
					if !want[i].Published.Equal(want[j].Published) {
						return want[i].Published.After(want[j].Published)
					}
					return want[i].ID > want[j].ID
				})
				if len(got) != len(want) {
					t.Errorf("%s: %q (filtered %v): %d results, reference %d", stage, qs, len(f.Outlets) > 0, len(got), len(want))
					continue
				}
				for i := range got {
					if got[i].ID != want[i].ID {
						t.Errorf("%s: %q: result %d is %d, reference %d", stage, qs, i, got[i].ID, want[i].ID)
						break
					}
				}
				// A page (limit) is the reference's first rows, whichever
				// way the store finds them.
				for _, lim := range []int{1, 7, 50} {
					pf := f
					pf.Limit = lim
					page, err := s.Query(pf)
					if err != nil {
						t.Fatal(err)
					}
					n := min(lim, len(want))
					if len(page) != n {
						t.Errorf("%s: %q limit %d: %d results, reference %d", stage, qs, lim, len(page), n)
						continue
					}
					for i := range page {
						if page[i].ID != want[i].ID {
							t.Errorf("%s: %q limit %d: result %d is %d, reference %d", stage, qs, lim, i, page[i].ID, want[i].ID)
							break
						}
					}
				}
				// count --by day agrees with the results.
				rows, _ := s.Count(f, ByDay)
				total := 0
				for _, r := range rows {
					total += r.Count
				}
				if total != len(want) {
					t.Errorf("%s: %q: count by day sums to %d, want %d", stage, qs, total, len(want))
				}
			}
		}
	}
	check := func(stage string) {
		for _, tu := range testTunings {
			s.page = tu.page
			checkOnce(stage + ", " + tu.name)
		}
		s.page = defaultPageTuning
	}
	check("partly indexed")
	if _, err := s.FlushIndex(0); err != nil {
		t.Fatal(err)
	}
	check("fully indexed")
	if _, err := s.Reindex(); err != nil {
		t.Fatal(err)
	}
	check("reindexed")
}

func TestRevisionsAndTakeDown(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	a := &Article{URL: "https://x.org/a", Outlet: "x", Title: "Troops gather", Text: "First version of the text.", Authors: []string{"Ann"}, FirstSeen: now, Fetched: now, Status: 200}
	id, _, err := s.Put(a, []byte("<html>v1</html>"))
	if err != nil {
		t.Fatal(err)
	}
	due, _ := s.DueRefetch(now.Add(2*time.Hour), 0)
	if len(due) != 1 || due[0].ID != id || due[0].Stage != 0 {
		t.Fatalf("refetch schedule: %+v", due)
	}
	// Same text, different spacing: not an edit.
	if rev, err := s.Revise(id, 0, RefetchResult{Status: 200, Article: &Article{Title: "Troops  gather", Text: "First version of\nthe text.", Authors: []string{"Ann"}, Fetched: now}}); err != nil || rev {
		t.Fatalf("whitespace counted as an edit: %v %v", rev, err)
	}
	if rev, err := s.Revise(id, 1, RefetchResult{Status: 200, Article: &Article{Title: "Troops gather at border", Text: "Second version of the text.", Authors: []string{"Ann"}, Fetched: now}, Raw: []byte("<html>v2</html>")}); err != nil || !rev {
		t.Fatalf("edit not recorded: %v %v", rev, err)
	}
	revs, _ := s.Revisions(id)
	cur, _ := s.Get(id)
	if len(revs) != 1 || revs[0].Text != "First version of the text." || cur.Text != "Second version of the text." || !cur.Edited || cur.Revisions != 1 {
		t.Fatalf("revisions %+v, current %+v", revs, cur)
	}
	if raw, _ := s.Raw(id); string(raw) != "<html>v2</html>" {
		t.Errorf("raw page not the latest: %q", raw)
	}
	// Edited articles are found, by their new words and not their old ones.
	edited, _ := s.Query(Filter{Edited: true})
	if len(edited) != 1 {
		t.Errorf("edited filter: %d", len(edited))
	}
	s.FlushIndex(0)
	q, _ := query.Parse("second")
	if got, _ := s.Query(Filter{Query: q}); len(got) != 1 {
		t.Errorf("new text not indexed")
	}
	q, _ = query.Parse("first")
	if got, _ := s.Query(Filter{Query: q}); len(got) != 0 {
		t.Errorf("old text still indexed")
	}
	// A 404 after it was live: marked, never deleted.
	if _, err := s.Revise(id, 2, RefetchResult{Status: 404}); err != nil {
		t.Fatal(err)
	}
	cur, _ = s.Get(id)
	if cur.TakenDown.IsZero() || cur.Text != "Second version of the text." {
		t.Errorf("after 404: %+v", cur)
	}
	// The schedule ends after the last stage.
	for st := 3; st < len(DefaultRefetchAfter()); st++ {
		s.Revise(id, st, RefetchResult{Status: 200, Article: cur})
	}
	if due, _ := s.DueRefetch(now.Add(365*24*time.Hour), 0); len(due) != 0 {
		t.Errorf("refetches after the last stage: %+v", due)
	}
}

// Paging with After walks every match once, in order, with and without a query.
func TestPagingWithCursor(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(300, 3)
	for i, a := range arts {
		if i%3 == 0 {
			a.Published = arts[0].Published // ties on time
		}
		s.Put(a, nil)
	}
	s.FlushIndex(0)
	q, _ := query.Parse("korea OR Пхеньян")
	for _, f := range []Filter{{}, {Query: q}, {Seen: true}, {Query: q, Seen: true}} {
		all, _ := s.Query(f)
		var paged []*Article
		page := f
		page.Limit = 7
		for {
			got, err := s.Query(page)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, got...)
			if len(got) < page.Limit {
				break
			}
			page.After = f.CursorOf(got[len(got)-1])
		}
		if len(paged) != len(all) {
			t.Fatalf("query %v seen %v: %d paged, %d at once", f.Query, f.Seen, len(paged), len(all))
		}
		for i := range all {
			if paged[i].ID != all[i].ID {
				t.Fatalf("query %v seen %v: item %d differs", f.Query, f.Seen, i)
			}
		}
	}
}

// A word only a few old articles hold: the first page comes from sorting
// those few, not from walking the whole time index, and still equals the
// reference (dirty and indexed, with and without filters and cursor).
// testTunings take every way a page can be found on a small archive:
// lists decoded whole; every list read lazily; lazily, giving up at
// once and decoding them after all.
var testTunings = []struct {
	name string
	page pageTuning
}{
	{"decoded lists", defaultPageTuning},
	{"lazy lists", pageTuning{lazyBytes: 0, lazyWalk: 1 << 30, wholePhrase: 1000, lazyLimit: 1 << 30, lazyAsks: 1 << 30}},
	{"lazy lists, then decoded", pageTuning{lazyBytes: 0, lazyWalk: 3, wholePhrase: 1000, lazyLimit: 1 << 30, lazyAsks: 1 << 30}},
	{"lazy lists, then decoded for a long bound", pageTuning{lazyBytes: 0, lazyWalk: 3, wholePhrase: 1000, lazyLimit: 1 << 30, lazyAsks: 2}},
	{"phrases checked at once", pageTuning{lazyBytes: 128 << 10, lazyWalk: 20000, wholePhrase: 0, lazyLimit: 1000, lazyAsks: 4000}},
	// A listing's page decodes its lists, but asks an excluded word's
	// long list per id of the bound (askLazily).
	{"listing pages", pageTuning{lazyBytes: 0, lazyWalk: 20000, wholePhrase: 1000, lazyLimit: 0, lazyAsks: 4000}},
}

func TestRarePageMatchesReference(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := genArticles(600, 11)
	for i, a := range arts {
		a.Published = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		switch i {
		case 3, 5, 9, 590:
			a.Text += " zeppelin airship"
		case 4, 8:
			a.Text += " airship zeppelin"
		}
		if _, _, err := s.Put(a, nil); err != nil {
			t.Fatal(err)
		}
		if i == 300 {
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The walk gives up within its budget on a rare word.
	if err := s.view(func(tx *bolt.Tx) error {
		_, over := timeWalk(tx, tx.Bucket(bDocs), Filter{}, 0, ^uint64(0), 1, 10, func(uint64) bool { return false }, nil)
		if !over {
			t.Error("a walk that finds nothing within its budget does not say so")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{"partly indexed", "fully indexed", "fully indexed, lazy lists", "fully indexed, lazy lists, then decoded", "fully indexed, phrases checked at once", "fully indexed, listing pages"} {
		s.page = defaultPageTuning
		for _, tu := range testTunings {
			if strings.HasSuffix(stage, tu.name) {
				s.page = tu.page
			}
		}
		if stage == "fully indexed" {
			if _, err := s.FlushIndex(0); err != nil {
				t.Fatal(err)
			}
		}
		for _, qs := range []string{"zeppelin", `"zeppelin airship"`, "zeppelin -airship", `zeppelin -"zeppelin airship"`, "zeppelin OR outlet:meduza", "zeppelin outlet:meduza", "zeppelin -(airship OR korea)", "(zeppelin OR airship) -zeppelin", "zeppelin -(airship -korea)", `zeppelin -"airship zeppelin"`,
			// an exclusion inside an OR: the candidates do not all come
			// from its AND's bound, so it is not settled by it
			`(zeppelin -airship) OR "airship zeppelin"`, "zeppelin -airship -korea"} {
			q, err := query.Parse(qs)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []Filter{{Query: q, Limit: 2}, {Query: q, Limit: 3, Until: arts[500].Published}, {Query: q, Limit: 2, After: &Cursor{arts[8].Published, 0}}} {
				var want []uint64
				for i := len(arts) - 1; i >= 0; i-- {
					a := arts[i]
					if !f.Until.IsZero() && !a.Published.Before(f.Until) || f.After != nil && !a.Published.Before(f.After.Time) {
						continue
					}
					if refMatch(q, a) && len(want) < f.Limit {
						want = append(want, a.ID)
					}
				}
				got, err := s.Query(f)
				if err != nil {
					t.Fatal(err)
				}
				var ids []uint64
				for _, a := range got {
					ids = append(ids, a.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(want) {
					t.Errorf("%s: %q %+v: got %v, reference %v", stage, qs, f, ids, want)
				}
			}
		}
	}
}
