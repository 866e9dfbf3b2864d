// Package archiveapi lets the CLI read the archive whether or not a
// feedvault process holds it.
//
// bbolt allows one process to hold the file, and even a read-only open
// waits while a writer has it. So the writer (the daemon, or a cron run)
// serves reads on a Unix socket whose path derives from the archive path
// alone (SocketPath), and the CLI asks it. With no writer running, the CLI
// opens the file read-only itself, with a short timeout.
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
	"unicode"

	"github.com/feedvault/feedvault/canon"
	"github.com/feedvault/feedvault/store"
)

// SocketPath is where the process holding dbPath serves reads: beside the
// archive as DB.sock, or, when that path is too long for a Unix socket, in
// the temporary directory under a name derived from the absolute path.
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
	Text    string    `json:"text,omitempty"` // words that must all appear, whole, in title or text
	Outlets []string  `json:"outlets,omitempty"`
	Since   time.Time `json:"since,omitzero"`
	Until   time.Time `json:"until,omitzero"`
	Limit   int       `json:"limit,omitempty"`
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
	// Article finds an article by id or by URL.
	Article(ctx context.Context, ref string) (*store.Article, error)
	Feeds(ctx context.Context) ([]*store.FeedState, error)
	Status(ctx context.Context) (Status, error)
	// Via says how the archive is reached, for messages.
	Via() string
	Close() error
}

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

// Local serves reads from an open store (used by the writer itself).
func Local(st *store.Store) Reader { return &local{st: st, borrowed: true} }

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
	return l.st.Query(store.Filter{Outlets: q.Outlets, Since: q.Since, Until: q.Until, Limit: q.Limit, Match: WordMatcher(q.Text)})
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

func (l *local) Feeds(ctx context.Context) ([]*store.FeedState, error) { return l.st.Feeds() }

func (l *local) Status(ctx context.Context) (Status, error) {
	s := l.status
	stats, err := l.st.Stats()
	s.Stats = stats
	s.DB = l.st.Path()
	return s, err
}

// WordMatcher matches articles whose title or text holds every word of
// text as a whole word, case-insensitively, in any script.
func WordMatcher(text string) func(*store.Article) bool {
	words := Words(text)
	if len(words) == 0 {
		return nil
	}
	return func(a *store.Article) bool {
		have := map[string]bool{}
		for _, w := range Words(a.Title) {
			have[w] = true
		}
		for _, w := range Words(a.Text) {
			have[w] = true
		}
		for _, w := range words {
			if !have[w] {
				return false
			}
		}
		return true
	}
}

// Words splits s into lower-case words of letters and digits.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// Server answers reads for the process that holds the archive.
type Server struct {
	rd   *local
	path string
	srv  *http.Server
	ln   net.Listener
}

// Listen creates the socket for dbPath. The caller must hold the archive
// read-write, which guarantees no other live server: a socket file left
// by a crashed process is removed.
func Listen(st *store.Store, dbPath, mode string) (*Server, error) {
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
	mux.HandleFunc("GET /v1/status", func(w http.ResponseWriter, r *http.Request) {
		st, err := s.rd.Status(r.Context())
		reply(w, st, err)
	})
	mux.HandleFunc("POST /v1/query", func(w http.ResponseWriter, r *http.Request) {
		var q QueryRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&q); err != nil {
			http.Error(w, "bad query: "+err.Error(), http.StatusBadRequest)
			return
		}
		arts, err := s.rd.Query(r.Context(), q)
		reply(w, arts, err)
	})
	mux.HandleFunc("GET /v1/article", func(w http.ResponseWriter, r *http.Request) {
		a, err := s.rd.Article(r.Context(), r.URL.Query().Get("ref"))
		reply(w, a, err)
	})
	mux.HandleFunc("GET /v1/feeds", func(w http.ResponseWriter, r *http.Request) {
		f, err := s.rd.Feeds(r.Context())
		reply(w, f, err)
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
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if err != nil {
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
		Timeout: 30 * time.Second,
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

func (c *remote) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://feedvault"+path, rd)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("archiveapi: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return store.ErrNotFound
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("archiveapi: server: %s", strings.TrimSpace(string(msg)))
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("archiveapi: decode reply: %w", err)
	}
	return nil
}

func (c *remote) Query(ctx context.Context, q QueryRequest) ([]*store.Article, error) {
	var out []*store.Article
	return out, c.do(ctx, http.MethodPost, "/v1/query", q, &out)
}

func (c *remote) Article(ctx context.Context, ref string) (*store.Article, error) {
	var out store.Article
	if err := c.do(ctx, http.MethodGet, "/v1/article?ref="+url.QueryEscape(ref), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *remote) Feeds(ctx context.Context) ([]*store.FeedState, error) {
	var out []*store.FeedState
	return out, c.do(ctx, http.MethodGet, "/v1/feeds", nil, &out)
}

func (c *remote) Status(ctx context.Context) (Status, error) {
	var out Status
	return out, c.do(ctx, http.MethodGet, "/v1/status", nil, &out)
}
