package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/canon"
	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/pipeline"
	"github.com/feedvault/feedvault/store"
)

// maintenanceOps are the commands that write to the archive: run by the
// CLI on a file it opened, or by a running daemon on its own archive.
// cfg may be nil (no config: reextract uses the generic rules only).
func maintenanceOps(cfg *config.Config) map[string]archiveapi.Op {
	ops := map[string]archiveapi.Op{
		"import": func(ctx context.Context, st *store.Store, params json.RawMessage, body io.Reader) (any, error) {
			var p importParams
			json.Unmarshal(params, &p)
			return importJSONL(ctx, st, body, p.Name)
		},
		"reextract": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p struct{ Outlets []string }
			json.Unmarshal(params, &p)
			rules, err := outletRules(cfg)
			if err != nil {
				return nil, err
			}
			return pipeline.Reextract(ctx, st, rules, p.Outlets)
		},
		"reindex": func(ctx context.Context, st *store.Store, _ json.RawMessage, _ io.Reader) (any, error) {
			n, err := st.Reindex()
			return map[string]int{"articles": n}, err
		},
		"compact": func(ctx context.Context, st *store.Store, _ json.RawMessage, _ io.Reader) (any, error) {
			before, after, err := st.Compact()
			return map[string]int64{"before": before, "after": after}, err
		},
	}
	maps.Copy(ops, analysisOps())
	return ops
}

func outletRules(cfg *config.Config) (map[string]*extractor.CompiledRules, error) {
	out := map[string]*extractor.CompiledRules{}
	if cfg == nil {
		return out, nil
	}
	for _, o := range cfg.Outlets {
		r, err := extractor.Compile(extractor.Rules{Content: o.Extract.Content, Remove: o.Extract.Remove})
		if err != nil {
			return nil, fmt.Errorf("outlet %s: %w", o.Name, err)
		}
		out[o.Name] = r
	}
	return out, nil
}

type importParams struct {
	Name string // the file, for messages
}

// importLine is one article of an import file.
type importLine struct {
	URL       string   `json:"url"`
	Outlet    string   `json:"outlet"`
	Title     string   `json:"title"`
	Published string   `json:"published"`
	Text      string   `json:"text"`
	HTML      string   `json:"html"`
	Authors   []string `json:"authors"`
	Language  string   `json:"language"`
}

// ImportReport sums up an import.
type ImportReport struct {
	Lines    int `json:"lines"`
	New      int `json:"new"`
	Existing int `json:"existing"` // already archived under the URL: updated, not duplicated
}

// importJSONL reads one article per line and archives them in
// transactions of 2,000. Lines are parsed, encoded and split into words on
// every core while the store writes the previous batch. A bad line stops
// the import with its line number; what came before it is archived, and
// importing the file again after fixing it adds nothing twice.
func importJSONL(ctx context.Context, st *store.Store, r io.Reader, name string) (ImportReport, error) {
	var rep ImportReport
	if name == "" {
		name = "input"
	}
	// Bulk work on a bounded heap (a few batches at a time): fewer
	// collections pay for themselves.
	defer debug.SetGCPercent(debug.SetGCPercent(200))

	type chunk struct {
		seq   int
		first int // line number of lines[0]
		lines [][]byte
		arts  []*store.Article
		raws  [][]byte
		err   error
	}
	const chunkLines = 250
	stop := make(chan struct{})
	defer close(stop)
	todo := make(chan *chunk, 4)
	done := make(chan *chunk, 4)
	var wg sync.WaitGroup
	go func() { // the reader
		defer close(todo)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
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
			c.lines = append(c.lines, append([]byte(nil), sc.Bytes()...))
			if len(c.lines) == chunkLines {
				if !send() {
					return
				}
				seq++
				c = &chunk{seq: seq, first: line + 1}
			}
		}
		if err := sc.Err(); err != nil {
			c.err = fmt.Errorf("import: %s:%d: %w", name, line+1, err)
		}
		send()
	}()
	now := time.Now().UTC()
	for w := 0; w < runtime.GOMAXPROCS(0); w++ { // the parsers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				for i, l := range c.lines {
					if c.err != nil {
						break
					}
					if len(bytes.TrimSpace(l)) == 0 {
						continue
					}
					a, raw, err := parseImportLine(l, now)
					if err == nil {
						err = a.Prepare(raw)
					}
					if err != nil {
						c.err = fmt.Errorf("import: %s:%d: %w", name, c.first+i, err)
						break
					}
					c.arts = append(c.arts, a)
					c.raws = append(c.raws, raw)
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

	// Put the chunks back in order and write them in batches.
	pending := map[int]*chunk{}
	next := 0
	var arts []*store.Article
	var raws [][]byte
	write := func() error {
		if len(arts) == 0 {
			return nil
		}
		n, err := st.PutMany(arts, raws)
		if err != nil {
			return err
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
			arts = append(arts, c.arts...)
			raws = append(raws, c.raws...)
			if c.err != nil {
				if err := write(); err != nil {
					return rep, err
				}
				return rep, fmt.Errorf("%w (the %d articles before it are archived)", c.err, rep.Lines)
			}
			if len(arts) >= 2000 {
				if err := ctx.Err(); err != nil {
					return rep, err
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

func parseImportLine(b []byte, now time.Time) (*store.Article, []byte, error) {
	var l importLine
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, nil, fmt.Errorf("not an article object: %v (fields: url, outlet, title, published, text, html, authors, language)", err)
	}
	u, err := url.Parse(l.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("url %q is not an absolute http(s) URL", l.URL)
	}
	if l.Outlet == "" {
		return nil, nil, errors.New("outlet is missing")
	}
	var pub time.Time
	if l.Published != "" {
		if pub, err = time.Parse(time.RFC3339, l.Published); err != nil {
			return nil, nil, fmt.Errorf("published %q is not RFC 3339 (2024-10-29T11:42:00+03:00)", l.Published)
		}
	}
	a := &store.Article{
		URL: canon.URL(l.URL), Outlet: l.Outlet, Title: l.Title, Published: pub.UTC(), Text: l.Text,
		Authors: l.Authors, Language: l.Language, FirstSeen: now, Flags: []string{"imported"},
	}
	if a.URL != l.URL {
		a.Aliases = []string{l.URL}
	}
	var raw []byte
	if l.HTML != "" {
		raw = []byte(l.HTML)
		a.ContentType = "text/html; charset=utf-8"
	}
	return a, raw, nil
}
