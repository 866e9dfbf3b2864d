package archiveapi

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Dial checks a daemon is there with ping, which reads no counts (status
// walks whole buckets: 4–17 ms at 500,000 articles); a daemon older than
// ping answers status instead; a socket that answers neither is no
// daemon.
func TestDialPings(t *testing.T) {
	for _, tc := range []struct {
		name           string
		ping, status   bool
		ok             bool
		wantStatusHits int64
	}{
		{"daemon with ping", true, true, true, 0},
		{"daemon older than ping", false, true, true, 1},
		{"answers neither", false, false, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "a.db")
			l, err := net.Listen("unix", SocketPath(db))
			if err != nil {
				t.Fatal(err)
			}
			var statusHits atomic.Int64
			mux := http.NewServeMux()
			reply := func(w http.ResponseWriter) { json.NewEncoder(w).Encode(Status{PID: 1, Mode: "daemon"}) }
			if tc.ping {
				mux.HandleFunc("POST /v1/ping", func(w http.ResponseWriter, _ *http.Request) { reply(w) })
			}
			mux.HandleFunc("POST /v1/status", func(w http.ResponseWriter, _ *http.Request) {
				statusHits.Add(1)
				if !tc.status {
					http.Error(w, "no", http.StatusInternalServerError)
					return
				}
				reply(w)
			})
			srv := &http.Server{Handler: mux}
			done := make(chan struct{})
			go func() { defer close(done); srv.Serve(l) }()
			defer func() { srv.Close(); <-done }()
			r, err := Dial(context.Background(), db)
			if tc.ok != (err == nil) {
				t.Fatalf("Dial: %v, want ok=%v", err, tc.ok)
			}
			if r != nil {
				r.Close()
			}
			if n := statusHits.Load(); n != tc.wantStatusHits {
				t.Errorf("status asked %d times, want %d", n, tc.wantStatusHits)
			}
		})
	}
}

// TestDaemonGoneMidRequest: when the daemon died during a request
// (kill -9 during a compaction through the socket), the CLI said only
// `archiveapi: op: Post "http://feedvault/v1/op": EOF`. It says the
// daemon closed the connection before answering, and what to do.
func TestDaemonGoneMidRequest(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	l, err := net.Listen("unix", SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 512)) // the request, then gone without a word
			c.Close()
		}
	}()
	path := SocketPath(db)
	r := &remote{path: path, hc: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return dialSocket(ctx, path) },
	}}}
	defer r.Close()
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"op", func() error { var v any; return r.op(context.Background(), "compact", nil, nil, &v) }},
		{"query", func() error { _, err := r.Query(context.Background(), QueryRequest{}); return err }},
		{"count", func() error { _, err := r.Count(context.Background(), QueryRequest{}, "day"); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !strings.Contains(err.Error(), "closed the connection before it answered") || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v", err)
			}
		})
	}
}

// TestDaemonGoneBetweenRequests: a long-lived client (the workbench of
// 'feedvault serve') whose daemon stopped said only "dial unix
// …/a.db.sock: connect: no such file or directory". It says no process
// serves the archive there any more, and what to do.
func TestDaemonGoneBetweenRequests(t *testing.T) {
	dir := t.TempDir()
	gone := SocketPath(filepath.Join(dir, "a.db"))
	refused := filepath.Join(dir, "refused.sock")
	l, err := net.Listen("unix", refused)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close() // the socket file stays, nobody listens: connection refused
	for _, path := range []string{gone, refused} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := &remote{path: path, hc: &http.Client{Transport: &http.Transport{
				DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return dialSocket(ctx, path) },
			}}}
			defer r.Close()
			_, err := r.Query(context.Background(), QueryRequest{})
			if err == nil || !strings.Contains(err.Error(), "no process serves the archive on "+path+" any more") {
				t.Errorf("error %v", err)
			}
		})
	}
}
