package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/feedvault/feedvault/pipeline"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// termProgress draws one progress line on a terminal (mpb): what is
// done, units done of the total (feeds, articles, bytes), the counters
// the work reports on the way (pages fetched, articles archived), the
// rate and the ETA. Log lines are printed above it. It implements
// pipeline.Progress.
type termProgress struct {
	p      *mpb.Progress
	bar    *mpb.Bar
	mu     sync.Mutex
	counts map[string]int
	order  []string
}

// startProgress returns a progress display on standard error when it is
// a terminal, and nil when it is not (cron, a pipe, a file, a test):
// then nothing is drawn, and nothing changes. While it is shown, e.log
// prints above the bar; stop removes the bar and puts e.log back. verb
// says what is done ("polling"); unit names what is counted ("feeds",
// "articles", "bytes"); total is how many (0: not known yet, see Total);
// counters name the pipeline's counts shown on the way, in order.
func startProgress(e *env, verb, unit string, total int, counters ...string) (tp *termProgress, stop func()) {
	f := terminalFile(e.stderr)
	if f == nil {
		return nil, func() {}
	}
	tp = newTermProgress(f, termWidth(e.stderr), verb, unit, total, counters...)
	oldLog := e.log
	e.log = newLogger(termWriter{&logAbove{tp.p, f}}, os.Getenv("FEEDVAULT_LOG"))
	return tp, func() {
		tp.finish()
		e.log = oldLog
	}
}

// newTermProgress draws on w, whatever it is: startProgress checks for a
// terminal, a test hands a buffer.
func newTermProgress(w io.Writer, width int, verb, unit string, total int, counters ...string) *termProgress {
	tp := &termProgress{counts: map[string]int{}, order: counters}
	opts := []mpb.ContainerOption{mpb.WithOutput(w), mpb.WithRefreshRate(200 * time.Millisecond)}
	if width > 0 {
		opts = append(opts, mpb.WithWidth(min(width, 100)))
	}
	if _, ok := w.(*os.File); !ok {
		opts = append(opts, mpb.ForceAutoRefresh()) // a test's buffer: draw anyway
	}
	tp.p = mpb.New(opts...)
	if unit == "" {
		// Nothing to count: what is done, and for how long.
		tp.bar = tp.p.New(0, mpb.SpinnerStyle(),
			mpb.PrependDecorators(decor.Name(verb, decor.WCSyncSpaceR)),
			mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace)),
			mpb.BarRemoveOnComplete())
		return tp
	}
	count := decor.CountersNoUnit("%d/%d "+unit, decor.WCSyncSpace)
	speed := decor.AverageSpeed(0, "%.1f "+unit+"/s", decor.WCSyncSpace)
	if unit == "bytes" {
		count = decor.CountersKibiByte("% .1f / % .1f", decor.WCSyncSpace)
		speed = decor.AverageSpeed(decor.SizeB1024(0), "% .1f", decor.WCSyncSpace)
	}
	tp.bar = tp.p.New(int64(total), mpb.BarStyle(),
		mpb.PrependDecorators(decor.Name(verb, decor.WCSyncSpaceR), count),
		mpb.AppendDecorators(
			decor.Any(tp.countersText, decor.WCSyncSpace),
			speed,
			decor.Name(" ETA"),
			decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO, decor.WCSyncSpace), ""),
		),
		mpb.BarRemoveOnComplete(),
	)
	return tp
}

func (tp *termProgress) countersText(decor.Statistics) string {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	var b strings.Builder
	for i, k := range tp.order {
		if i > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "%s %d", k, tp.counts[k])
	}
	return b.String()
}

// Total implements pipeline.Progress.
func (tp *termProgress) Total(n int) {
	if tp != nil {
		tp.bar.SetTotal(int64(n), false)
	}
}

// Done implements pipeline.Progress.
func (tp *termProgress) Done(n int) {
	if tp != nil {
		tp.bar.IncrBy(n)
	}
}

// Count implements pipeline.Progress.
func (tp *termProgress) Count(what string) {
	if tp == nil {
		return
	}
	tp.mu.Lock()
	tp.counts[what]++
	tp.mu.Unlock()
}

// Write counts bytes as done: an io.Writer for io.TeeReader.
func (tp *termProgress) Write(b []byte) (int, error) {
	tp.Done(len(b))
	return len(b), nil
}

// finish completes the bar (it is removed from the screen) and waits for
// mpb's drawing to end.
func (tp *termProgress) finish() {
	tp.bar.SetTotal(-1, true)
	tp.p.Wait()
}

// asProgress is tp as the pipeline's interface: nil (none) when tp is
// nil, so that the pipeline does not call a display that is not there.
func (tp *termProgress) asProgress() pipeline.Progress {
	if tp == nil {
		return nil
	}
	return tp
}

// logAbove prints log lines above the bar while it runs, and straight to
// the terminal once it has ended (mpb refuses writes after Wait).
type logAbove struct {
	p  *mpb.Progress
	to io.Writer
}

func (l *logAbove) Write(b []byte) (int, error) {
	if n, err := l.p.Write(b); err == nil {
		return n, nil
	}
	return l.to.Write(b)
}
