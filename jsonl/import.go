package jsonl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/feedvault/feedvault/canon"
	"github.com/feedvault/feedvault/outlet"
	"github.com/feedvault/feedvault/store"
)

// MaxLine is the longest line Import reads (a raw page in base64 included).
const MaxLine = 64 << 20

// ImportReport sums up an import.
type ImportReport struct {
	Lines    int `json:"lines"`
	New      int `json:"new"`
	Existing int `json:"existing"` // already archived under the URL: updated, not duplicated
}

// Import reads one article per line from r and archives them in
// transactions of 2,000. Lines are parsed, encoded and split into words
// on every core while the store writes the previous batch. A bad line
// stops the import with its line number; every good line before it is
// archived, and importing the file again after fixing it adds nothing
// twice. An article already archived is updated; when its text, title or
// byline changed, the stored version becomes a revision. name is the
// file, for messages. Import returns when all its goroutines have ended.
func Import(ctx context.Context, st *store.Store, r io.Reader, name string) (ImportReport, error) {
	return importLines(ctx, st, r, name, MaxLine)
}

func importLines(ctx context.Context, st *store.Store, r io.Reader, name string, maxLine int) (rep ImportReport, err error) {
	if name == "" {
		name = "input"
	}
	// Bulk work on a bounded heap (a few batches at a time): fewer
	// collections pay for themselves.
	defer debug.SetGCPercent(debug.SetGCPercent(200))

	type chunk struct {
		seq     int
		first   int // line number of lines[0]
		lines   [][]byte
		arts    []*store.Article
		raws    [][]byte
		err     error // the first bad line of the chunk
		readErr error // reading failed after the chunk's lines
	}
	const chunkLines = 250
	stop := make(chan struct{})
	todo := make(chan *chunk, 4)
	done := make(chan *chunk, 4)
	var wg sync.WaitGroup
	readerDone := make(chan struct{})
	// Every goroutine below has ended when Import returns.
	defer func() {
		close(stop)
		<-readerDone
		for range done { // the parsers end, then close done
		}
	}()
	go func() { // the reader
		defer close(readerDone)
		defer close(todo)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, min(1<<20, maxLine)), maxLine)
		c := &chunk{first: 1}
		line, seq := 0, 0
		send := func() bool {
			select {
			case todo <- c:
				return true
			case <-stop:
				return false
			}
		}
		for sc.Scan() {
			line++
			c.lines = append(c.lines, bytes.Clone(sc.Bytes()))
			if len(c.lines) == chunkLines {
				if !send() {
					return
				}
				seq++
				c = &chunk{seq: seq, first: line + 1}
			}
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				err = fmt.Errorf("line longer than %d bytes", maxLine)
			}
			c.readErr = fmt.Errorf("jsonl: %s:%d: %w", name, line+1, err)
		}
		send()
	}()
	now := time.Now().UTC()
	for w := 0; w < runtime.GOMAXPROCS(0); w++ { // the parsers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				var lineOf []int
				for i, l := range c.lines {
					if len(bytes.TrimSpace(l)) == 0 {
						continue
					}
					a, raw, err := ParseLine(l, now)
					if err != nil {
						c.err = fmt.Errorf("jsonl: %s:%d: %w", name, c.first+i, err)
						break
					}
					c.arts = append(c.arts, a)
					c.raws = append(c.raws, raw)
					lineOf = append(lineOf, c.first+i)
				}
				// The chunk's words are split into one table (the
				// store gathers them word by word).
				if n, err := st.PrepareMany(c.arts, c.raws); err != nil {
					c.err = fmt.Errorf("jsonl: %s:%d: %w", name, lineOf[n], err)
					c.arts, c.raws = c.arts[:n], c.raws[:n]
				}
				if c.err == nil {
					c.err = c.readErr
				}
				c.lines = nil
				select {
				case done <- c:
				case <-stop:
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	// Put the chunks back in order and write them in batches; their
	// words reach the index in bulk (store.Loader), at the latest when
	// Import returns.
	ld, err := st.NewLoader()
	if err != nil {
		return rep, err
	}
	defer func() {
		if cerr := ld.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	pending := map[int]*chunk{}
	next := 0
	var arts []*store.Article
	var raws [][]byte
	batchLine := 1 // the line of arts[0]
	// stopped says where an import that cannot go on stopped, what of
	// the file is archived, and how to carry on.
	stopped := func(err error) error {
		if errors.Is(err, context.Canceled) {
			err = fmt.Errorf("interrupted: %w", err)
		}
		return fmt.Errorf("jsonl: %s: stopped at line %d: %w (%s; importing the file again adds only the rest)", name, batchLine, err, linesBefore(rep.Lines))
	}
	write := func() error {
		if len(arts) == 0 {
			return nil
		}
		n, err := ld.PutMany(arts, raws)
		if err != nil {
			return stopped(err)
		}
		rep.Lines += len(arts)
		rep.New += n
		rep.Existing += len(arts) - n
		arts, raws = arts[:0], raws[:0]
		return nil
	}
	for c := range done {
		pending[c.seq] = c
		for pending[next] != nil {
			c := pending[next]
			delete(pending, next)
			next++
			if len(arts) == 0 {
				batchLine = c.first
			}
			arts = append(arts, c.arts...)
			raws = append(raws, c.raws...)
			if c.err != nil {
				if err := write(); err != nil {
					return rep, err
				}
				return rep, fmt.Errorf("%w (%s)", c.err, linesBefore(rep.Lines))
			}
			if len(arts) >= 2000 {
				if err := ctx.Err(); err != nil {
					return rep, stopped(err)
				}
				if err := write(); err != nil {
					return rep, err
				}
			}
		}
	}
	if err := write(); err != nil {
		return rep, err
	}
	return rep, nil
}

// ParseLine reads one line: exactly one JSON object, with nothing but
// spaces after it. It returns the article and its raw page (nil when the
// line has none).
func ParseLine(b []byte, now time.Time) (*store.Article, []byte, error) {
	var r Row
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, nil, fmt.Errorf("not an article object: %v (fields: %s, revision_history, sightings, raw, html)", err, fieldList())
	}
	if rest := bytes.TrimSpace(b[dec.InputOffset():]); len(rest) > 0 {
		if rest[0] == '{' {
			return nil, nil, errors.New("a second JSON object on the line: one article per line")
		}
		return nil, nil, fmt.Errorf("unexpected %q after the article object", clip(rest, 20))
	}
	return r.Article(now)
}

func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func fieldList() string {
	var b bytes.Buffer
	for i, f := range Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f)
	}
	return b.String()
}

// Article turns a row into an article for the store. A row without
// first_seen comes from another tool: it is first seen now, and flagged
// "imported".
func (r *Row) Article(now time.Time) (*store.Article, []byte, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("url %q is not an absolute http(s) URL", r.URL)
	}
	if err := outlet.CheckName(r.Outlet); err != nil {
		// The rule feeds.yaml applies: an outlet the config could never
		// name would be one no --outlet filter or reload can reach.
		return nil, nil, fmt.Errorf("outlet %w; rename it in the file as feeds.yaml names it", err)
	}
	a := &store.Article{
		URL: canon.URL(r.URL), Outlet: r.Outlet, Feed: r.Feed, GUIDs: r.GUIDs, Aliases: r.Aliases,
		Title: r.Title, Authors: r.Authors, Language: r.Language, Description: r.Description,
		Section: r.Section, Tags: r.Tags, Image: r.Image, Summary: r.Summary, Text: r.Text, Flags: r.Flags,
		Status: r.Status, FinalURL: r.FinalURL, ContentType: r.ContentType, ExtractorVersion: r.ExtractorVersion,
		FetchError: r.FetchError, RawSize: r.RawSize, Headers: r.Headers, Edited: r.Edited,
		Revisions: r.Revisions, RefetchStage: r.RefetchStage, FromFeed: r.FromFeed,
	}
	if len(a.Authors) == 0 {
		a.Authors = nil
	}
	if a.URL != r.URL {
		a.Aliases = append(a.Aliases, r.URL)
	}
	for _, t := range []struct {
		name string
		s    *string
		into *time.Time
	}{{"published", r.Published, &a.Published}, {"modified", r.Modified, &a.Modified}, {"first_seen", r.FirstSeen, &a.FirstSeen},
		{"fetched", r.Fetched, &a.Fetched}, {"taken_down", r.TakenDown, &a.TakenDown}, {"refetch_at", r.RefetchAt, &a.RefetchAt}} {
		if t.s == nil || *t.s == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339, *t.s)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %q is not RFC 3339 (2024-10-29T11:42:00+03:00)", t.name, *t.s)
		}
		if !store.InOrderedRange(v) {
			first, last := store.OrderedRange()
			return nil, nil, fmt.Errorf("%s %q is outside the dates the archive orders by (%s to %s): correct it, or leave it out", t.name, *t.s, first.Format(time.DateOnly), last.Format(time.DateOnly))
		}
		*t.into = v.UTC()
	}
	if a.FirstSeen.IsZero() {
		a.FirstSeen = now
		a.Flags = append(a.Flags, "imported")
	}
	raw := r.Raw
	if raw == nil && r.HTML != "" {
		raw = []byte(r.HTML)
	}
	if raw != nil && a.ContentType == "" {
		a.ContentType = "text/html; charset=utf-8"
	}
	if len(r.History) > 0 || len(r.Sightings) > 0 {
		a.SetHistory(r.History, r.Sightings)
	}
	return a, raw, nil
}

// linesBefore says how many articles before a bad line are archived.
func linesBefore(n int) string {
	switch n {
	case 0:
		return "nothing before it is archived"
	case 1:
		return "the 1 article before it is archived"
	}
	return fmt.Sprintf("the %d articles before it are archived", n)
}
