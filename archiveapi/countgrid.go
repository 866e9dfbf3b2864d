package archiveapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

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
	return out, c.do(ctx, http.MethodPost, "/v1/count-by-outlet?by="+url.QueryEscape(by), q, &out)
}

// handleCountByOutlet answers CountByOutlet on the socket.
func (s *Server) handleCountByOutlet(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/count-by-outlet", func(w http.ResponseWriter, r *http.Request) {
		var q QueryRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&q); err != nil {
			http.Error(w, "bad query: "+err.Error(), http.StatusBadRequest)
			return
		}
		v, err := s.rd.CountByOutlet(r.Context(), q, r.URL.Query().Get("by"))
		reply(w, v, err)
	})
}
