package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
)

// TestStalledExportIsDropped: a client that starts an export download
// and stops reading left the handler blocked in a write for as long as
// the daemon ran (the workbench has no write timeout: a big export may
// take minutes). Each write now has an idle deadline, as the socket's
// do: a client that takes nothing for ExportIdle is dropped and the
// export ends.
func TestStalledExportIsDropped(t *testing.T) {
	f := buildFixture(t)
	ended := make(chan error, 1)
	export := func(ctx context.Context, w io.Writer, r archiveapi.Reader, q archiveapi.QueryRequest, format string) (map[string]any, error) {
		noise := make([]byte, 1<<20) // does not compress: the zip is as big as the data
		rand.Read(noise)
		var err error
		for i := 0; i < 256 && err == nil; i++ { // 256 MB, far more than the socket buffers hold
			_, err = w.Write(noise)
		}
		ended <- err
		return nil, err
	}
	s := newTestServer(t, Options{Reader: f.open(t), Export: export, ExportIdle: 200 * time.Millisecond})
	srv := httptest.NewServer(s)
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /export?format=csv HTTP/1.1\r\nHost: x\r\n\r\n") // then nothing is read
	select {
	case err := <-ended:
		if err == nil {
			t.Fatal("the export wrote 256 MB to a client that reads nothing")
		}
	case <-time.After(time.Minute): // a liveness bound, not a speed requirement
		t.Fatal("the export is still blocked in a write a minute after its client stopped reading")
	}
}
