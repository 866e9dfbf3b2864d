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
//
// The socket answers only its own user (SO_PEERCRED, checked by both
// ends), validates every request, gives each op a typed JSON request and
// reply, streams long listings, caps concurrent heavy requests and puts
// deadlines on every read and write, so a stalled client cannot hold the
// archive (see SECURITY.md).
package archiveapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/store"
)

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

// inRange is q with its date bounds inside the times the store orders
// articles by (nanoseconds since 1970 in 64 bits: 1677-09-21 to
// 2262-04-11; JSON, on the socket, carries only the years 0 to 9999). A
// bound outside them compared wrongly: --since 2300-01-01 matched every
// article, --until 9999-12-31 failed on the socket. Such a bound either
// bounds nothing the store holds (it goes as no bound) or excludes all
// of it (it goes as the range's end).
func (q QueryRequest) inRange() QueryRequest {
	first, last := store.OrderedRange()
	switch {
	case q.Since.IsZero():
	case q.Since.Before(first):
		q.Since = time.Time{}
	case q.Since.After(last):
		q.Since = last
	}
	switch {
	case q.Until.IsZero():
	case q.Until.After(last):
		q.Until = time.Time{}
	case q.Until.Before(first):
		q.Until = first
	}
	return q
}

// Filter validates the request and parses it into a store filter. Its
// errors wrap ErrBadRequest.
func (q QueryRequest) Filter() (store.Filter, error) {
	if q.Limit < 0 {
		return store.Filter{}, fmt.Errorf("%w: limit %d is negative", ErrBadRequest, q.Limit)
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && q.Until.Before(q.Since) {
		return store.Filter{}, fmt.Errorf("%w: until %s is before since %s", ErrBadRequest,
			q.Until.Format(time.RFC3339), q.Since.Format(time.RFC3339))
	}
	for _, o := range q.Outlets {
		if strings.TrimSpace(o) == "" {
			return store.Filter{}, fmt.Errorf("%w: an empty outlet name", ErrBadRequest)
		}
	}
	n, err := query.Parse(q.Query)
	if err != nil {
		return store.Filter{}, fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	q = q.inRange()
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
	// CountByOutlet counts by period for each outlet at once (countgrid.go).
	CountByOutlet(ctx context.Context, q QueryRequest, by string) (map[string][]store.CountRow, error)
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

// CountBy lists what Count can count by.
var CountBy = []string{store.ByDay, store.ByWeek, store.ByMonth, store.ByOutlet}

func checkBy(by string) error {
	if slices.Contains(CountBy, by) {
		return nil
	}
	return fmt.Errorf("%w: cannot count by %q (want one of %s)", ErrBadRequest, by, strings.Join(CountBy, ", "))
}

// Errors of the API, the same through the socket and on the file.
var (
	// ErrBadRequest: a parameter is missing, of the wrong type or out of range.
	ErrBadRequest = errors.New("archiveapi: bad request")
	// ErrUnknownOp: the socket or the op table has no such operation.
	ErrUnknownOp = errors.New("archiveapi: unknown operation")
	// ErrTooBusy: the daemon is serving as many heavy requests as it
	// allows and none ended in time; try again.
	ErrTooBusy = errors.New("archiveapi: the daemon is serving too many heavy requests; try again")
	// ErrImpostor: the socket is served by another user's process.
	ErrImpostor = errors.New("archiveapi: refusing a socket served by another user")
)

// DecodeParams decodes an op's parameters strictly: unknown fields,
// wrong types and trailing data are ErrBadRequest. Empty or null params
// leave v as it is.
func DecodeParams(params json.RawMessage, v any) error {
	if len(bytes.TrimSpace(params)) == 0 || string(bytes.TrimSpace(params)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: parameters: %w", ErrBadRequest, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: parameters: trailing data after the object", ErrBadRequest)
	}
	return nil
}

// ErrBusy is returned when the archive is held by a process that does not
// answer on the socket.
var ErrBusy = errors.New("archiveapi: archive is busy: another process holds it and does not answer on its socket")

// Open finds the way to read dbPath: the socket of a running feedvault,
// else the file itself, read-only, waiting at most timeout for the lock.
func Open(ctx context.Context, dbPath string, timeout time.Duration) (Reader, error) {
	r, err := Dial(ctx, dbPath)
	if err == nil {
		return r, nil
	}
	if errors.Is(err, ErrImpostor) {
		return nil, err
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
func RunOp(ctx context.Context, log *slog.Logger, dbPath, name string, op Op, params any, body io.Reader, out any) (via string, err error) {
	pj, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	r, derr := Dial(ctx, dbPath)
	if derr == nil {
		c := r.(*remote)
		defer c.Close()
		return c.Via(), c.op(ctx, name, pj, body, out)
	}
	if errors.Is(derr, ErrImpostor) {
		return "", derr
	}
	st, err := store.Open(dbPath, store.Options{Timeout: 200 * time.Millisecond, Logger: log})
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
