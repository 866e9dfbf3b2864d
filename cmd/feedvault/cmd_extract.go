package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/extractor"
)

const extractHelp = `
Usage: feedvault extract [flags] FILE...

Runs the extractor alone on saved pages: no network, no archive. FILE may be
- for standard input. Pages are extracted in parallel; output keeps the
order of the files.

Formats:
  text   the clean text (the default; with several files, each is headed
         by a line "==> FILE <==")
  json   the full result of one file: text, metadata, flags and every
         removed block with the rule that removed it
  jsonl  one object per file: {"file", "text", "title", "authors", ...}

Examples:
  feedvault extract --url https://example.org/news/1 page.html
  feedvault extract --explain page.html
  feedvault extract --format jsonl pages/*.html > out.jsonl
  feedvault extract --config feeds.yaml --outlet themoscowtimes page.html
`

func cmdExtract(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "extract", extractHelp)
	pageURL := fs.String("url", "", "the page's URL (resolves links; helps metadata)")
	format := fs.String("format", "text", "output format: text, json or jsonl")
	explain := fs.Bool("explain", false, "print the kept text, then each removed block and why")
	ctype := fs.String("content-type", "", "the page's Content-Type header, if known (for its charset)")
	cfgPath := fs.String("config", "", "config file whose --outlet rules to apply")
	outlet := fs.String("outlet", "", "apply this outlet's extract rules from --config")
	files, perr := parseFlags(e, fs, args)
	if perr != nil {
		return fail(e, perr)
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "feedvault extract: name at least one FILE (or - for standard input)")
		fs.Usage()
		return fail(e, errUsage)
	}
	switch *format {
	case "text", "json", "jsonl":
	default:
		return fail(e, fmt.Errorf("extract: unknown --format %q (want text, json or jsonl)", *format))
	}
	if *format == "json" && len(files) > 1 {
		return fail(e, fmt.Errorf("extract: --format json takes one file; use jsonl for several"))
	}
	var rules extractor.Rules
	if *outlet != "" {
		path := *cfgPath
		if path == "" {
			path = defaultConfig()
		}
		cfg, err := config.Load(path)
		if err != nil {
			return fail(e, err)
		}
		o := findOutlet(cfg, *outlet)
		if o == nil {
			return fail(e, fmt.Errorf("extract: no outlet %q in %s", *outlet, path))
		}
		rules = extractor.Rules{Content: o.Extract.Content, Remove: o.Extract.Remove}
	}
	compiled, err := extractor.Compile(rules)
	if err != nil {
		return fail(e, err)
	}

	type result struct {
		res *extractor.Result
		err error
	}
	// Extract in parallel, print in order.
	out := make([]chan result, len(files))
	for i := range out {
		out[i] = make(chan result, 1)
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	done := make(chan struct{})
	// The dispatcher and every worker have ended when extract returns:
	// no more start once done closes, and those running finish their file
	// (their results go to buffered channels).
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(done)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, f := range files {
			select {
			case sem <- struct{}{}:
			case <-done:
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				b, err := readInput(e, f)
				if err != nil {
					out[i] <- result{err: err}
					return
				}
				out[i] <- result{res: extractor.ExtractCompiled(extractor.Input{Body: b, ContentType: *ctype, URL: *pageURL}, compiled)}
			}()
		}
	}()
	failed := 0
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for i, f := range files {
		var r result
		select {
		case r = <-out[i]:
		case <-ctx.Done():
			return fail(e, fmt.Errorf("extract: %w", ctx.Err()))
		}
		if r.err != nil {
			fmt.Fprintf(e.stderr, "feedvault: extract: %v\n", r.err)
			failed++
			continue
		}
		switch {
		case *explain:
			printExplain(e.stdout, f, r.res, len(files) > 1)
		case *format == "json":
			enc.SetIndent("", "  ")
			enc.Encode(r.res)
		case *format == "jsonl":
			enc.Encode(jsonlResult{File: f, Result: withoutRemovals(r.res)})
		default:
			if len(files) > 1 {
				fmt.Fprintf(e.stdout, "==> %s <==\n", f)
			}
			fmt.Fprintln(e.stdout, r.res.Text)
		}
	}
	if failed > 0 {
		return partial(e, "extract: %d of %d files could not be read", failed, len(files))
	}
	return exitOK
}

type jsonlResult struct {
	File string `json:"file"`
	*extractor.Result
}

func withoutRemovals(r *extractor.Result) *extractor.Result {
	c := *r
	c.Removed = nil
	return &c
}

func readInput(e *env, f string) ([]byte, error) {
	if f == "-" {
		return io.ReadAll(e.stdin)
	}
	return os.ReadFile(f)
}

func printExplain(w io.Writer, file string, r *extractor.Result, header bool) {
	if header {
		fmt.Fprintf(w, "==> %s <==\n", file)
	}
	fmt.Fprintf(w, "title:     %s\nauthors:   %s\npublished: %s\nlanguage:  %s\ncharset:   %s\nflags:     %s\n",
		r.Title, strings.Join(r.Authors, "; "), fmtTime(r.Published), r.Language, r.Charset, strings.Join(r.Flags, ", "))
	fmt.Fprintf(w, "path:      %s", r.Path)
	if r.PathWhy != "" {
		fmt.Fprintf(w, " (%s)", r.PathWhy)
	}
	fmt.Fprintf(w, "\nextractor: %s\n\n", r.Version)
	fmt.Fprintln(w, "--- kept ---")
	fmt.Fprintln(w, r.Text)
	fmt.Fprintf(w, "\n--- removed (%d blocks) ---\n", len(r.Removed))
	for _, rm := range r.Removed {
		fmt.Fprintf(w, "[%s] %s\n", rm.Rule, rm.Text)
	}
}

func findOutlet(cfg *config.Config, name string) *config.Outlet {
	for i := range cfg.Outlets {
		if cfg.Outlets[i].Name == name {
			return &cfg.Outlets[i]
		}
	}
	return nil
}
