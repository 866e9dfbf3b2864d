package archiveapi

import (
	"context"
	"time"

	"github.com/feedvault/feedvault/store"
)

// The heavy-request slots (Limits.Heavy) bound the daemon's work on the
// archive, not the time its clients take to read the answers: a slot is
// held while a request reads the archive (a count, a check, a page of a
// listing, a backup's snapshot) and given back before the answer is
// written. A client that reads slowly, however steadily, so holds one
// connection (of Limits.Conns) and the answer's bytes, never a slot;
// several such clients cannot starve the others. A listing takes a slot
// again for each page. Maintenance ops keep theirs to the end: their
// payload (an import's lines) is their work.
//
// A backup is sent from a snapshot file of the archive's size: at most
// Limits.Backups are sent at once (the disk holds that many copies at
// most), each within Idle plus its size at backupMinRate, so that a
// client reading a backup slowly keeps the next one waiting a bounded
// time (a 1 GB archive: 17 minutes).

// acquire waits for a heavy-request slot, at most HeavyWait.
func (s *Server) acquire(ctx context.Context) (func(), error) {
	t := time.NewTimer(s.lim.HeavyWait)
	defer t.Stop()
	select {
	case s.heavy <- struct{}{}:
		return func() { <-s.heavy }, nil
	case <-t.C:
		return nil, ErrTooBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// backupMinRate is the slowest average rate, in bytes a second, at which
// a client may take a backup.
const backupMinRate = 1 << 20

// sendBy is when a backup of n bytes must have been sent.
func sendBy(n int64, idle time.Duration) time.Time {
	return time.Now().Add(idle + time.Duration(n/backupMinRate)*time.Second)
}

// acquireBackup waits for one of the backups' turns, at most HeavyWait.
func (s *Server) acquireBackup(ctx context.Context) (func(), error) {
	t := time.NewTimer(s.lim.HeavyWait)
	defer t.Stop()
	select {
	case s.backups <- struct{}{}:
		return func() { <-s.backups }, nil
	case <-t.C:
		return nil, ErrTooBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// slotted is the daemon's reader with each page of a listing read under
// a slot of its own.
type slotted struct {
	*local
	s *Server
}

func (r slotted) Query(ctx context.Context, q QueryRequest) ([]*store.Article, error) {
	release, err := r.s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return r.local.Query(ctx, q)
}
