package archiveapi

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A long-lived reader (the workbench) follows the archive: from the file
// with no daemon, without holding it between calls, so that a daemon can
// start; through the daemon's socket while it runs; from the file again
// once it stopped.
func TestFollowTheDaemonAsItComesAndGoes(t *testing.T) {
	path := seed(t, t.TempDir())
	ctx := context.Background()
	f := Follow(path, time.Second)
	defer f.Close()
	query := func(stage, via string) {
		t.Helper()
		arts, err := f.Query(ctx, QueryRequest{})
		if err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		if len(arts) != nArticles {
			t.Errorf("%s: %d articles, want %d", stage, len(arts), nArticles)
		}
		st, err := f.Status(ctx)
		if err != nil {
			t.Fatalf("%s: status: %v", stage, err)
		}
		if st.Mode != via {
			t.Errorf("%s: read through %q, want %q", stage, st.Mode, via)
		}
	}
	query("no daemon yet", "")
	_, _, stop := serve(t, path, DefaultLimits(), nil) // fails if the reader kept the file
	query("daemon running", "test")
	stop()
	query("daemon stopped", "")
	if !strings.Contains(f.Via(), path) {
		t.Errorf("Via %q does not name %s", f.Via(), path)
	}
}
