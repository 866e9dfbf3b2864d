package archiveapi

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
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
