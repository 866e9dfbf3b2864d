package archiveapi

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// A client that asks for a listing and stops reading it mid-stream
// leaves the daemon blocked writing its reply, but holding no read
// transaction: each page is read in a transaction of its own and copied
// out before it is sent, so the writer's commits go on, and so does the
// remap when the archive grows (bbolt waits for every read transaction
// before it remaps).
func TestStalledQueryDoesNotBlockWrites(t *testing.T) {
	path := bigArchive(t)
	lim := DefaultLimits()
	lim.Idle = time.Hour // the client is never dropped: only short transactions save the writer
	lim.PageSize = 5
	st, srv, stop := serve(t, path, lim, nil)
	defer stop()
	c, err := net.Dial("unix", srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/query HTTP/1.1\r\nHost: feedvault\r\nContent-Length: 2\r\n\r\n{}")
	br := bufio.NewReader(c)
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "200") {
		t.Fatalf("query reply: %q %v", line, err)
	}
	// Then nothing more is read: ~500 KB of articles fill the socket's
	// buffers, and the server blocks in a write.
	done := make(chan error, 1)
	go func() {
		noise := randomBytes(1 << 20) // 1 MB a page that does not compress: the file must grow and remap
		for i := 0; i < 20; i++ {
			a := &store.Article{URL: fmt.Sprintf("https://grow.example/%d", i), Outlet: "grow", Feed: feedURL, Title: "g", Published: base}
			if _, _, err := st.Put(a, append([]byte(fmt.Sprint(i)), noise...)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second): // a liveness bound: with a transaction held, it does not end within the hour
		t.Fatal("writes are blocked by a listing nobody reads")
	}
}
