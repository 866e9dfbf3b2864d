package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// terminalFile is the terminal behind w (a *os.File, or one wrapped by
// forTerminal), or nil when w is not a terminal: a pipe, a file, a test's
// buffer.
func terminalFile(w io.Writer) *os.File {
	if t, ok := w.(termWriter); ok {
		w = t.w
	}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return f
}

// termWidth is the width in columns of the terminal behind w, or 0 when
// w is not a terminal (then lines are printed in full, for pipes).
func termWidth(w io.Writer) int {
	f := terminalFile(w)
	if f == nil {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil || cols <= 0 {
		return 0
	}
	return cols
}
