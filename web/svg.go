package web

import (
	"strconv"
	"strings"
)

// palette colours the outlets, in order; distinguishable in print too.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

// chart is a server-rendered SVG chart: every shape computed here, the
// template only writes it out.
type chart struct {
	W, H    int
	Left    int // x of the axis
	Bottom  int // y of the axis
	Lines   []chartLine
	Bars    []chartBar
	XLabels []chartLabel
	YLabels []chartLabel
}

type chartLine struct {
	Outlet   string
	Color    string
	Segments []string // polyline points; a gap between segments
	Dots     []chartDot
}

// chartDot is one value, with its numbers as data attributes and a
// tooltip (an SVG title: no script).
type chartDot struct {
	X, Y    string
	Period  string
	Outlet  string
	Count   int
	Value   string
	Tooltip string
}

type chartBar struct {
	X, Y, W, H string
	Color      string
	Period     string
	Outlet     string
	Count      int
	Tooltip    string
}

type chartLabel struct {
	X, Y string
	Text string
}

func ff(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// niceMax rounds m up to 1, 2 or 5 times a power of ten.
func niceMax(m float64) float64 {
	if m <= 0 {
		return 1
	}
	p := 1.0
	for p*10 <= m {
		p *= 10
	}
	for p > m*10 {
		p /= 10
	}
	for _, k := range []float64{1, 2, 5, 10} {
		if k*p >= m {
			return k * p
		}
	}
	return 10 * p
}

func valueText(v float64, share bool, count int) string {
	if share {
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	return strconv.Itoa(count)
}

// maxDots is the most periods drawn with a mark (and tooltip) per value.
const maxDots = 200

// timeChart draws the series over the periods: a line per outlet, or
// bars stacked per period; counts, or shares of each outlet's articles.
func timeChart(periods []string, ss []series, stacked, share bool) *chart {
	c := &chart{W: 900, H: 320, Left: 56, Bottom: 280}
	plotW, plotH := float64(c.W-c.Left-16), float64(c.Bottom-16)
	val := func(s series, i int) float64 {
		if share {
			return s.Share(i)
		}
		return float64(s.Counts[i])
	}
	var top float64
	for i := range periods {
		sum := 0.0
		for _, s := range ss {
			if stacked {
				sum += val(s, i)
			} else {
				sum = max(sum, val(s, i))
			}
		}
		top = max(top, sum)
	}
	top = niceMax(top)
	y := func(v float64) float64 { return float64(c.Bottom) - v/top*plotH }
	n := len(periods)
	step := plotW / float64(n)
	x := func(i int) float64 { return float64(c.Left) + step*(float64(i)+0.5) }
	for k := 0; k <= 4; k++ {
		v := top * float64(k) / 4
		t := strconv.FormatFloat(v, 'f', -1, 64)
		if share {
			t = strconv.FormatFloat(v*100, 'f', -1, 64) + "%"
		}
		c.YLabels = append(c.YLabels, chartLabel{X: ff(float64(c.Left - 6)), Y: ff(y(v)), Text: t})
	}
	every := max(1, (n+9)/10)
	for i := 0; i < n; i += every {
		c.XLabels = append(c.XLabels, chartLabel{X: ff(x(i)), Y: strconv.Itoa(c.Bottom + 18), Text: periods[i]})
	}
	if stacked {
		base := make([]float64, n)
		bw := max(step*0.8, 1)
		for _, s := range ss {
			for i := range periods {
				v := val(s, i)
				if s.Counts[i] == 0 {
					continue
				}
				y0, y1 := y(base[i]), y(base[i]+v)
				base[i] += v
				c.Bars = append(c.Bars, chartBar{X: ff(x(i) - bw/2), Y: ff(y1), W: ff(bw), H: ff(y0 - y1), Color: s.Color,
					Period: periods[i], Outlet: s.Outlet, Count: s.Counts[i],
					Tooltip: s.Outlet + " " + periods[i] + ": " + valueText(v, share, s.Counts[i])})
			}
		}
		return c
	}
	for _, s := range ss {
		l := chartLine{Outlet: s.Outlet, Color: s.Color}
		var pts strings.Builder
		flush := func() {
			if p := strings.TrimSpace(pts.String()); p != "" {
				l.Segments = append(l.Segments, p)
			}
			pts.Reset()
		}
		for i := range periods {
			if share && s.Of[i] == 0 {
				flush() // no article of the outlet then: no share, a gap
				continue
			}
			v := val(s, i)
			px, py := ff(x(i)), ff(y(v))
			pts.WriteString(px + "," + py + " ")
			if n > maxDots {
				continue // too dense to point at: the table below has every number
			}
			l.Dots = append(l.Dots, chartDot{X: px, Y: py, Period: periods[i], Outlet: s.Outlet, Count: s.Counts[i],
				Value: valueText(v, share, s.Counts[i]), Tooltip: s.Outlet + " " + periods[i] + ": " + valueText(v, share, s.Counts[i])})
		}
		flush()
		c.Lines = append(c.Lines, l)
	}
	return c
}

// barChart is the totals per outlet, as horizontal bars.
type barChart struct {
	W, H int
	Bars []totalBar
}

type totalBar struct {
	Outlet  string
	Color   string
	Count   int
	Y, W    string
	LabelX  string
	TextY   string
	BarH    string
	Tooltip string
}

func totalsChart(ss []series) *barChart {
	const rowH, left, width = 26, 150, 600
	b := &barChart{W: left + width + 80, H: rowH*len(ss) + 8}
	top := 0
	for _, s := range ss {
		top = max(top, s.Total)
	}
	for i, s := range ss {
		w := float64(width) * float64(s.Total) / float64(max(top, 1))
		b.Bars = append(b.Bars, totalBar{Outlet: s.Outlet, Color: s.Color, Count: s.Total,
			Y: strconv.Itoa(4 + i*rowH), W: ff(max(w, 1)), BarH: strconv.Itoa(rowH - 6), LabelX: ff(float64(left) + w + 6),
			TextY: strconv.Itoa(4 + i*rowH + rowH/2 + 1), Tooltip: s.Outlet + ": " + strconv.Itoa(s.Total)})
	}
	return b
}
