package archiveapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/feedvault/feedvault/store"
)

// The wire protocol: HTTP/1.1 over the Unix socket, one POST /v1/OP per
// operation, with a typed JSON request in the body (never in the query
// string) and a typed reply: JSON, a stream of JSON lines for listings,
// or raw bytes for raw pages and backups. A failure is an errorReply with
// a status and a code.

// CountRequest is the body of POST /v1/count.
type CountRequest struct {
	Query QueryRequest `json:"query"`
	By    string       `json:"by"` // day, week, month or outlet
}

// RefRequest is the body of POST /v1/article.
type RefRequest struct {
	Ref string `json:"ref"` // an id or a URL
}

// IDRequest is the body of POST /v1/revisions, /v1/observations and /v1/raw.
type IDRequest struct {
	ID uint64 `json:"id"`
}

// OpRequest opens the body of POST /v1/op; the op's payload (an import
// file) follows the JSON object.
type OpRequest struct {
	Name   string          `json:"name"`
	Params json.RawMessage `json:"params,omitempty"`
}

// streamLine is one line of a streamed listing: an article, then a last
// line with End set (and Error when the listing failed part way), so
// that a reply cut short is never taken for a complete one.
type streamLine struct {
	Article *store.Article `json:"article,omitempty"`
	End     bool           `json:"end,omitempty"`
	Code    string         `json:"code,omitempty"`
	Error   string         `json:"error,omitempty"`
}

// errorReply is the body of every failed request.
type errorReply struct {
	Code  string `json:"code"`
	Error string `json:"error"`
}

// Error codes on the wire, and the errors they stand for.
const (
	codeBadRequest = "bad_request"
	codeTooLarge   = "too_large"
	codeNotFound   = "not_found"
	codeUnknownOp  = "unknown_op"
	codeBusy       = "busy"
	codeInternal   = "internal"
)

func errorCode(err error) (status int, code string) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, codeTooLarge
	case errors.Is(err, ErrBadRequest):
		return http.StatusBadRequest, codeBadRequest
	case errors.Is(err, ErrUnknownOp):
		return http.StatusNotImplemented, codeUnknownOp
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, codeNotFound
	case errors.Is(err, ErrTooBusy), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, codeBusy
	}
	return http.StatusInternalServerError, codeInternal
}

// remoteError is a failure the daemon reported; it wraps the error its
// code stands for, so errors.Is works the same on both readers.
type remoteError struct {
	code string
	msg  string
}

func (e *remoteError) Error() string { return e.msg }

func (e *remoteError) Unwrap() error {
	switch e.code {
	case codeBadRequest, codeTooLarge:
		return ErrBadRequest
	case codeNotFound:
		return store.ErrNotFound
	case codeUnknownOp:
		return ErrUnknownOp
	case codeBusy:
		return ErrTooBusy
	}
	return nil
}

// decodeStrict reads exactly one JSON value into v: unknown fields,
// wrong types and trailing data are ErrBadRequest. An empty body is the
// zero request.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: trailing data after the request object", ErrBadRequest)
	}
	return nil
}

// idleReader fails a read that waits longer than idle for the client:
// a request body that never finishes cannot hold a handler.
type idleReader struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	r.rc.SetReadDeadline(time.Now().Add(r.idle))
	return r.r.Read(p)
}

// idleWriter fails a write that the client does not take within idle:
// a client that stops reading cannot hold a handler, or the archive.
// With until set, no write goes past it either.
type idleWriter struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	idle  time.Duration
	until time.Time
}

func (w *idleWriter) deadline() time.Time {
	d := time.Now().Add(w.idle)
	if !w.until.IsZero() && w.until.Before(d) {
		return w.until
	}
	return d
}

func (w *idleWriter) Write(p []byte) (int, error) {
	w.rc.SetWriteDeadline(w.deadline())
	return w.w.Write(p)
}

func (w *idleWriter) Flush() error {
	w.rc.SetWriteDeadline(w.deadline())
	return w.rc.Flush()
}
