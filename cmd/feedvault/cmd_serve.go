package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/web"
)

const serveHelp = `
Usage: feedvault serve [--addr 127.0.0.1:8080] [--db PATH] [--token-file FILE]

Serves the research workbench, a read-only web app over the archive, until
SIGINT or SIGTERM:

  /            search: the query language (below), outlet and date
               filters, snippets with the matches marked, paging; the URL
               holds the whole query, to bookmark or share
  /attention   matching articles per day, week or month, a line per outlet
               or stacked, as counts or as a share of all the outlet's
               articles in the period; undated articles apart; totals per
               outlet; every number as 'feedvault count' gives it
  /article/ID  clean text, metadata, flags, the removal audit, revisions
               with diffs, the feeds that listed it, the raw page in a
               sandbox (no script, no network, never on this origin)
  /feeds       each feed's health and recent volume; failing and silent
               feeds marked
  /export      the current query as CSV or JSONL, zipped with its manifest
  /metrics     Prometheus metrics (the archive's; the pipeline's only under
               'feedvault daemon --http')
  /healthz     "ok" when the archive answers

It reaches the archive as the CLI does, afresh for each request: through
the socket of a running daemon, else the file read-only for that request
alone. It works while the daemon polls, a daemon can start while it
serves, and its pages work on when the daemon stops.

No page runs a script, and no endpoint changes anything. It listens on
loopback by default. Any other address needs a token (--token or, better,
--token-file, which keeps it out of 'ps'); open the workbench once as
http://HOST:PORT/?token=TOKEN (it sets a cookie) or send
"Authorization: Bearer TOKEN". On a server, prefer loopback and a tunnel:
  ssh -N -L 8080:127.0.0.1:8080 user@server   then open http://127.0.0.1:8080/
` + queryLanguageHelp + `
Examples:
  feedvault serve
  feedvault serve --db /srv/news/feedvault.db --addr 127.0.0.1:9000
  feedvault serve --addr 0.0.0.0:8080 --token-file /etc/feedvault/token
`

// httpFlags are the flags of the workbench, shared by serve and daemon.
type httpFlags struct {
	addr, token, tokenFile *string
}

func addHTTPFlags(fs *flag.FlagSet, addrFlag, addrDefault, addrHelp string) *httpFlags {
	return &httpFlags{
		addr:      fs.String(addrFlag, addrDefault, addrHelp),
		token:     fs.String("token", "", "access token required on a non-loopback address (visible in ps: prefer --token-file)"),
		tokenFile: fs.String("token-file", "", "file holding the access token"),
	}
}

// resolve reads the token and refuses an address open to the network
// without one.
func (h *httpFlags) resolve() (token string, err error) {
	token = *h.token
	if *h.tokenFile != "" {
		if token != "" {
			return "", errors.New("give --token or --token-file, not both")
		}
		b, err := os.ReadFile(*h.tokenFile)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		// A token every local user can read, or others can change,
		// guards nothing from them (as ssh judges its keys).
		if fi, err := os.Stat(*h.tokenFile); err == nil && fi.Mode().Perm()&0o026 != 0 {
			return "", fmt.Errorf("--token-file %s can be read by every user or changed by others (mode %04o): chmod 600 %s", *h.tokenFile, fi.Mode().Perm(), *h.tokenFile)
		}
		if token = strings.TrimSpace(string(b)); token == "" {
			return "", fmt.Errorf("--token-file %s is empty", *h.tokenFile)
		}
	}
	if token != "" && len(token) < 16 {
		return "", errors.New("the token is too short: use at least 16 characters (e.g. openssl rand -hex 16)")
	}
	return token, web.CheckAddr(*h.addr, token)
}

func cmdServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve", serveHelp)
	hf := addHTTPFlags(fs, "addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", defaultDB(), "archive file")
	cfgPath := fs.String("config", defaultConfig(), "config file: the outlets' extraction rules for the removal audit, and its hash for export manifests (optional)")
	pos, err := parseFlags(e, fs, args)
	if err != nil {
		return fail(e, err)
	}
	if len(pos) > 0 {
		return fail(e, fmt.Errorf("serve: unexpected argument %q", pos[0]))
	}
	token, err := hf.resolve()
	if err != nil {
		return fail(e, fmt.Errorf("serve: %w", err))
	}
	rules, err := rulesFromConfig(*cfgPath)
	if errors.Is(err, os.ErrNotExist) && !flagSet(fs, "config") {
		e.log.Info("no config: the removal audit uses the generic rules only", "config", *cfgPath)
	} else if err != nil {
		return fail(e, fmt.Errorf("serve: %w", err))
	}
	// The archive must be there to start; then each request reaches it
	// afresh (archiveapi.Follow): through a daemon when one runs, else
	// the file for that request alone, so that a daemon can start beside
	// the workbench, and its pages work on when the daemon stops.
	first, err := openReader(ctx, *dbPath)
	if err != nil {
		return fail(e, err)
	}
	first.Close()
	r := archiveapi.Follow(*dbPath, time.Second)
	defer r.Close()
	h, err := web.New(web.Options{Reader: r, Token: token, Rules: rules, Export: exportFunc(*cfgPath),
		Metrics: web.NewMetrics(false, nil), Logger: e.log})
	if err != nil {
		return fail(e, err)
	}
	err = web.ListenAndServe(ctx, *hf.addr, h, e.log, func(a net.Addr) {
		e.log.Info("workbench serving", "url", "http://"+a.String()+"/", "archive", r.Via())
		fmt.Fprintf(e.stdout, "feedvault workbench on http://%s/ (archive: %s); stop with Ctrl-C\n", a, r.Via())
	})
	if err != nil {
		return fail(e, fmt.Errorf("serve: %w", err))
	}
	return exitOK
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// rulesFromConfig loads the outlets' compiled extraction rules.
func rulesFromConfig(cfgPath string) (func(string) *extractor.CompiledRules, error) {
	if _, err := os.Stat(cfgPath); err != nil {
		return nil, err
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return nil, err
	}
	m, err := outletRules(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfgPath, err)
	}
	return func(outlet string) *extractor.CompiledRules { return m[outlet] }, nil
}

// exportFunc gives the workbench the export command's writer and manifest.
func exportFunc(cfgPath string) web.ExportFunc {
	return func(ctx context.Context, w io.Writer, r archiveapi.Reader, q archiveapi.QueryRequest, format string) (map[string]any, error) {
		m := newManifest(q, format, cfgPath)
		if err := writeExport(ctx, w, r, q, format, exportOptions{}, &m); err != nil {
			return nil, err
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		var out map[string]any
		return out, json.Unmarshal(b, &out)
	}
}

// serveWorkbench runs the workbench beside the daemon, on its socket,
// until ctx ends. It logs and returns when it cannot listen.
func serveWorkbench(ctx context.Context, log *slog.Logger, dbPath string, ln net.Listener, token, cfgPath string, rules func(string) *extractor.CompiledRules, m *web.Metrics) error {
	r, err := archiveapi.Dial(ctx, dbPath)
	if err != nil {
		ln.Close()
		return fmt.Errorf("daemon --http: reach own socket: %w", err)
	}
	defer r.Close()
	h, err := web.New(web.Options{Reader: r, Token: token, Rules: rules, Export: exportFunc(cfgPath), Metrics: m, Logger: log})
	if err != nil {
		ln.Close()
		return err
	}
	return web.Serve(ctx, ln, h, log, func(a net.Addr) {
		log.Info("workbench serving", "url", "http://"+a.String()+"/")
	})
}
