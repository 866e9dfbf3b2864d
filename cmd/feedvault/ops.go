package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"runtime/debug"
	"strings"
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
	return map[string]archiveapi.Op{
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
// transactions of 2,000, parsing the next batch while the store writes
// the last. A bad line stops the import with its line number; what came
// before it is archived, and importing the file again after fixing it
// adds nothing twice.
func importJSONL(ctx context.Context, st *store.Store, r io.Reader, name string) (ImportReport, error) {
	var rep ImportReport
	if name == "" {
		name = "input"
	}
	type batch struct {
		arts []*store.Article
		raws [][]byte
		err  error
	}
	const size = 2000
	// Bulk work on a bounded heap (two batches at a time): fewer
	// collections pay for themselves.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	batches := make(chan batch, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the parser; it ends when the input does, or stop closes
		defer close(batches)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		now := time.Now().UTC()
		var b batch
		hasRaw := false
		send := func() bool {
			if !hasRaw {
				b.raws = nil
			}
			select {
			case batches <- b:
			case <-stop:
				return false
			}
			b, hasRaw = batch{}, false
			return true
		}
		line := 0
		for sc.Scan() {
			line++
			if len(strings.TrimSpace(sc.Text())) == 0 {
				continue
			}
			a, raw, err := parseImportLine(sc.Bytes(), now)
			if err != nil {
				b.err = fmt.Errorf("import: %s:%d: %w", name, line, err)
				send()
				return
			}
			a.PrepareIndex() // here, while the store writes the last batch
			b.arts = append(b.arts, a)
			b.raws = append(b.raws, raw)
			hasRaw = hasRaw || raw != nil
			if len(b.arts) == size && !send() {
				return
			}
		}
		if err := sc.Err(); err != nil {
			b.err = fmt.Errorf("import: %s:%d: %w", name, line+1, err)
		}
		if len(b.arts) > 0 || b.err != nil {
			send()
		}
	}()
	for b := range batches {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if len(b.arts) > 0 {
			n, err := st.PutMany(b.arts, b.raws)
			if err != nil {
				return rep, err
			}
			rep.Lines += len(b.arts)
			rep.New += n
			rep.Existing += len(b.arts) - n
		}
		if b.err != nil {
			return rep, fmt.Errorf("%w (the %d articles before it are archived)", b.err, rep.Lines)
		}
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
