package archiveapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/net/netutil"

	"github.com/feedvault/feedvault/store"
)

// Limits bound what clients of the socket can take from the daemon.
type Limits struct {
	Heavy      int           // concurrent heavy requests (query, count, check, backup, ops); 4
	Backups    int           // backups sent at once, each from a snapshot file of the archive's size; 1
	HeavyWait  time.Duration // how long a heavy request waits for a slot before ErrTooBusy; 30s
	Conns      int           // open connections; 64
	Idle       time.Duration // longest wait for a client to send or take bytes; 10s
	BodyIdle   time.Duration // the same for an op's payload (import from a slow pipe); 60s
	MaxRequest int64         // a request's JSON; 1 MiB
	PageSize   int           // articles per streamed page; 100
	Grace      time.Duration // on shutdown, time for requests to end before connections are cut; 3s
}

// DefaultLimits are the limits of Listen.
func DefaultLimits() Limits {
	return Limits{Heavy: 4, Backups: 1, HeavyWait: 30 * time.Second, Conns: 64, Idle: 10 * time.Second, BodyIdle: time.Minute,
		MaxRequest: 1 << 20, PageSize: 100, Grace: 3 * time.Second}
}

// Server answers the CLI for the process that holds the archive.
type Server struct {
	rd       *local
	ops      map[string]Op
	path     string
	alias    string
	srv      *http.Server
	ln       net.Listener
	lim      Limits
	log      *slog.Logger
	heavy    chan struct{}
	backups  chan struct{} // see slots.go
	inflight atomic.Int64
	stop     context.CancelFunc // cancels every request's context
}

// Listen creates the socket for dbPath. The caller must hold the archive
// read-write, which guarantees no other live server: a socket file left
// by a crashed process is removed. ops are the maintenance commands it
// runs for the CLI, by name.
func Listen(st *store.Store, dbPath, mode string, ops map[string]Op) (*Server, error) {
	return ListenLimits(st, dbPath, mode, ops, DefaultLimits(), nil)
}

// ListenLimits is Listen with explicit limits and a logger (nil: none).
func ListenLimits(st *store.Store, dbPath, mode string, ops map[string]Op, lim Limits, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	path := SocketPath(dbPath)
	if inSocketDir(path) {
		if _, err := PrivateDir(); err != nil {
			return nil, err
		}
	}
	uln, err := listenPrivate(path)
	if err != nil {
		return nil, err
	}
	base, stop := context.WithCancel(context.Background())
	s := &Server{
		rd:   &local{st: st, borrowed: true, status: Status{PID: os.Getpid(), Mode: mode, Started: time.Now().UTC()}},
		ops:  ops,
		path: path, lim: lim, log: log,
		heavy: make(chan struct{}, max(lim.Heavy, 1)), backups: make(chan struct{}, max(lim.Backups, 1)),
		stop: stop,
	}
	s.ln = netutil.LimitListener(peerListener{uln, func(err error) {
		log.Warn("socket: refused a connection", "socket", path, "err", err)
	}}, max(lim.Conns, 1))
	// A hard link to the archive has another path but the same inode:
	// a link named after the inode, in the private directory, leads it
	// here.
	if alias, ok := aliasPath(dbPath); ok {
		if _, err := PrivateDir(); err == nil {
			os.Remove(alias)
			if os.Symlink(path, alias) == nil {
				s.alias = alias
			}
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/status", typed(s, false, func(ctx context.Context, _ struct{}) (any, error) { return s.rd.Status(ctx) }))
	// ping answers a client that dials (see Dial) without the archive's
	// counts, which walk whole buckets: 4–17 ms a call at 500,000
	// articles, 150 ms cold.
	mux.HandleFunc("POST /v1/ping", typed(s, false, func(ctx context.Context, _ struct{}) (any, error) { return s.rd.status, nil }))
	mux.HandleFunc("POST /v1/feeds", typed(s, false, func(ctx context.Context, _ struct{}) (any, error) { return s.rd.Feeds(ctx) }))
	mux.HandleFunc("POST /v1/check", typed(s, true, func(ctx context.Context, _ struct{}) (any, error) { return s.rd.Check(ctx) }))
	mux.HandleFunc("POST /v1/article", typed(s, false, func(ctx context.Context, r RefRequest) (any, error) { return s.rd.Article(ctx, r.Ref) }))
	mux.HandleFunc("POST /v1/revisions", typed(s, false, func(ctx context.Context, r IDRequest) (any, error) { return s.rd.Revisions(ctx, r.ID) }))
	mux.HandleFunc("POST /v1/observations", typed(s, false, func(ctx context.Context, r IDRequest) (any, error) { return s.rd.Observations(ctx, r.ID) }))
	mux.HandleFunc("POST /v1/count", typed(s, true, func(ctx context.Context, r CountRequest) (any, error) { return s.rd.Count(ctx, r.Query, r.By) }))
	mux.HandleFunc("POST /v1/raw", s.raw)
	mux.HandleFunc("POST /v1/query", s.query)
	mux.HandleFunc("POST /v1/backup", s.backup)
	mux.HandleFunc("POST /v1/op", s.op)
	s.handleCountByOutlet(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, fmt.Errorf("%w: %s %s", ErrUnknownOp, r.Method, r.URL.Path))
	})
	s.srv = &http.Server{
		Handler:           s.track(mux),
		ReadHeaderTimeout: lim.Idle,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    16 << 10,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	return s, nil
}

// Path is the socket's path.
func (s *Server) Path() string { return s.path }

func (s *Server) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.Add(1)
		defer s.inflight.Add(-1)
		if r.URL.RawQuery != "" {
			writeError(w, fmt.Errorf("%w: parameters go in the request body, not in the query string (%q)", ErrBadRequest, r.URL.RawQuery))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// readRequest decodes the request body strictly, under the size cap and
// the idle deadline, then lifts the read deadline (an expired one would
// cancel the request while the reply is written).
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request, v any) error {
	rc := http.NewResponseController(w)
	err := decodeStrict(&idleReader{r: http.MaxBytesReader(w, r.Body, s.lim.MaxRequest), rc: rc, idle: s.lim.Idle}, v)
	if err != nil {
		// The rest of the body is not read: the connection goes, with
		// its deadline still set, so that draining it cannot hang.
		w.Header().Set("Connection", "close")
		return err
	}
	rc.SetReadDeadline(time.Time{})
	return nil
}

func typed[Req any](s *Server, heavy bool, fn func(context.Context, Req) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req Req
		if err := s.readRequest(w, r, &req); err != nil {
			writeError(w, err)
			return
		}
		release := func() {}
		if heavy {
			var err error
			if release, err = s.acquire(r.Context()); err != nil {
				writeError(w, err)
				return
			}
		}
		v, err := fn(r.Context(), req)
		release() // the answer is written without the slot (slots.go)
		if err != nil {
			writeError(w, err)
			return
		}
		s.writeJSON(w, v)
	}
}

func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	iw := &idleWriter{w: w, rc: http.NewResponseController(w), idle: s.lim.Idle}
	if err := json.NewEncoder(iw).Encode(v); err != nil {
		s.log.Debug("socket: reply not taken", "err", err)
	}
}

func writeError(w http.ResponseWriter, err error) {
	status, code := errorCode(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorReply{Code: code, Error: err.Error()})
}

// query streams the listing a page at a time: the daemon holds one page
// per request, and a short read transaction per page.
func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	var q QueryRequest
	if err := s.readRequest(w, r, &q); err != nil {
		writeError(w, err)
		return
	}
	if _, err := q.Filter(); err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	iw := &idleWriter{w: w, rc: http.NewResponseController(w), idle: s.lim.Idle}
	enc := json.NewEncoder(iw)
	// Each page is read under a slot of its own, and written without.
	err := Pages(r.Context(), slotted{s.rd, s}, q, s.lim.PageSize, func(arts []*store.Article) error {
		for _, a := range arts {
			if err := enc.Encode(streamLine{Article: a}); err != nil {
				return err
			}
		}
		return iw.Flush()
	})
	end := streamLine{End: true}
	if err != nil {
		_, end.Code = errorCode(err)
		end.Error = err.Error()
	}
	enc.Encode(end)
}

func (s *Server) raw(w http.ResponseWriter, r *http.Request) {
	var req IDRequest
	if err := s.readRequest(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	b, err := s.rd.Raw(r.Context(), req.ID)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	(&idleWriter{w: w, rc: http.NewResponseController(w), idle: s.lim.Idle}).Write(b)
}

// backup first copies the archive to an unlinked temporary file beside
// it, holding a read transaction only as long as the local disk takes;
// then it sends the copy, so a client that reads slowly, or never,
// holds no transaction and cannot stop the archive growing.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	var req struct{}
	if err := s.readRequest(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	sending, err := s.acquireBackup(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	defer sending()
	release, err := s.acquire(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	f, err := os.CreateTemp(filepath.Dir(s.rd.st.Path()), ".feedvault-backup-")
	if err != nil {
		release()
		writeError(w, fmt.Errorf("archiveapi: backup: snapshot: %w", err))
		return
	}
	os.Remove(f.Name())
	defer f.Close()
	n, err := s.rd.st.Backup(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	release() // the copy is sent without the slot (slots.go)
	if err != nil {
		writeError(w, fmt.Errorf("archiveapi: backup: snapshot: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	iw := &idleWriter{w: w, rc: http.NewResponseController(w), idle: s.lim.Idle, until: sendBy(n, s.lim.Idle)}
	if _, err := io.Copy(iw, f); err != nil {
		s.log.Warn("socket: backup not taken by the client", "err", err)
	}
}

// op runs a maintenance command: the body is an OpRequest, then the
// op's payload.
func (s *Server) op(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	body := &idleReader{r: r.Body, rc: rc, idle: s.lim.BodyIdle}
	dec := json.NewDecoder(io.LimitReader(body, s.lim.MaxRequest))
	dec.DisallowUnknownFields()
	var req OpRequest
	if err := dec.Decode(&req); err != nil {
		w.Header().Set("Connection", "close")
		writeError(w, fmt.Errorf("%w: op request: %w", ErrBadRequest, err))
		return
	}
	op := s.ops[req.Name]
	if op == nil {
		w.Header().Set("Connection", "close")
		writeError(w, fmt.Errorf("%w %q", ErrUnknownOp, req.Name))
		return
	}
	release, err := s.acquire(r.Context())
	if err != nil {
		w.Header().Set("Connection", "close")
		writeError(w, err)
		return
	}
	defer release()
	v, err := op(r.Context(), s.rd.st, req.Params, payload(io.MultiReader(dec.Buffered(), body)))
	// What is left of the body is drained under a short deadline; a
	// failed op closes the connection rather than wait for it.
	rc.SetReadDeadline(time.Now().Add(s.lim.Idle))
	if err != nil {
		w.Header().Set("Connection", "close")
		writeError(w, err)
		return
	}
	s.writeJSON(w, v)
}

// payload is the op's payload: what follows the request object and the
// newline the client ends it with (see remote.op), byte for byte. With
// that newline, an import's line numbers were one too many.
func payload(rest io.Reader) io.Reader {
	br := bufio.NewReader(rest)
	for {
		c, err := br.ReadByte()
		if err != nil || c == '\n' {
			return br
		}
		if c != ' ' && c != '\t' && c != '\r' {
			br.UnreadByte()
			return br
		}
	}
}

// Serve answers until ctx ends, then closes and removes the socket. It
// returns within Grace plus 5 s whatever the clients do: requests get
// Grace to end, then their connections are cut and their contexts
// cancelled.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		s.stop()
		s.cleanup()
		return fmt.Errorf("archiveapi: serve: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.lim.Grace)
	err := s.srv.Shutdown(sctx)
	cancel()
	s.stop()
	if err != nil {
		s.log.Warn("socket: cutting requests that did not end in time", "grace", s.lim.Grace)
		err = s.srv.Close()
	}
	<-errc
	// Handlers see their context cancelled and their connection gone;
	// wait for them so that the archive can close after.
	deadline := time.Now().Add(5 * time.Second)
	for s.inflight.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.inflight.Load(); n > 0 {
		s.log.Warn("socket: requests still running at shutdown", "requests", n)
	}
	s.cleanup()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func (s *Server) cleanup() {
	os.Remove(s.path)
	if s.alias != "" {
		if t, err := os.Readlink(s.alias); err == nil && t == s.path {
			os.Remove(s.alias)
		}
	}
}
