package archiveapi

import (
	"context"
	"net/http"

	"github.com/feedvault/feedvault/store"
)

// CountByOutlet is Count by period for each outlet at once (see
// store.Store.CountByOutlet): the rows of outlet O equal Count of q with
// its outlets set to O alone.

func (l *local) CountByOutlet(ctx context.Context, q QueryRequest, by string) (map[string][]store.CountRow, error) {
	f, err := q.Filter()
	if err != nil {
		return nil, err
	}
	return l.st.CountByOutlet(f, by)
}

func (c *remote) CountByOutlet(ctx context.Context, q QueryRequest, by string) (map[string][]store.CountRow, error) {
	var out map[string][]store.CountRow
	return out, c.call(ctx, "count-by-outlet", CountRequest{Query: q.inRange(), By: by}, &out)
}

// handleCountByOutlet answers CountByOutlet on the socket: a heavy
// request, its body a CountRequest.
func (s *Server) handleCountByOutlet(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/count-by-outlet", typed(s, true, func(ctx context.Context, r CountRequest) (any, error) {
		return s.rd.CountByOutlet(ctx, r.Query, r.By)
	}))
}
