// Package web is the research workbench: a read-only web app over the
// archive (feedvault serve, and daemon --http). It reaches the archive
// through archiveapi.Reader, as the CLI does, renders pages on the server
// with html/template (charts as inline SVG), and runs no script at all:
// every page carries a CSP that forbids scripts, and the stored raw pages
// are served in a CSP sandbox, never on this origin.
package web

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/store"
)

//go:embed templates/*.html static/*
var assets embed.FS

// ExportFunc writes the articles that match q to w in format (csv or
// jsonl) and returns the manifest that describes them (without the files
// list, which the caller fills in). The CLI's export code provides it.
type ExportFunc func(ctx context.Context, w io.Writer, r archiveapi.Reader, q archiveapi.QueryRequest, format string) (manifest map[string]any, err error)

// Options configure the workbench.
type Options struct {
	// Reader reaches the archive. The server does not close it.
	Reader archiveapi.Reader
	// Token, when set, is required on every request but /healthz: as
	// "Authorization: Bearer TOKEN", or once as ?token=TOKEN, which sets
	// a cookie.
	Token string
	// Rules give an outlet's extraction rules, for replaying the removal
	// audit; nil or a nil result means the generic rules.
	Rules func(outlet string) *extractor.CompiledRules
	// Export writes the export downloads; nil disables them.
	Export ExportFunc
	// ExportIdle is the longest an export download waits for its client
	// to take more bytes before it is dropped (default a minute).
	ExportIdle time.Duration
	// Metrics, when set, are served on /metrics (see NewMetrics).
	Metrics *Metrics
	Logger  *slog.Logger
	// Now is the clock for feed health (default time.Now).
	Now func() time.Time
}

// Server is the workbench's HTTP handler.
type Server struct {
	opt   Options
	mux   *http.ServeMux
	pages map[string]*pageTemplate
	log   *slog.Logger
}

// New builds the handler.
func New(opt Options) (*Server, error) {
	if opt.Reader == nil {
		return nil, errors.New("web: no archive reader")
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{opt: opt, mux: http.NewServeMux(), pages: pages, log: opt.Logger.With("component", "web")}
	static, _ := fs.Sub(assets, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", s.search)
	s.mux.HandleFunc("GET /attention", s.attention)
	s.mux.HandleFunc("GET /article/{id}", s.article)
	s.mux.HandleFunc("GET /raw/{id}", s.raw)
	s.mux.HandleFunc("GET /feeds", s.feeds)
	s.mux.HandleFunc("GET /export", s.export)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	if opt.Metrics != nil {
		s.mux.Handle("GET /metrics", opt.Metrics.handler(opt.Reader))
	}
	return s, nil
}

// Page CSP: no script from anywhere, styles and images from here, the
// raw page frame from here (it is sandboxed itself), no forms elsewhere.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// rawCSP is for stored pages: a sandbox (an opaque origin, no scripts, no
// forms, no plugins) with no network access at all; inline styles only.
const rawCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

// ServeHTTP applies the rules every response follows: read-only methods,
// the token, and the security headers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Frame-Options", "DENY")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "feedvault serve is read-only: only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	if s.opt.Token != "" && r.URL.Path != "/healthz" && !s.authorised(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

const tokenCookie = "feedvault_token"

// authorised checks the token, and answers the request when it fails or
// when it came in the URL (set as a cookie, then redirect without it, so
// the token does not stay in the address bar or the history).
func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	ok := func(got string) bool {
		return subtle.ConstantTimeCompare([]byte(got), []byte(s.opt.Token)) == 1
	}
	if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") && ok(strings.TrimPrefix(a, "Bearer ")) {
		return true
	}
	if c, err := r.Cookie(tokenCookie); err == nil && ok(c.Value) {
		return true
	}
	if t := r.URL.Query().Get("token"); t != "" && ok(t) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		u := *r.URL
		q := u.Query()
		q.Del("token")
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
		return false
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="feedvault"`)
	http.Error(w, "feedvault: this workbench needs its token: open it once as /?token=TOKEN, or send Authorization: Bearer TOKEN", http.StatusUnauthorized)
	return false
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.opt.Reader.Status(ctx); err != nil {
		http.Error(w, "archive unreachable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// CheckAddr refuses a listening address that is not loopback unless a
// token guards it. An empty host (":8080") means every interface.
func CheckAddr(addr, token string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("web: address %q: %w (write HOST:PORT, e.g. 127.0.0.1:8080)", addr, err)
	}
	// The port is checked here, before the daemon takes the archive,
	// rather than by the listen that follows.
	if n, err := strconv.Atoi(port); port == "" || (err == nil && (n < 0 || n > 65535)) {
		return fmt.Errorf("web: address %q: the port must be a number from 0 to 65535 (write HOST:PORT, e.g. 127.0.0.1:8080)", addr)
	} else if err != nil {
		if _, err := net.LookupPort("tcp", port); err != nil {
			return fmt.Errorf("web: address %q: %w (write HOST:PORT, e.g. 127.0.0.1:8080)", addr, err)
		}
	}
	if IsLoopback(host) || token != "" {
		return nil
	}
	if host == "" {
		host = "every interface"
	}
	return fmt.Errorf("web: refusing to listen on %s (%s) without a token: the archive would be open to the network; give --token or --token-file, or listen on 127.0.0.1 and use an SSH tunnel", addr, host)
}

// IsLoopback reports whether host names only the loopback interface.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ListenAndServe serves h on addr until ctx ends, then shuts down,
// letting requests in flight finish for up to five seconds. ready, when
// set, receives the bound address (useful with port 0).
func ListenAndServe(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(net.Addr)) error {
	ln, err := Listen(addr)
	if err != nil {
		return err
	}
	return Serve(ctx, ln, h, log, ready)
}

// Listen opens addr for the workbench. An address it cannot take says
// what to do: the OS says only "bind: address already in use".
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("web: listen on %s: %w: another program listens there (ss -ltnp names it); give another port, e.g. 127.0.0.1:8081", addr, err)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return nil, fmt.Errorf("web: listen on %s: %w: no interface of this machine has that address; give 127.0.0.1, or one of the machine's own addresses (ip addr lists them)", addr, err)
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("web: listen on %s: %w: ports below 1024 need privileges; give a port from 1024 up, e.g. 127.0.0.1:8080", addr, err)
	}
	return nil, fmt.Errorf("web: listen on %s: %w", addr, err)
}

// Serve is ListenAndServe on a listener the caller opened (the daemon
// takes its address before the archive, so that an address in use stops
// it before it polls). Serve closes ln.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, ready func(net.Addr)) error {
	var err error
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("web: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	<-errc
	if err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}

// fail answers with an error page: 404 for a missing article, 400 for a
// bad query, else 500 (logged).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if errors.Is(err, store.ErrNotFound) {
		status = http.StatusNotFound
	}
	if status >= 500 {
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "error", errorPage{Status: status, Message: err.Error()})
}

type errorPage struct {
	Status  int
	Message string
}
