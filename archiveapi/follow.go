package archiveapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/feedvault/feedvault/store"
)

// ErrGone means the process that served the archive on its socket
// stopped after the client dialled it.
var ErrGone = errors.New("the daemon stopped")

// goneError is an error of a daemon that stopped: errors.Is(err, ErrGone).
type goneError struct{ error }

func (e goneError) Is(target error) bool { return target == ErrGone }
func (e goneError) Unwrap() error        { return e.error }

// Follow is a Reader for a long-lived client (the workbench) that
// follows the archive as processes come and go: each call goes through
// the socket of the process that writes the archive, when one runs, and
// is made again once when that process stops during it; with none, the
// file is opened read-only for the call alone and closed after it. Such
// a client so never holds the file's lock between calls: a daemon can
// start beside it (a held read-only lock made it exit "busy"), and the
// client's pages work on when the daemon stops or starts again.
func Follow(dbPath string, timeout time.Duration) Reader {
	return &follow{path: dbPath, timeout: timeout}
}

type follow struct {
	path    string
	timeout time.Duration
	mu      sync.Mutex
	rem     Reader // the daemon's socket, while it answers
}

// get returns the daemon's socket, or the file opened for one call
// (done closes it).
func (f *follow) get(ctx context.Context) (r Reader, done func(), err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rem != nil {
		return f.rem, func() {}, nil
	}
	r, err = Open(ctx, f.path, f.timeout)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := r.(*remote); ok {
		f.rem = r
		return r, func() {}, nil
	}
	return r, func() { r.Close() }, nil
}

// drop forgets the socket r once its daemon stopped.
func (f *follow) drop(r Reader) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rem == r {
		f.rem = nil
		r.Close()
	}
}

func follows[T any](ctx context.Context, f *follow, fn func(Reader) (T, error)) (T, error) {
	for try := 0; ; try++ {
		r, done, err := f.get(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		v, err := fn(r)
		done()
		if errors.Is(err, ErrGone) {
			f.drop(r)
			if try == 0 && ctx.Err() == nil {
				continue
			}
		}
		return v, err
	}
}

func (f *follow) Query(ctx context.Context, q QueryRequest) ([]*store.Article, error) {
	return follows(ctx, f, func(r Reader) ([]*store.Article, error) { return r.Query(ctx, q) })
}

func (f *follow) Count(ctx context.Context, q QueryRequest, by string) ([]store.CountRow, error) {
	return follows(ctx, f, func(r Reader) ([]store.CountRow, error) { return r.Count(ctx, q, by) })
}

func (f *follow) CountByOutlet(ctx context.Context, q QueryRequest, by string) (map[string][]store.CountRow, error) {
	return follows(ctx, f, func(r Reader) (map[string][]store.CountRow, error) { return r.CountByOutlet(ctx, q, by) })
}

func (f *follow) Article(ctx context.Context, ref string) (*store.Article, error) {
	return follows(ctx, f, func(r Reader) (*store.Article, error) { return r.Article(ctx, ref) })
}

func (f *follow) Revisions(ctx context.Context, id uint64) ([]store.Revision, error) {
	return follows(ctx, f, func(r Reader) ([]store.Revision, error) { return r.Revisions(ctx, id) })
}

func (f *follow) Observations(ctx context.Context, id uint64) ([]store.Observation, error) {
	return follows(ctx, f, func(r Reader) ([]store.Observation, error) { return r.Observations(ctx, id) })
}

func (f *follow) Raw(ctx context.Context, id uint64) ([]byte, error) {
	return follows(ctx, f, func(r Reader) ([]byte, error) { return r.Raw(ctx, id) })
}

func (f *follow) Feeds(ctx context.Context) ([]*store.FeedState, error) {
	return follows(ctx, f, func(r Reader) ([]*store.FeedState, error) { return r.Feeds(ctx) })
}

func (f *follow) Status(ctx context.Context) (Status, error) {
	return follows(ctx, f, func(r Reader) (Status, error) { return r.Status(ctx) })
}

func (f *follow) Check(ctx context.Context) ([]string, error) {
	return follows(ctx, f, func(r Reader) ([]string, error) { return r.Check(ctx) })
}

// Backup is not made again when the daemon stops during it: part of the
// copy may have been written to w.
func (f *follow) Backup(ctx context.Context, w io.Writer) (int64, error) {
	r, done, err := f.get(ctx)
	if err != nil {
		return 0, err
	}
	defer done()
	n, err := r.Backup(ctx, w)
	if errors.Is(err, ErrGone) {
		f.drop(r)
	}
	return n, err
}

func (f *follow) Via() string {
	return fmt.Sprintf("%s through its daemon's socket when one runs, else the file read-only for each request", f.path)
}

func (f *follow) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rem != nil {
		f.rem.Close()
		f.rem = nil
	}
	return nil
}
