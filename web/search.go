package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/store"
)

// PageSize is the number of results on a search page.
const PageSize = 20

type searchPage struct {
	Form    form
	Error   string
	Total   int
	Outlets []store.CountRow
	Results []result
	Page    int
	From    int
	To      int
	Next    string // link to the next page, "" on the last
	First   string // link to the first page, "" on it
}

func (p searchPage) PageTitle() string {
	if p.Form.Q == "" {
		return "search"
	}
	return p.Form.Q + " · search"
}

type result struct {
	A       *store.Article
	Title   []segment
	Snippet []segment
}

// segment is a run of text, a match of the query or not.
type segment struct {
	Text string
	Hit  bool
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, err := parseForm(r.URL.Query())
	p := searchPage{Form: f, Page: 1}
	if err != nil {
		p.Error = err.Error()
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	}
	q, _ := f.request()
	node, err := query.Parse(q.Query)
	if err != nil {
		p.Error = err.Error()
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	}
	var after *store.Cursor
	if v := r.URL.Query().Get("after"); v != "" {
		if after, err = parseCursor(v); err != nil {
			s.fail(w, r, http.StatusBadRequest, err)
			return
		}
		if n, err := strconv.Atoi(r.URL.Query().Get("p")); err == nil && n > 1 {
			p.Page = n
		}
		p.First = f.Link("/")
	}
	// All the matches, not only those after the cursor, per outlet (as
	// count --by outlet; CountByOutlet has a fast walk for no words).
	grid, err := s.opt.Reader.CountByOutlet(ctx, q, store.ByMonth)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	q.After = after
	for o, rows := range grid {
		n := 0
		for _, row := range rows {
			n += row.Count
		}
		p.Outlets = append(p.Outlets, store.CountRow{Key: o, Count: n})
		p.Total += n
	}
	sort.Slice(p.Outlets, func(i, j int) bool { return p.Outlets[i].Key < p.Outlets[j].Key })
	q.Limit = PageSize + 1 // one more tells whether there is a next page
	arts, err := s.opt.Reader.Query(ctx, q)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if len(arts) > PageSize {
		arts = arts[:PageSize]
		last := arts[len(arts)-1]
		c := store.Filter{Seen: q.Seen}.CursorOf(last)
		p.Next = f.Link("/", "after", formatCursor(c), "p", strconv.Itoa(p.Page+1))
	}
	p.From = (p.Page-1)*PageSize + 1
	p.To = p.From + len(arts) - 1
	terms := highlightTerms(node)
	for _, a := range arts {
		p.Results = append(p.Results, result{A: a, Title: highlight(a.Title, terms), Snippet: snippet(a.Text, terms, 40)})
	}
	s.render(w, r, http.StatusOK, "search", p)
}

func formatCursor(c *store.Cursor) string {
	return strconv.FormatInt(c.Time.UnixNano(), 10) + "." + strconv.FormatUint(c.ID, 10)
}

func parseCursor(v string) (*store.Cursor, error) {
	ts, ids, ok := strings.Cut(v, ".")
	n, err1 := strconv.ParseInt(ts, 10, 64)
	id, err2 := strconv.ParseUint(ids, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return nil, fmt.Errorf("bad page position %q: follow the page links", v)
	}
	return &store.Cursor{Time: time.Unix(0, n).UTC(), ID: id}, nil
}

// term is a word to highlight: whole, or as a prefix.
type term struct {
	word   string
	prefix bool
}

// highlightTerms are the words a match may have found in title or text:
// those not under a NOT, and not limited to author or outlet.
func highlightTerms(n *query.Node) []term {
	var out []term
	var walk func(n *query.Node)
	walk = func(n *query.Node) {
		if n == nil {
			return
		}
		switch n.Op {
		case query.OpNot:
			return
		case query.OpTerm, query.OpPhrase:
			if n.Field != query.FieldAny && n.Field != query.FieldTitle {
				return
			}
			for _, w := range n.Words {
				out = append(out, term{w, n.Prefix})
			}
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	walk(n)
	return out
}

// word is one word of a text: its byte span, lower-cased as the index has it.
type word struct {
	start, end int
	lower      string
}

// words splits s as query.EachWord does, keeping where each word is.
func words(s string) []word {
	var out []word
	query.EachWordAt(s, func(start, end int, w []byte) {
		out = append(out, word{start, end, string(w)})
	})
	return out
}

func matches(w string, terms []term) bool {
	for _, t := range terms {
		if w == t.word || t.prefix && strings.HasPrefix(w, t.word) {
			return true
		}
	}
	return false
}

// highlight splits s into segments, marking the words that match terms.
func highlight(s string, terms []term) []segment {
	return mark(s, words(s), 0, len(s), terms)
}

func mark(s string, ws []word, from, to int, terms []term) []segment {
	var out []segment
	at := from
	for _, w := range ws {
		if w.start < from || w.end > to || !matches(w.lower, terms) {
			continue
		}
		if w.start > at {
			out = append(out, segment{Text: s[at:w.start]})
		}
		out = append(out, segment{Text: s[w.start:w.end], Hit: true})
		at = w.end
	}
	if at < to {
		out = append(out, segment{Text: s[at:to]})
	}
	return out
}

// snippet is about n words of text around its first match (or its start),
// with the matches marked.
func snippet(text string, terms []term, n int) []segment {
	ws := words(text)
	if len(ws) == 0 {
		return nil
	}
	first := 0
	for i, w := range ws {
		if matches(w.lower, terms) {
			first = i
			break
		}
	}
	lo := max(0, first-n/3)
	hi := min(len(ws), lo+n)
	from, to := ws[lo].start, ws[hi-1].end
	if lo == 0 {
		from = 0
	}
	if hi == len(ws) {
		to = len(text) // keep the closing punctuation
	}
	segs := mark(text, ws, from, to, terms)
	for i := range segs {
		segs[i].Text = oneLine(segs[i].Text)
	}
	if lo > 0 {
		segs = append([]segment{{Text: "… "}}, segs...)
	}
	if hi < len(ws) {
		segs = append(segs, segment{Text: " …"})
	}
	return segs
}

// oneLine folds newlines into spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}
