package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
)

// hitWeb serves one-item RSS feeds at /NAME.xml and their pages, and
// counts the requests by path.
type hitWeb struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newHitWeb(t *testing.T) *hitWeb {
	w := &hitWeb{hits: map[string]int{}}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.hits[r.URL.Path]++
		w.mu.Unlock()
		name, isFeed := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
		if isFeed {
			rw.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(rw, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><item><title>Story %s</title><link>%s/page/%s</link><guid>%s</guid><pubDate>Mon, 28 Oct 2024 10:00:00 +0000</pubDate></item></channel></rss>`,
				name, name, w.URL, name, name)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(rw, "<html><body><article><h1>Story</h1><p>%s</p></article></body></html>", strings.Repeat("The story goes on at length about troops and talks. ", 20))
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *hitWeb) count(path string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits[path]
}

// waitFor waits until cond holds, checking every 20 ms, for at most a
// minute (a bound for a loaded machine, not a speed requirement).
func waitFor(t *testing.T, what string, cond func() bool, log func() string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s; daemon log:\n%s", what, log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDaemonReloadsOnSIGHUP runs the daemon as a real process and sends
// it SIGHUP: a feed added to the config is polled; an invalid config is
// logged with file, line and field, and the daemon goes on with the old
// one; a feed removed is dropped. It logs its cycle line.
func TestDaemonReloadsOnSIGHUP(t *testing.T) {
	web := newHitWeb(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	cfg := writeConfig(t, dir, web.URL+"/a.xml")
	cmd := exec.Command(os.Args[0], "daemon", "--config", cfg, "--db", db, "--log-every", "1s")
	cmd.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "FEEDVAULT_LOG=info", "FEEDVAULT_CONFIG=")
	var logb syncBuffer
	cmd.Stdout, cmd.Stderr = &logb, &logb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	}()
	logHas := func(s string) func() bool { return func() bool { return strings.Contains(logb.String(), s) } }
	waitFor(t, "the daemon to start", logHas("daemon started"), logb.String)
	waitFor(t, "a.xml to be polled", func() bool { return web.count("/a.xml") > 0 }, logb.String)

	// A feed added.
	writeConfig(t, dir, web.URL+"/a.xml", web.URL+"/b.xml")
	cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "b.xml to be polled after SIGHUP", func() bool { return web.count("/b.xml") > 0 }, logb.String)
	// The new outlets are in place before the line that says so is
	// written: the poll of b.xml may come first.
	reloaded := regexp.MustCompile(`msg="config reloaded" .*feeds=2 added=1 removed=0`)
	waitFor(t, "a reload line with feeds=2 added=1", func() bool { return reloaded.MatchString(logb.String()) }, logb.String)

	// An invalid config: logged with file:line:column and field, nothing changes.
	bad := "outlets:\n  - name: testtimes\n    interval: 5 mins\n    feeds: [" + web.URL + "/a.xml]\n"
	os.WriteFile(cfg, []byte(bad), 0o644)
	cmd.Process.Signal(syscall.SIGHUP)
	want := cfg + `:3:15: outlets[0].interval: invalid duration`
	waitFor(t, "the invalid config to be logged", logHas(want), logb.String)
	if !strings.Contains(logb.String(), "keeping the running config") {
		t.Errorf("the error does not say the running config is kept:\n%s", logb.String())
	}
	r, err := archiveapi.Dial(context.Background(), db)
	if err != nil {
		t.Fatalf("daemon gone after a bad config: %v\n%s", err, logb.String())
	}
	st, err := r.Status(context.Background())
	r.Close()
	if err != nil || st.Mode != "daemon" {
		t.Fatalf("status after a bad config: %v %+v", err, st)
	}

	// A feed removed, and a default that needs a restart changed.
	os.WriteFile(cfg, []byte("defaults:\n  timeout: 20s\n  interval: 1m\noutlets:\n  - name: testtimes\n    feeds: ["+web.URL+"/b.xml]\n"), 0o644)
	cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload that removes a.xml", func() bool {
		return regexp.MustCompile(`msg="config reloaded" .*feeds=1 added=0 removed=1`).MatchString(logb.String())
	}, logb.String)
	if !strings.Contains(logb.String(), `apply only after a restart" config=`+cfg+` fields=timeout`) {
		t.Errorf("no warning that timeout needs a restart:\n%s", logb.String())
	}
	waitFor(t, "a cycle line", func() bool {
		return regexp.MustCompile(`msg="poll cycle" .*feeds_polled=[1-9]\d* failed=0 .* new=[1-9]\d* .*duration=`).MatchString(logb.String())
	}, logb.String)

	cmd.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Fatalf("daemon exit: %v\n%s", err, logb.String())
	}
	// Both feeds' articles are archived.
	if rows := queryRows(t, context.Background(), db); len(rows) != 2 {
		t.Errorf("%d articles, want 2 (a and b)", len(rows))
	}
}

// A daemon asked to serve the workbench on an address in use stops
// before it takes the archive or polls a feed: it took the archive,
// logged "daemon started" and polled, and failed only when it came to
// listen.
func TestDaemonWithAnAddressInUseStopsFirst(t *testing.T) {
	web := newHitWeb(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	cfg := writeConfig(t, dir, web.URL+"/a.xml")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code, _, errs := cli(ctx, "daemon", "--config", cfg, "--db", db, "--http", busy.Addr().String())
	if strings.Contains(errs, "daemon started") {
		t.Errorf("the daemon started before it failed to listen:\n%s", errs)
	}
	if code == exitOK || !strings.Contains(errs, "--http: web: listen on "+busy.Addr().String()+": listen tcp") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
	if n := web.count("/a.xml"); n > 0 {
		t.Errorf("the feed was polled %d times", n)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the archive was created: %v", err)
	}
}

// TestReloadOfAFIFOConfigDoesNotBlock: a config that became a FIFO (or
// another special file) was read on SIGHUP by the reload goroutine, which
// waited for a writer forever, and the daemon with it at SIGTERM (it
// waits for that goroutine). A reload refuses a file that is not regular,
// saying why; the running config stays.
func TestReloadOfAFIFOConfigDoesNotBlock(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "feeds.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, _, err := reloadOutlets(fifo, config.Shard{})
		errc <- err
	}()
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), fifo+" is not a regular file") {
			t.Errorf("reload of a FIFO: %v", err)
		}
	case <-time.After(time.Minute): // a bound for a loaded machine, not a speed requirement
		t.Fatal("the reload of a FIFO config is still waiting after a minute")
	}
}
