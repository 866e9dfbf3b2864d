package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Once the store refuses an item for want of disk, a feed's other new
// items are not fetched (their pages could not be stored either); they
// stay for the next run, which reads the feed again. Before, every page
// of every feed was fetched, and refused, one by one (a run of 40 items
// onto a full disk spent 20 s on pages it threw away).
func TestFullDiskStopsFetchingPages(t *testing.T) {
	var pages atomic.Int64
	_, feeds, listed := faultSiteCounting(t, 3, 40, &pages)
	dir := t.TempDir()
	full := filepath.Join(dir, "full.db")
	runFaultChild(t, full, feeds, 0)
	whole := pages.Swap(0)
	if whole != int64(len(listed)) {
		t.Fatalf("with room: %d pages fetched, want %d", whole, len(listed))
	}
	fi, err := os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	rep := runFaultChild(t, filepath.Join(dir, "a.db"), feeds, fi.Size()/5)
	if rep.NotArchived == 0 {
		t.Fatalf("the limit refused nothing: %+v", rep)
	}
	// What was archived, plus, for each feed, at most the page slots
	// (8) in flight when its first item was refused: every page a feed
	// fetched after that was in flight then.
	bound := int64(rep.New+rep.PagesFailed) + 8*int64(len(feeds))
	t.Logf("onto a full disk: %d pages fetched for %d new articles, %d not archived (bound %d)", pages.Load(), rep.New, rep.NotArchived, bound)
	if got := pages.Load(); got > bound {
		t.Errorf("onto a full disk: %d pages fetched for %d archived; want at most %d", got, rep.New, bound)
	}
	if !strings.Contains(rep.ArchiveError, "file too large") {
		t.Errorf("report of the refused items: %q, want the store's error", rep.ArchiveError)
	}
}
