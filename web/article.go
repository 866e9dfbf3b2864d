package web

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/store"
)

type articlePage struct {
	A            *store.Article
	Paragraphs   []string
	Headers      []string // "Name: value", sorted
	Observations []store.Observation
	Changes      []change
	Audit        *audit
}

func (p articlePage) PageTitle() string { return p.A.Title }

// change is one step of an article's history: a version to the next.
type change struct {
	From, To        string
	Title, Authors  [2]string // old, new; equal when unchanged
	TitleChanged    bool
	AuthorsChanged  bool
	Lines           []diffLine
	TextUnchanged   bool
	ExtractorChange string
}

type diffLine struct {
	Kind string // del, ins, same, gap
	Text string
}

// audit is the removal audit: what the extractor removed from the stored
// page, by which rule, replayed now.
type audit struct {
	NoPage   bool
	Version  string // the extractor that replayed it
	Stored   string // the extractor that made the stored text
	Differs  bool   // the replay's text is not the stored text
	Removed  []extractor.Removal
	Flags    []string
	RawBytes int
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, fmt.Errorf("bad article id %q", r.PathValue("id")))
		return
	}
	a, err := s.opt.Reader.Article(ctx, strconv.FormatUint(id, 10))
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("article %d: %w", id, err))
		return
	}
	p := articlePage{A: a}
	for _, para := range strings.Split(a.Text, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			p.Paragraphs = append(p.Paragraphs, para)
		}
	}
	for k, v := range a.Headers {
		p.Headers = append(p.Headers, k+": "+v)
	}
	sortStrings(p.Headers)
	if p.Observations, err = s.opt.Reader.Observations(ctx, id); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	revs, err := s.opt.Reader.Revisions(ctx, id)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	p.Changes = history(a, revs)
	raw, err := s.opt.Reader.Raw(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		p.Audit = &audit{NoPage: true}
	case err != nil:
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	default:
		p.Audit = s.replay(a, raw)
	}
	s.render(w, r, http.StatusOK, "article", p)
}

// replay runs the extractor on the stored page again, with the outlet's
// rules, to list what it removes. The text of the archive is never
// changed by this: the page says when the replay differs.
func (s *Server) replay(a *store.Article, raw []byte) *audit {
	var rules *extractor.CompiledRules
	if s.opt.Rules != nil {
		rules = s.opt.Rules(a.Outlet)
	}
	if rules == nil {
		rules, _ = extractor.Compile(extractor.Rules{}) // no selectors: cannot fail
	}
	u := a.FinalURL
	if u == "" {
		u = a.URL
	}
	res := extractor.ExtractCompiled(extractor.Input{Body: raw, ContentType: a.ContentType, URL: u}, rules)
	return &audit{Version: res.Version, Stored: a.ExtractorVersion, Removed: res.Removed, Flags: res.Flags,
		Differs: normalise(res.Text) != normalise(a.Text), RawBytes: len(raw)}
}

func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

// history diffs each earlier version to the one that replaced it, by
// paragraph, oldest first.
func history(cur *store.Article, revs []store.Revision) []change {
	type version struct {
		label, title, authors, text, extractor string
	}
	var vs []version
	for _, r := range revs {
		vs = append(vs, version{fmt.Sprintf("revision %d (until %s)", r.Rev, r.Until.UTC().Format("2006-01-02 15:04 UTC")),
			r.Title, strings.Join(r.Authors, "; "), r.Text, r.ExtractorVersion})
	}
	if len(vs) == 0 {
		return nil
	}
	vs = append(vs, version{"current (fetched " + cur.Fetched.UTC().Format("2006-01-02 15:04 UTC") + ")",
		cur.Title, strings.Join(cur.Authors, "; "), cur.Text, cur.ExtractorVersion})
	var out []change
	for i := 0; i+1 < len(vs); i++ {
		a, b := vs[i], vs[i+1]
		c := change{From: a.label, To: b.label, Title: [2]string{a.title, b.title}, Authors: [2]string{a.authors, b.authors},
			TitleChanged: a.title != b.title, AuthorsChanged: a.authors != b.authors}
		if a.extractor != b.extractor && a.extractor != "" && b.extractor != "" {
			c.ExtractorChange = a.extractor + " → " + b.extractor
		}
		pa, pb := paragraphs(a.text), paragraphs(b.text)
		if pa == pb {
			c.TextUnchanged = true
		} else if d, err := udiff.ToUnifiedDiff(a.label, b.label, pa, udiff.Lines(pa, pb), 1); err == nil {
			for i, h := range d.Hunks {
				if i > 0 {
					c.Lines = append(c.Lines, diffLine{Kind: "gap", Text: "…"})
				}
				for _, l := range h.Lines {
					k := map[udiff.OpKind]string{udiff.Delete: "del", udiff.Insert: "ins", udiff.Equal: "same"}[l.Kind]
					c.Lines = append(c.Lines, diffLine{Kind: k, Text: strings.TrimSuffix(l.Content, "\n")})
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// paragraphs puts one paragraph per line, for a diff by paragraph.
func paragraphs(text string) string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = normalise(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// raw serves the stored page for the sandboxed frame: under a CSP
// sandbox (an opaque origin: never this one) that allows no script and no
// network at all, so the page shows as text and layout only.
func (s *Server) raw(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad article id", http.StatusBadRequest)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", rawCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "private, max-age=300")
	a, err := s.opt.Reader.Article(r.Context(), strconv.FormatUint(id, 10))
	if err != nil {
		http.Error(w, "no such article", http.StatusNotFound)
		return
	}
	body, err := s.opt.Reader.Raw(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "article has no stored page (archived from the feed, or imported without html)", http.StatusNotFound)
		return
	}
	if err != nil {
		s.log.Error("raw page", "id", id, "err", err)
		http.Error(w, "cannot read the stored page", http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", rawType(a.ContentType))
	h.Set("Content-Disposition", "inline; filename=\"article-"+strconv.FormatUint(id, 10)+".html\"")
	w.Write(body)
}

// rawType is the content type a stored page is served with: HTML as
// HTML (its charset kept), anything else as plain text.
func rawType(ct string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || ct == "" {
		return "text/html"
	}
	out := "text/plain"
	if mt == "text/html" || mt == "application/xhtml+xml" {
		out = "text/html"
	}
	if cs := params["charset"]; cs != "" {
		return mime.FormatMediaType(out, map[string]string{"charset": cs})
	}
	return out
}
