package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/store"
)

type attentionPage struct {
	Form    form
	Error   string
	By      string
	Mode    string // lines or stacked
	Measure string // count or share
	Links   map[string]string
	Total   int
	Periods []string
	Series  []series
	Undated []store.CountRow // per outlet; the periodless bucket
	Chart   *chart
	Totals  *barChart
}

func (p attentionPage) PageTitle() string { return "attention over time" }

// series is one outlet's counts per period, and what they are out of.
type series struct {
	Outlet string
	Color  string
	Total  int
	Counts []int // per period of the page
	Of     []int // all the outlet's articles in the period (for share)
}

// Share is Counts[i] / Of[i], 0 when the outlet has no article then.
func (s series) Share(i int) float64 {
	if s.Of == nil || s.Of[i] == 0 {
		return 0
	}
	return float64(s.Counts[i]) / float64(s.Of[i])
}

// Row is one period of the data table.
type Row struct {
	Period string
	Cells  []Cell
}

// Cell is one outlet in one period.
type Cell struct {
	Outlet string
	Count  int
	Of     int
	Share  float64
}

// Rows is the data table: every number on the chart.
func (p attentionPage) Rows() []Row {
	out := make([]Row, len(p.Periods))
	for i, per := range p.Periods {
		out[i].Period = per
		for _, s := range p.Series {
			c := Cell{Outlet: s.Outlet, Count: s.Counts[i], Share: s.Share(i)}
			if s.Of != nil {
				c.Of = s.Of[i]
			}
			out[i].Cells = append(out[i].Cells, c)
		}
	}
	return out
}

func (s *Server) attention(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	f, err := parseForm(v)
	p := attentionPage{Form: f, By: v.Get("by"), Mode: v.Get("mode"), Measure: v.Get("measure")}
	switch p.By {
	case "":
		p.By = store.ByWeek
	case store.ByDay, store.ByWeek, store.ByMonth:
	default:
		err = fmt.Errorf("unknown period %q (want day, week or month)", p.By)
	}
	if p.Mode != "stacked" {
		p.Mode = "lines"
	}
	if p.Measure != "share" {
		p.Measure = "count"
	}
	p.Links = map[string]string{}
	for _, kv := range [][2]string{{"by", store.ByDay}, {"by", store.ByWeek}, {"by", store.ByMonth}, {"mode", "lines"}, {"mode", "stacked"}, {"measure", "count"}, {"measure", "share"}} {
		cur := map[string]string{"by": p.By, "mode": p.Mode, "measure": p.Measure}
		cur[kv[0]] = kv[1]
		p.Links[kv[0]+"="+kv[1]] = f.Link("/attention", "by", cur["by"], "mode", cur["mode"], "measure", cur["measure"])
	}
	if err != nil {
		p.Error = err.Error()
		s.render(w, r, http.StatusBadRequest, "attention", p)
		return
	}
	q, _ := f.request()
	if _, err := query.Parse(q.Query); err != nil {
		p.Error = err.Error()
		s.render(w, r, http.StatusBadRequest, "attention", p)
		return
	}
	if err := s.attentionData(r.Context(), q, &p); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	s.render(w, r, http.StatusOK, "attention", p)
}

// attentionData fills p with the counts, asked of the archive as
// 'feedvault count' asks, in one pass: per outlet, the query's count by
// period, and for the share, the count of all the outlet's articles by
// period over the same dates.
func (s *Server) attentionData(ctx context.Context, q archiveapi.QueryRequest, p *attentionPage) error {
	rd := s.opt.Reader
	grid, err := rd.CountByOutlet(ctx, q, p.By)
	if err != nil {
		return err
	}
	var outlets []store.CountRow
	for o, rows := range grid {
		n := 0
		for _, row := range rows {
			n += row.Count
		}
		outlets = append(outlets, store.CountRow{Key: o, Count: n})
		p.Total += n
	}
	sort.Slice(outlets, func(i, j int) bool { return outlets[i].Key < outlets[j].Key })
	var of map[string][]store.CountRow
	if p.Measure == "share" && len(outlets) > 0 {
		all := archiveapi.QueryRequest{Since: q.Since, Until: q.Until, Seen: q.Seen}
		for _, o := range outlets {
			all.Outlets = append(all.Outlets, o.Key)
		}
		if of, err = rd.CountByOutlet(ctx, all, p.By); err != nil {
			return err
		}
	}
	type res struct{ counts, of []store.CountRow }
	results := make([]res, len(outlets))
	for i, o := range outlets {
		results[i] = res{grid[o.Key], of[o.Key]}
	}
	// The axis: every period from the first to the last match.
	var first, last string
	for i := range results {
		for _, row := range results[i].counts {
			if _, ok := periodStart(row.Key, p.By); !ok {
				continue
			}
			if first == "" || row.Key < first {
				first = row.Key
			}
			if row.Key > last {
				last = row.Key
			}
		}
	}
	if first != "" {
		a, _ := periodStart(first, p.By)
		b, _ := periodStart(last, p.By)
		if p.Periods, err = periodRange(a, b, p.By); err != nil {
			return err
		}
	}
	index := map[string]int{}
	for i, k := range p.Periods {
		index[k] = i
	}
	for i, o := range outlets {
		sr := series{Outlet: o.Key, Color: palette[i%len(palette)], Total: o.Count, Counts: make([]int, len(p.Periods))}
		for _, row := range results[i].counts {
			if j, ok := index[row.Key]; ok {
				sr.Counts[j] = row.Count
			} else {
				p.Undated = append(p.Undated, store.CountRow{Key: o.Key, Count: row.Count})
			}
		}
		if p.Measure == "share" {
			sr.Of = make([]int, len(p.Periods))
			for _, row := range results[i].of {
				if j, ok := index[row.Key]; ok {
					sr.Of[j] = row.Count
				}
			}
		}
		p.Series = append(p.Series, sr)
	}
	sort.SliceStable(p.Undated, func(i, j int) bool { return p.Undated[i].Key < p.Undated[j].Key })
	if len(p.Periods) > 0 {
		// Shares of different outlets have different denominators: they
		// do not add up, so they are never stacked.
		p.Chart = timeChart(p.Periods, p.Series, p.Mode == "stacked" && p.Measure == "count", p.Measure == "share")
	}
	if len(outlets) > 0 {
		p.Totals = totalsChart(p.Series)
	}
	return nil
}
