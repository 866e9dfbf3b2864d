package web

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// export downloads the current query as a zip of the data (csv or jsonl,
// written by the CLI's export code) and its manifest, which records the
// sha256 and size of the data as 'feedvault export' does.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	if s.opt.Export == nil {
		s.fail(w, r, http.StatusNotFound, errors.New("export is not available here"))
		return
	}
	f, err := parseForm(r.URL.Query())
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "jsonl" {
		s.fail(w, r, http.StatusBadRequest, fmt.Errorf("unknown export format %q (want csv or jsonl)", format))
		return
	}
	q, _ := f.request()
	name := "feedvault-export-" + time.Now().UTC().Format("20060102-150405") + "." + format
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.zip"`)
	w.Header().Set("Cache-Control", "no-store")
	idle := s.opt.ExportIdle
	if idle <= 0 {
		idle = time.Minute
	}
	rc := http.NewResponseController(w)
	defer rc.SetWriteDeadline(time.Time{}) // the connection may serve more requests
	zw := zip.NewWriter(&idleWriter{w: w, rc: rc, idle: idle})
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		s.abort(r, err)
		return
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(fw, h)}
	m, err := s.opt.Export(r.Context(), cw, s.opt.Reader, q, format)
	if err != nil {
		// The download is cut short: the zip has no central directory and
		// any tool reports it broken, rather than a partial file as whole.
		s.abort(r, err)
		return
	}
	if m == nil {
		m = map[string]any{}
	}
	m["files"] = []map[string]any{{"path": name, "sha256": hex.EncodeToString(h.Sum(nil)), "bytes": cw.n}}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		s.abort(r, err)
		return
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".manifest.json", Method: zip.Deflate, Modified: time.Now()})
	if err == nil {
		_, err = mw.Write(append(mb, '\n'))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		s.abort(r, err)
	}
}

// abort logs a failure after the response started and cuts the
// connection, so the client sees an error, not a short file.
func (s *Server) abort(r *http.Request, err error) {
	s.log.Error("export failed", "url", r.URL.String(), "err", err)
	panic(http.ErrAbortHandler)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// idleWriter gives each write to the client a deadline: a download may
// take as long as it takes, but a client that takes nothing for idle is
// dropped rather than hold its handler for ever.
type idleWriter struct {
	w    io.Writer
	rc   *http.ResponseController
	idle time.Duration
}

func (w *idleWriter) Write(p []byte) (int, error) {
	w.rc.SetWriteDeadline(time.Now().Add(w.idle)) // not supported: no deadline, as before
	return w.w.Write(p)
}
