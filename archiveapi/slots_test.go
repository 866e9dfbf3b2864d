package archiveapi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// Clients that take their answers slowly (here: not at all) hold no
// heavy-request slot while the daemon writes to them: with one slot, a
// stalled listing and a stalled backup leave it free for a count, a
// check and another listing.
func TestSlowReadersHoldNoSlot(t *testing.T) {
	lim := DefaultLimits()
	lim.Heavy, lim.Backups = 1, 1
	lim.Idle = time.Hour             // the stalled clients are never dropped
	lim.HeavyWait = 20 * time.Second // a liveness bound: a held slot answers busy after it
	lim.PageSize = 5
	path := bigArchive(t)
	_, srv, stop := serve(t, path, lim, nil)
	defer stop()
	for _, route := range []string{"/v1/query", "/v1/backup"} {
		c, err := net.Dial("unix", srv.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: feedvault\r\nContent-Length: 2\r\n\r\n{}", route)
		if line, err := bufio.NewReader(c).ReadString('\n'); err != nil || !strings.Contains(line, "200") {
			t.Fatalf("%s reply: %q %v", route, line, err)
		}
	}
	ctx := context.Background()
	r, err := Dial(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"count", func() error { _, err := r.Count(ctx, QueryRequest{}, "day"); return err }},
		{"check", func() error { _, err := r.Check(ctx); return err }},
		{"query", func() error {
			arts, err := r.Query(ctx, QueryRequest{Limit: 3})
			if err == nil && len(arts) != 3 {
				err = fmt.Errorf("%d articles, want 3", len(arts))
			}
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(); errors.Is(err, ErrTooBusy) {
				t.Fatalf("beside two stalled clients: %v (they hold the only slot)", err)
			} else if err != nil {
				t.Fatal(err)
			}
		})
	}
}
