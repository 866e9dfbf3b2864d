package archiveapi

import (
	"context"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// TestDatesOutsideTheStoresRange: the store orders articles by
// nanoseconds since 1970 in 64 bits (1677 to 2262), and the socket
// carries JSON (years 0 to 9999). --since 2300-01-01 matched every
// article and --until 1600-01-01 too (the bound wrapped around);
// --until 9999-12-31 (the start of year 10000) failed on the socket with
// "json: error calling MarshalJSON for type time.Time", and the
// workbench with a 500. Both readers now give what the dates say.
func TestDatesOutsideTheStoresRange(t *testing.T) {
	path := seed(t, t.TempDir())
	utc := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		q    QueryRequest
		want int
	}{
		{"until the end of 9999", QueryRequest{Until: utc(10000)}, nArticles},
		{"until past 9999 in another zone", QueryRequest{Until: time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -5*3600))}, nArticles},
		{"until 2300", QueryRequest{Until: utc(2300)}, nArticles},
		{"since before year 0", QueryRequest{Since: time.Date(-1, 12, 31, 20, 0, 0, 0, time.UTC)}, nArticles},
		{"since 1600", QueryRequest{Since: utc(1600)}, nArticles},
		{"both", QueryRequest{Since: utc(1), Until: utc(10000)}, nArticles},
		{"since 2300", QueryRequest{Since: utc(2300)}, 0},
		{"since past 9999", QueryRequest{Since: utc(10000)}, 0},
		{"until 1600", QueryRequest{Until: utc(1600)}, 0},
		{"until before year 0", QueryRequest{Until: time.Date(-1, 12, 31, 20, 0, 0, 0, time.UTC)}, 0},
	}
	check := func(t *testing.T, r Reader) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				arts, err := r.Query(context.Background(), tt.q)
				if err != nil || len(arts) != tt.want {
					t.Errorf("query: %d articles, %v; want %d", len(arts), err, tt.want)
				}
				rows, err := r.Count(context.Background(), tt.q, "outlet")
				if n := sumRows(rows); err != nil || n != tt.want {
					t.Errorf("count: %d, %v; want %d", n, err, tt.want)
				}
				grid, err := r.CountByOutlet(context.Background(), tt.q, "month")
				n := 0
				for _, rows := range grid {
					n += sumRows(rows)
				}
				if err != nil || n != tt.want {
					t.Errorf("count by outlet: %d, %v; want %d", n, err, tt.want)
				}
			})
		}
	}
	t.Run("file", func(t *testing.T) {
		r, err := Open(context.Background(), path, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		check(t, r)
	})
	t.Run("socket", func(t *testing.T) {
		_, _, stop := serve(t, path, DefaultLimits(), nil)
		defer stop()
		r, err := Dial(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		check(t, r)
	})
}

func sumRows(rows []store.CountRow) int {
	n := 0
	for _, r := range rows {
		n += r.Count
	}
	return n
}
