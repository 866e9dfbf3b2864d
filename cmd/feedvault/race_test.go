package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/store"
)

// A daemon running, `run` in a loop, `compact` 40 times (the issue's
// repro), all as real processes: no run may get the archive while the
// daemon holds it, the daemon never holds a deleted file, and what it
// writes after the compactions is in the file at the path.
func TestCompactRacingRunsAndDaemon(t *testing.T) {
	web := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, web.URL+"/rss.xml", web.URL+"/atom.xml")
	db := filepath.Join(dir, "race.db")
	child := func(args ...string) *exec.Cmd {
		c := exec.Command(os.Args[0], args...)
		c.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "FEEDVAULT_LOG=error")
		return c
	}
	daemon := child("daemon", "--config", cfg, "--db", db)
	var derr strings.Builder
	daemon.Stderr = &derr
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			daemon.Process.Kill()
			daemon.Wait()
		}
	}()
	ctx := context.Background()
	for i := 0; ; i++ {
		if r, err := archiveapi.Dial(ctx, db); err == nil {
			r.Close()
			break
		}
		if i == 400 {
			t.Fatalf("the daemon does not answer; stderr:\n%s", derr.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	runs := 0
	runLoop := func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			c := child("run", "--config", cfg, "--db", db)
			out, _ := c.CombinedOutput()
			mu.Lock()
			runs++
			if code := c.ProcessState.ExitCode(); code != exitFatal || !strings.Contains(string(out), "busy") {
				t.Errorf("a run beside the daemon exited %d: %s", code, out)
			}
			mu.Unlock()
		}
	}
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go runLoop()
	}
	start := time.Now()
	for i := 0; i < 40; i++ {
		if code, out, errs := cli(ctx, "compact", "--db", db); code != exitOK {
			t.Errorf("compact %d: %d %s %s", i, code, out, errs)
		}
		time.Sleep(20 * time.Millisecond) // let the runs' starts fall between compactions
	}
	close(stop)
	wg.Wait()
	// The daemon holds no deleted file.
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", daemon.Process.Pid))
	for _, fd := range fds {
		target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", daemon.Process.Pid, fd.Name()))
		if strings.Contains(target, "race.db") && strings.Contains(target, "(deleted)") {
			t.Errorf("the daemon holds a deleted archive: %s", target)
		}
	}
	// What the daemon writes now lands in the file at the path.
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(`{"url":"https://x.org/after-compactions","outlet":"x","title":"After","text":"written after 40 compactions"}`+"\n"), 0o644)
	if code, out, errs := cli(ctx, "import", "--db", db, in); code != exitOK || strings.Contains(out, "via file") {
		t.Errorf("import through the daemon: %d %s %s", code, out, errs)
	}
	daemon.Process.Signal(syscall.SIGTERM)
	if err := daemon.Wait(); err != nil {
		t.Errorf("daemon: %v\n%s", err, derr.String())
	}
	stopped = true
	t.Logf("40 compactions beside %d runs in %s", runs, time.Since(start).Round(time.Millisecond))
	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.GetByURL("https://x.org/after-compactions"); err != nil {
		t.Errorf("the article written after the compactions is not in the file: %v", err)
	}
	if stats, _ := st.Stats(); stats.Articles < 4 {
		t.Errorf("%d articles in the file after the race", stats.Articles)
	}
}
