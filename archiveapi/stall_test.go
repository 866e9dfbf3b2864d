package archiveapi

import (
	"testing"
	"time"
)

// A client that asks for a listing and stops reading it mid-stream
// leaves the daemon blocked writing its reply, but holding no read
// transaction: each page is read in a transaction of its own and copied
// out before it is sent, so the writer's commits go on, and so does the
// remap when the archive grows (bbolt waits for every read transaction
// before it remaps).
func TestStalledQueryDoesNotBlockWrites(t *testing.T) {
	lim := DefaultLimits()
	lim.Idle = time.Hour // the client is never dropped: only short transactions save the writer
	lim.PageSize = 5     // ~500 KB of articles fill the socket's buffers, and the server blocks in a write
	writesGoOnUnderStalledClient(t, "/v1/query", lim)
}
