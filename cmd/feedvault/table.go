package main

import (
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/rivo/uniseg"
)

// column is a table column: its header; for one that may shrink to fit
// the terminal, the least width it keeps (0: it never shrinks); for one
// that may be left out on a narrow terminal, its rank (the highest goes
// first; 0: it always stays).
type column struct {
	header string
	min    int
	drop   int
}

// writeTable prints rows under cols, two spaces apart. With width > 0 (a
// terminal's) the shrinkable columns give up room, the widest first,
// until each line fits, and their cells are cut with "…"; when that is
// not enough, the droppable columns are left out, highest rank first.
// With width 0 (a pipe) every cell is printed in full.
func writeTable(w io.Writer, width int, cols []column, rows [][]string) error {
	keep := make([]bool, len(cols))
	for i := range keep {
		keep[i] = true
	}
	widths := make([]int, len(cols))
	for {
		total := -2
		for i, c := range cols {
			if !keep[i] {
				continue
			}
			widths[i] = uniseg.StringWidth(c.header)
			for _, r := range rows {
				widths[i] = max(widths[i], uniseg.StringWidth(r[i]))
			}
			total += widths[i] + 2
		}
		if width <= 0 {
			break
		}
		for ; total > width; total-- {
			best := -1
			for i, c := range cols {
				if keep[i] && c.min > 0 && widths[i] > c.min && (best < 0 || widths[i] > widths[best]) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			widths[best]--
		}
		if total <= width {
			break
		}
		drop := -1
		for i, c := range cols {
			if keep[i] && c.drop > 0 && (drop < 0 || c.drop > cols[drop].drop) {
				drop = i
			}
		}
		if drop < 0 {
			break // as narrow as it goes: the terminal wraps
		}
		keep[drop] = false
	}
	var b strings.Builder
	line := func(cells []string) {
		b.Reset()
		first := true
		for i, cell := range cells {
			if !keep[i] {
				continue
			}
			if !first {
				b.WriteString("  ")
			}
			first = false
			cell = clipWidth(cell, widths[i])
			b.WriteString(cell)
			if pad := widths[i] - uniseg.StringWidth(cell); pad > 0 && !lastKept(keep, i) {
				b.WriteString(strings.Repeat(" ", pad))
			}
		}
		b.WriteByte('\n')
	}
	hdr := make([]string, len(cols))
	for i, c := range cols {
		hdr[i] = c.header
	}
	line(hdr)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for _, r := range rows {
		line(r)
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func lastKept(keep []bool, i int) bool {
	for j := i + 1; j < len(keep); j++ {
		if keep[j] {
			return false
		}
	}
	return true
}

// clipWidth cuts s to n terminal cells, ending it with "…" when cut.
func clipWidth(s string, n int) string {
	if uniseg.StringWidth(s) <= n {
		return s
	}
	var b strings.Builder
	used := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if used+cw > n-1 {
			break
		}
		b.WriteString(g.Str())
		used += cw
	}
	return b.String() + "…"
}

// Prefixes a stored feed error repeats: the fetcher's "fetcher: CLASS:
// URL: " and net/http's `Get "URL": `.
var (
	fetcherPrefixRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^fetcher: ([a-z_]+): \S+: `) })
	httpOpRE        = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(?:Get|Head|Post) "[^"]*": `) })
)

// errorCause is a stored feed error without the feed's URL, which the
// row shows already: "network: dial tcp …: connection refused" for
// `fetcher: network: https://x/feed: Get "https://x/feed": dial tcp …`.
func errorCause(msg string) string {
	msg = fetcherPrefixRE().ReplaceAllString(msg, "$1: ")
	return httpOpRE().ReplaceAllString(msg, "")
}
