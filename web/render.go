package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/query"
)

type pageTemplate = template.Template

var pageNames = []string{"search", "attention", "article", "feeds", "error"}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"day": func(t time.Time) string {
		if t.IsZero() {
			return "undated"
		}
		return t.UTC().Format("2006-01-02")
	},
	"iso": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	},
	"join": strings.Join,
	"pct":  func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" },
}

func parsePages() (map[string]*pageTemplate, error) {
	out := map[string]*pageTemplate{}
	for _, n := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		out[n] = t
	}
	return out, nil
}

// layout is what every page gets: its own data, and the current query
// to carry between pages.
type layout struct {
	Title string
	Nav   string
	Form  form
	Data  any
}

// render executes the page into a buffer first, so that a template
// error is a clean 500 and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var f form
	if name != "error" {
		f, _ = parseForm(r.URL.Query())
	}
	title := name
	if t, ok := data.(interface{ PageTitle() string }); ok {
		title = t.PageTitle()
	}
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, layout{Title: title, Nav: name, Form: f, Data: data}); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "feedvault: cannot render page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// form is the query as the URL holds it: every page that shows articles
// reads it, so any view can be bookmarked and shared.
type form struct {
	Q       string
	Outlets []string
	Since   string
	Until   string
	Seen    bool
	Edited  bool
}

func parseForm(v url.Values) (form, error) {
	f := form{Q: strings.TrimSpace(v.Get("q")), Since: strings.TrimSpace(v.Get("since")), Until: strings.TrimSpace(v.Get("until")),
		Seen: v.Get("seen") != "", Edited: v.Get("edited") != ""}
	for _, o := range v["outlet"] {
		for _, p := range strings.Split(o, ",") {
			if p = strings.TrimSpace(p); p != "" {
				f.Outlets = append(f.Outlets, p)
			}
		}
	}
	_, err := f.request()
	return f, err
}

// request is the archive query the form asks for, as 'feedvault query'
// would build it from the same words and flags.
func (f form) request() (archiveapi.QueryRequest, error) {
	q := archiveapi.QueryRequest{Query: f.Q, Outlets: f.Outlets, Seen: f.Seen, Edited: f.Edited}
	var err error
	if f.Since != "" {
		if q.Since, err = query.ParseDate(f.Since, false); err != nil {
			return q, fmt.Errorf("since: %w", err)
		}
	}
	if f.Until != "" {
		if q.Until, err = query.ParseDate(f.Until, true); err != nil {
			return q, fmt.Errorf("until: %w", err)
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return q, fmt.Errorf("until %s is before since %s", f.Until, f.Since)
	}
	return q, nil
}

// OutletList is the outlets as the form field shows them.
func (f form) OutletList() string { return strings.Join(f.Outlets, ", ") }

// Values is the form as URL parameters.
func (f form) Values() url.Values {
	v := url.Values{}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	for _, o := range f.Outlets {
		v.Add("outlet", o)
	}
	if f.Since != "" {
		v.Set("since", f.Since)
	}
	if f.Until != "" {
		v.Set("until", f.Until)
	}
	if f.Seen {
		v.Set("seen", "1")
	}
	if f.Edited {
		v.Set("edited", "1")
	}
	return v
}

// Link is path with the form's query and extra parameters (name, value
// pairs) set.
func (f form) Link(path string, kv ...string) string {
	v := f.Values()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
