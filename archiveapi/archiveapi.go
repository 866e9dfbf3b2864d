// Package archiveapi lets the CLI use the archive whether or not a
// feedvault process holds it.
//
// bbolt lets one process hold the file, and even a read-only open waits
// while a writer has it. So the writer (the daemon, or a cron run) serves
// the CLI on a Unix socket whose path derives from the archive path alone
// (SocketPath): reads, and the maintenance commands that write (import,
// reextract, reindex, compact). With no writer running, the CLI opens the
// file itself: read-only with a short timeout for reads, read-write for
// maintenance.
package archiveapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/feedvault/feedvault/canon"
	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/store"
)

// SocketPath is where the process holding dbPath serves the CLI: beside
// the archive as DB.sock, or, when that path is too long for a Unix
// socket, in the temporary directory under a name derived from the
// absolute path.
func SocketPath(dbPath string) string {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		abs = dbPath
	}
	p := abs + ".sock"
	if len(p) < 100 {
		return p
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "feedvault-"+hex.EncodeToString(sum[:8])+".sock")
}

// QueryRequest selects articles.
type QueryRequest struct {
	Query   string    `json:"query,omitempty"` // the query language (see package query)
	Outlets []string  `json:"outlets,omitempty"`
	Since   time.Time `json:"since,omitzero"`
	Until   time.Time `json:"until,omitzero"`
	Seen    bool      `json:"seen,omitempty"` // dates and order on first-seen time
	Edited  bool      `json:"edited,omitempty"`
	Limit   int       `json:"limit,omitempty"`
	// After continues a listing after this article (see Pages).
	After *store.Cursor `json:"after,omitempty"`
	// Listing asks only for store.ListingFields (see store.Filter).
	Listing bool `json:"listing,omitempty"`
}

// Filter parses the request into a store filter.
func (q QueryRequest) Filter() (store.Filter, error) {
	n, err := query.Parse(q.Query)
	if err != nil {
		return store.Filter{}, err
	}
	return store.Filter{Query: n, Outlets: q.Outlets, Since: q.Since, Until: q.Until, Seen: q.Seen, Edited: q.Edited, Limit: q.Limit, After: q.After, Listing: q.Listing}, nil
}

// Pages calls fn with the articles that match q, newest first, a page of
// size at a time, so that a listing of any length holds one page in
// memory (and, through the socket, one page per reply). q.Limit caps the
// total (0: all).
func Pages(ctx context.Context, r Reader, q QueryRequest, size int, fn func([]*store.Article) error) error {
	limit := q.Limit
	seen := 0
	for {
		page := q
		page.Limit = size
		if limit > 0 {
			page.Limit = min(size, limit-seen)
		}
		arts, err := r.Query(ctx, page)
		if err != nil {
			return err
		}
		if len(arts) > 0 {
			if err := fn(arts); err != nil {
				return err
			}
		}
		seen += len(arts)
		if len(arts) < page.Limit || limit > 0 && seen >= limit {
			return nil
		}
		last := arts[len(arts)-1]
		f := store.Filter{Seen: q.Seen}
		q.After = f.CursorOf(last)
	}
}

// Status describes the process serving the archive.
type Status struct {
	PID     int         `json:"pid"`
	Mode    string      `json:"mode"` // daemon or run
	Started time.Time   `json:"started"`
	DB      string      `json:"db"`
	Stats   store.Stats `json:"stats"`
}

// Reader is the read side of the archive, local or through the socket.
type Reader interface {
	Query(ctx context.Context, q QueryRequest) ([]*store.Article, error)
	Count(ctx context.Context, q QueryRequest, by string) ([]store.CountRow, error)
	// Article finds an article by id or by URL in any form it was seen.
	Article(ctx context.Context, ref string) (*store.Article, error)
	Revisions(ctx context.Context, id uint64) ([]store.Revision, error)
	Observations(ctx context.Context, id uint64) ([]store.Observation, error)
	Raw(ctx context.Context, id uint64) ([]byte, error)
	Feeds(ctx context.Context) ([]*store.FeedState, error)
	Status(ctx context.Context) (Status, error)
	// Backup writes a consistent copy of the archive to w.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	Check(ctx context.Context) ([]string, error)
	// Via says how the archive is reached, for messages.
	Via() string
	Close() error
}

// Op is a maintenance command that writes: the CLI runs it on an archive
// it opened itself, or asks the daemon to run it on its own.
type Op func(ctx context.Context, st *store.Store, params json.RawMessage, body io.Reader) (any, error)

// ErrBusy is returned when the archive is held by a process that does not
// answer on the socket.
var ErrBusy = errors.New("archiveapi: archive is busy: another process holds it and does not answer on its socket")

// Open finds the way to read dbPath: the socket of a running feedvault,
// else the file itself, read-only, waiting at most timeout for the lock.
func Open(ctx context.Context, dbPath string, timeout time.Duration) (Reader, error) {
	if r, err := Dial(ctx, dbPath); err == nil {
		return r, nil
	}
	st, err := store.Open(dbPath, store.Options{ReadOnly: true, Timeout: timeout})
	if err == nil {
		return &local{st: st}, nil
	}
	if errors.Is(err, store.ErrBusy) {
		// A writer may have started between our two tries.
		if r, derr := Dial(ctx, dbPath); derr == nil {
			return r, nil
		}
		return nil, fmt.Errorf("%w (%s)", ErrBusy, dbPath)
	}
	return nil, err
}

// RunOp runs a maintenance op: through the socket when a feedvault serves
// dbPath, else on the file opened read-write. out receives the result.
func RunOp(ctx context.Context, dbPath, name string, op Op, params any, body io.Reader, out any) (via string, err error) {
	pj, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	if r, derr := Dial(ctx, dbPath); derr == nil {
		c := r.(*remote)
		defer c.Close()
		return c.Via(), c.op(ctx, name, pj, body, out)
	}
	st, err := store.Open(dbPath, store.Options{Timeout: 200 * time.Millisecond})
	if errors.Is(err, store.ErrBusy) {
		return "", fmt.Errorf("%w (%s)", ErrBusy, dbPath)
	}
	if err != nil {
		return "", err
	}
	defer st.Close()
	res, err := op(ctx, st, pj, body)
	if err != nil {
		return "file " + dbPath, err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return "", err
	}
	return "file " + dbPath, json.Unmarshal(b, out)
}

type local struct {
	st       *store.Store
	borrowed bool
	status   Status
}

func (l *local) Via() string { return "file " + l.st.Path() }

func (l *local) Close() error {
	if l.borrowed {
		return nil
	}
	return l.st.Close()
}

func (l *local) Query(ctx context.Context, q QueryRequest) ([]*store.Article, error) {
	f, err := q.Filter()
	if err != nil {
		return nil, err
	}
	return l.st.Query(f)
}

func (l *local) Count(ctx context.Context, q QueryRequest, by string) ([]store.CountRow, error) {
	f, err := q.Filter()
	if err != nil {
		return nil, err
	}
	return l.st.Count(f, by)
}

func (l *local) Article(ctx context.Context, ref string) (*store.Article, error) {
	if id, err := strconv.ParseUint(ref, 10, 64); err == nil {
		return l.st.Get(id)
	}
	// The URL as given, then its canonical and loose forms.
	for _, u := range []string{ref, canon.URL(ref), canon.Key(ref)} {
		a, err := l.st.GetByURL(u)
		if !errors.Is(err, store.ErrNotFound) {
			return a, err
		}
	}
	return nil, store.ErrNotFound
}

func (l *local) Revisions(ctx context.Context, id uint64) ([]store.Revision, error) {
	return l.st.Revisions(id)
}

func (l *local) Observations(ctx context.Context, id uint64) ([]store.Observation, error) {
	return l.st.Observations(id)
}

func (l *local) Raw(ctx context.Context, id uint64) ([]byte, error) { return l.st.Raw(id) }

func (l *local) Feeds(ctx context.Context) ([]*store.FeedState, error) { return l.st.Feeds() }

func (l *local) Status(ctx context.Context) (Status, error) {
	s := l.status
	stats, err := l.st.Stats()
	s.Stats = stats
	s.DB = l.st.Path()
	return s, err
}

func (l *local) Backup(ctx context.Context, w io.Writer) (int64, error) { return l.st.Backup(w) }

func (l *local) Check(ctx context.Context) ([]string, error) { return l.st.Check() }

// Server answers the CLI for the process that holds the archive.
type Server struct {
	rd   *local
	path string
	srv  *http.Server
	ln   net.Listener
}

// Listen creates the socket for dbPath. The caller must hold the archive
// read-write, which guarantees no other live server: a socket file left
// by a crashed process is removed. ops are the maintenance commands it
// runs for the CLI, by name.
func Listen(st *store.Store, dbPath, mode string, ops map[string]Op) (*Server, error) {
	path := SocketPath(dbPath)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("archiveapi: remove stale socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("archiveapi: listen: %w", err)
	}
	os.Chmod(path, 0o600)
	s := &Server{rd: &local{st: st, borrowed: true, status: Status{PID: os.Getpid(), Mode: mode, Started: time.Now().UTC()}}, path: path, ln: ln}
	mux := http.NewServeMux()
	get := func(path string, fn func(r *http.Request) (any, error)) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			v, err := fn(r)
			reply(w, v, err)
		})
	}
	idParam := func(r *http.Request) (uint64, error) {
		return strconv.ParseUint(r.URL.Query().Get("id"), 10, 64)
	}
	get("/v1/status", func(r *http.Request) (any, error) { return s.rd.Status(r.Context()) })
	get("/v1/article", func(r *http.Request) (any, error) { return s.rd.Article(r.Context(), r.URL.Query().Get("ref")) })
	get("/v1/revisions", func(r *http.Request) (any, error) {
		id, err := idParam(r)
		if err != nil {
			return nil, err
		}
		return s.rd.Revisions(r.Context(), id)
	})
	get("/v1/observations", func(r *http.Request) (any, error) {
		id, err := idParam(r)
		if err != nil {
			return nil, err
		}
		return s.rd.Observations(r.Context(), id)
	})
	get("/v1/raw", func(r *http.Request) (any, error) {
		id, err := idParam(r)
		if err != nil {
			return nil, err
		}
		return s.rd.Raw(r.Context(), id) // []byte travels as base64 in JSON
	})
	get("/v1/feeds", func(r *http.Request) (any, error) { return s.rd.Feeds(r.Context()) })
	get("/v1/check", func(r *http.Request) (any, error) { return s.rd.Check(r.Context()) })
	mux.HandleFunc("POST /v1/query", func(w http.ResponseWriter, r *http.Request) {
		var q QueryRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&q); err != nil {
			http.Error(w, "bad query: "+err.Error(), http.StatusBadRequest)
			return
		}
		if by := r.URL.Query().Get("count"); by != "" {
			rows, err := s.rd.Count(r.Context(), q, by)
			reply(w, rows, err)
			return
		}
		arts, err := s.rd.Query(r.Context(), q)
		reply(w, arts, err)
	})
	mux.HandleFunc("GET /v1/backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := s.rd.Backup(r.Context(), w); err != nil {
			// Headers are gone; the client sees a short body and fails.
			panic(http.ErrAbortHandler)
		}
	})
	mux.HandleFunc("POST /v1/op/{name}", func(w http.ResponseWriter, r *http.Request) {
		op := ops[r.PathValue("name")]
		if op == nil {
			http.Error(w, "no such operation "+r.PathValue("name"), http.StatusNotFound)
			return
		}
		params := json.RawMessage(r.URL.Query().Get("params"))
		if len(params) == 0 {
			params = json.RawMessage("null")
		}
		v, err := op(r.Context(), st, params, r.Body)
		reply(w, v, err)
	})
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return s, nil
}

// Serve answers until ctx ends, then closes and removes the socket.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		os.Remove(s.path)
		return fmt.Errorf("archiveapi: serve: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	<-errc
	os.Remove(s.path)
	return err
}

func reply(w http.ResponseWriter, v any, err error) {
	var qe *query.Error
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.Error(w, "not found", http.StatusNotFound)
		return
	case errors.As(err, &qe), errors.Is(err, strconv.ErrSyntax):
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// Dial connects to the process serving dbPath.
func Dial(ctx context.Context, dbPath string) (Reader, error) {
	path := SocketPath(dbPath)
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	c := &remote{path: path, hc: &http.Client{
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		}},
	}}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := c.Status(pctx); err != nil {
		return nil, err
	}
	return c, nil
}

type remote struct {
	path string
	hc   *http.Client
}

func (c *remote) Via() string  { return "socket " + c.path }
func (c *remote) Close() error { c.hc.CloseIdleConnections(); return nil }

func (c *remote) request(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://feedvault"+path, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("archiveapi: %w", err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch resp.StatusCode {
	case http.StatusNotFound:
		return nil, store.ErrNotFound
	case http.StatusBadRequest:
		return nil, fmt.Errorf("%s", strings.TrimSpace(string(msg)))
	}
	return nil, fmt.Errorf("archiveapi: the daemon says: %s", strings.TrimSpace(string(msg)))
}

func (c *remote) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = strings.NewReader(string(b))
	}
	resp, err := c.request(ctx, method, path, rd)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("archiveapi: decode reply: %w", err)
	}
	return nil
}

func (c *remote) op(ctx context.Context, name string, params []byte, body io.Reader, out any) error {
	resp, err := c.request(ctx, http.MethodPost, "/v1/op/"+name+"?params="+url.QueryEscape(string(params)), body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *remote) Query(ctx context.Context, q QueryRequest) ([]*store.Article, error) {
	var out []*store.Article
	return out, c.do(ctx, http.MethodPost, "/v1/query", q, &out)
}

func (c *remote) Count(ctx context.Context, q QueryRequest, by string) ([]store.CountRow, error) {
	var out []store.CountRow
	return out, c.do(ctx, http.MethodPost, "/v1/query?count="+url.QueryEscape(by), q, &out)
}

func (c *remote) Article(ctx context.Context, ref string) (*store.Article, error) {
	var out store.Article
	if err := c.do(ctx, http.MethodGet, "/v1/article?ref="+url.QueryEscape(ref), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *remote) Revisions(ctx context.Context, id uint64) ([]store.Revision, error) {
	var out []store.Revision
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/v1/revisions?id=%d", id), nil, &out)
}

func (c *remote) Observations(ctx context.Context, id uint64) ([]store.Observation, error) {
	var out []store.Observation
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/v1/observations?id=%d", id), nil, &out)
}

func (c *remote) Raw(ctx context.Context, id uint64) ([]byte, error) {
	var out []byte
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/v1/raw?id=%d", id), nil, &out)
}

func (c *remote) Feeds(ctx context.Context) ([]*store.FeedState, error) {
	var out []*store.FeedState
	return out, c.do(ctx, http.MethodGet, "/v1/feeds", nil, &out)
}

func (c *remote) Status(ctx context.Context) (Status, error) {
	var out Status
	return out, c.do(ctx, http.MethodGet, "/v1/status", nil, &out)
}

func (c *remote) Check(ctx context.Context) ([]string, error) {
	var out []string
	return out, c.do(ctx, http.MethodGet, "/v1/check", nil, &out)
}

func (c *remote) Backup(ctx context.Context, w io.Writer) (int64, error) {
	resp, err := c.request(ctx, http.MethodGet, "/v1/backup", nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("archiveapi: backup: %w", err)
	}
	return n, nil
}
