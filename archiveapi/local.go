package archiveapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/feedvault/feedvault/canon"
	"github.com/feedvault/feedvault/store"
)

// local reads the archive file itself (the CLI with no daemon), or, in
// the server, the archive the process holds (borrowed).
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
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return l.st.Query(f)
}

func (l *local) Count(ctx context.Context, q QueryRequest, by string) ([]store.CountRow, error) {
	if err := checkBy(by); err != nil {
		return nil, err
	}
	f, err := q.Filter()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return l.st.Count(f, by)
}

func (l *local) Article(ctx context.Context, ref string) (*store.Article, error) {
	if ref == "" {
		return nil, fmt.Errorf("%w: an empty article reference (give an id or a URL)", ErrBadRequest)
	}
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

func checkID(id uint64) error {
	if id == 0 {
		return fmt.Errorf("%w: article id 0 (ids start at 1)", ErrBadRequest)
	}
	return nil
}

func (l *local) Revisions(ctx context.Context, id uint64) ([]store.Revision, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	return l.st.Revisions(id)
}

func (l *local) Observations(ctx context.Context, id uint64) ([]store.Observation, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	return l.st.Observations(id)
}

func (l *local) Raw(ctx context.Context, id uint64) ([]byte, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	return l.st.Raw(id)
}

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
