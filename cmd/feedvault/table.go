package main

import (
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/rivo/uniseg"
)

// column is a table column: its header, and for one that may shrink to
// fit the terminal, the least width it keeps (0: it never shrinks).
type column struct {
	header string
	min    int
}

// writeTable prints rows under cols, two spaces apart. With width > 0 (a
// terminal's) the shrinkable columns give up room, the widest first,
// until each line fits, and their cells are cut with "…". With width 0
// (a pipe) every cell is printed in full.
func writeTable(w io.Writer, width int, cols []column, rows [][]string) error {
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = uniseg.StringWidth(c.header)
	}
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], uniseg.StringWidth(cell))
		}
	}
	if width > 0 {
		total := 2 * (len(cols) - 1)
		for _, n := range widths {
			total += n
		}
		for ; total > width; total-- {
			best := -1
			for i, c := range cols {
				if c.min > 0 && widths[i] > c.min && (best < 0 || widths[i] > widths[best]) {
					best = i
				}
			}
			if best < 0 {
				break // as narrow as it goes: the terminal wraps
			}
			widths[best]--
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		b.Reset()
		for i, cell := range cells {
			cell = clipWidth(cell, widths[i])
			b.WriteString(cell)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(cell)+2))
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
