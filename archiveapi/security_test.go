package archiveapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// The helper roles run in a child process, as another user (tests that
// need root start them).
func TestMain(m *testing.M) {
	switch os.Getenv("FEEDVAULT_TEST_ROLE") {
	case "client":
		os.Exit(helperClient(os.Getenv("FEEDVAULT_TEST_SOCKET")))
	case "impostor":
		os.Exit(helperImpostor(os.Getenv("FEEDVAULT_TEST_SOCKET")))
	}
	os.Exit(m.Run())
}

// helperClient exits 0 when the socket refuses it, 3 when it answers.
func helperClient(path string) int {
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}}, Timeout: 5 * time.Second}
	resp, err := hc.Post("http://feedvault/v1/status", "application/json", strings.NewReader("{}"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "refused:", err)
		return 0
	}
	resp.Body.Close()
	fmt.Fprintln(os.Stderr, "answered:", resp.Status)
	return 3
}

// helperImpostor serves a fake daemon at path that answers everything
// and records what it was sent in path+".got".
func helperImpostor(path string) int {
	ln, err := net.Listen("unix", path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	os.Chmod(path, 0o777)
	got, _ := os.OpenFile(path+".got", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	os.Chmod(path+".got", 0o666)
	fmt.Println("ready")
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(got, "%s %s\n", r.URL.Path, b)
		w.Write([]byte(`{"pid":1,"mode":"daemon","imported":1000}`))
	}))
	return 0
}

// rawClient talks to a socket with no checks, as an attacker's or a
// buggy client would.
func rawClient(path string) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}}, Timeout: 10 * time.Second}
}

func testOps(block chan struct{}) map[string]Op {
	return map[string]Op{
		"reextract": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p struct{ Outlets []string }
			if err := DecodeParams(params, &p); err != nil {
				return nil, err
			}
			return map[string]int{"outlets": len(p.Outlets)}, nil
		},
		"import": func(ctx context.Context, st *store.Store, _ json.RawMessage, body io.Reader) (any, error) {
			n, err := io.Copy(io.Discard, body)
			return map[string]int64{"bytes": n}, err
		},
		"block": func(ctx context.Context, st *store.Store, _ json.RawMessage, _ io.Reader) (any, error) {
			select {
			case <-block:
			case <-ctx.Done():
			}
			return map[string]bool{"ok": true}, nil
		},
	}
}

// TestSocketAttacks is the socket's part of the security suite: each
// hostile or malformed request, and the refusal it must get.
func TestSocketAttacks(t *testing.T) {
	path := seed(t, t.TempDir())
	_, srv, stop := serve(t, path, DefaultLimits(), testOps(nil))
	defer stop()
	hc := rawClient(srv.Path())
	big := `{"query":"` + strings.Repeat("a", 2<<20) + `"}`
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"wrong type for outlets", "POST", "/v1/query", `{"outlets":5}`, 400, codeBadRequest},
		{"wrong type, field in another case", "POST", "/v1/query", `{"Outlets":5}`, 400, codeBadRequest},
		{"unknown field", "POST", "/v1/query", `{"limt":3}`, 400, codeBadRequest},
		{"negative limit", "POST", "/v1/query", `{"limit":-1}`, 400, codeBadRequest},
		{"two objects", "POST", "/v1/query", `{} {}`, 400, codeBadRequest},
		{"trailing garbage", "POST", "/v1/query", `{}xyz`, 400, codeBadRequest},
		{"not JSON", "POST", "/v1/query", `limit=0`, 400, codeBadRequest},
		{"parameters in the query string", "POST", "/v1/query?count=bogus", `{}`, 400, codeBadRequest},
		{"count by bogus", "POST", "/v1/count", `{"by":"bogus"}`, 400, codeBadRequest},
		{"count with no by", "POST", "/v1/count", `{}`, 400, codeBadRequest},
		{"id as a string", "POST", "/v1/revisions", `{"id":"1"}`, 400, codeBadRequest},
		{"negative id", "POST", "/v1/raw", `{"id":-1}`, 400, codeBadRequest},
		{"id 0", "POST", "/v1/observations", `{"id":0}`, 400, codeBadRequest},
		{"op params of the wrong type", "POST", "/v1/op", `{"name":"reextract","params":{"Outlets":5}}`, 400, codeBadRequest},
		{"op params with an unknown field", "POST", "/v1/op", `{"name":"reextract","params":{"outlet":"x"}}`, 400, codeBadRequest},
		{"op request with an unknown field", "POST", "/v1/op", `{"name":"reextract","param":{}}`, 400, codeBadRequest},
		{"unknown op name", "POST", "/v1/op", `{"name":"rm-rf"}`, 501, codeUnknownOp},
		{"unknown op path", "POST", "/v1/drop", `{}`, 501, codeUnknownOp},
		{"old GET protocol", "GET", "/v1/status", ``, 501, codeUnknownOp},
		{"request over 1 MiB", "POST", "/v1/query", big, 413, codeTooLarge},
		{"missing article", "POST", "/v1/article", `{"ref":"https://elsewhere.example/x"}`, 404, codeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://feedvault"+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var er errorReply
			if err := json.NewDecoder(resp.Body).Decode(&er); err != nil {
				t.Fatalf("status %d, body not an error reply: %v", resp.StatusCode, err)
			}
			if resp.StatusCode != tt.status || er.Code != tt.code || er.Error == "" {
				t.Errorf("got %d %s %q, want %d %s", resp.StatusCode, er.Code, er.Error, tt.status, tt.code)
			}
		})
	}
	// The same refusals through the Go client.
	r, err := Dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out any
	if err := r.(*remote).op(context.Background(), "rm-rf", nil, nil, &out); !errors.Is(err, ErrUnknownOp) {
		t.Errorf("unknown op through the client: %v, want ErrUnknownOp", err)
	}
	if err := r.(*remote).op(context.Background(), "reextract", []byte(`{"Outlets":5}`), nil, &out); !errors.Is(err, ErrBadRequest) {
		t.Errorf("bad params through the client: %v, want ErrBadRequest", err)
	}
}

// A request body that never finishes is dropped after the idle limit,
// and the handler ends.
func TestStalledBodyIsDropped(t *testing.T) {
	path := seed(t, t.TempDir())
	lim := DefaultLimits()
	lim.Idle, lim.BodyIdle = 200*time.Millisecond, 200*time.Millisecond
	_, srv, stop := serve(t, path, lim, testOps(nil))
	defer stop()
	for _, tc := range []struct{ name, path, partial string }{
		{"typed request", "/v1/query", `{"limit":`},
		{"op payload", "/v1/op", `{"name":"import"}` + "\n" + `{"url":"https://x.example/1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("unix", srv.Path())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: feedvault\r\nContent-Length: 100000\r\n\r\n%s", tc.path, tc.partial)
			// A liveness bound, far above the idle limit: without
			// deadlines the server never answers.
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, err = io.ReadAll(c)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the server still waits for the body")
			}
		})
	}
	if n := srv.inflight.Load(); n != 0 {
		t.Errorf("%d handlers still running", n)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{1}).Read(b)
	return b
}

// bigArchive is an archive of about 6 MB, more than a socket buffers.
func bigArchive(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "big.db")
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	noise := randomBytes(60 << 10) // raw pages are compressed: make them incompressible
	for i := 0; i < 100; i++ {
		a := &store.Article{URL: fmt.Sprintf("https://big.example/%d", i), Outlet: "big", Feed: feedURL, Title: "big",
			Published: base.Add(time.Duration(i) * time.Hour), Text: string(noise[:i*100])}
		raw := append([]byte(fmt.Sprintf("%d", i)), noise...)
		if _, _, err := st.Put(a, raw); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// A client that asks for a backup and never reads it does not stop the
// daemon writing, even when the archive must grow.
func TestStalledBackupDoesNotBlockWrites(t *testing.T) {
	lim := DefaultLimits()
	lim.Idle = time.Hour // only the snapshot can save the writer
	writesGoOnUnderStalledClient(t, "/v1/backup", lim)
}

// writesGoOnUnderStalledClient posts to route, reads the reply's status
// line and no more (the server then blocks writing to us), and checks
// that 20 articles of 1 MB each (the file must grow and remap) are
// written all the same.
func writesGoOnUnderStalledClient(t *testing.T, route string, lim Limits) {
	t.Helper()
	path := bigArchive(t)
	st, srv, stop := serve(t, path, lim, nil)
	defer stop()
	c, err := net.Dial("unix", srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: feedvault\r\nContent-Length: 2\r\n\r\n{}", route)
	br := bufio.NewReader(c)
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "200") {
		t.Fatalf("%s reply: %q %v", route, line, err)
	}
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
		t.Fatalf("writes are blocked by a %s reply nobody reads", route)
	}
}

// The server stops within the promised time, whatever its clients do.
func TestShutdownWithStalledClients(t *testing.T) {
	path := bigArchive(t)
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lim := DefaultLimits()
	lim.Idle, lim.BodyIdle, lim.Grace = time.Hour, time.Hour, 500*time.Millisecond
	block := make(chan struct{})
	defer close(block)
	srv, err := ListenLimits(st, path, "test", testOps(block), lim, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	send := func(req string) net.Conn {
		c, err := net.Dial("unix", srv.Path())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		io.WriteString(c, req)
		return c
	}
	send("POST /v1/op HTTP/1.1\r\nHost: f\r\nContent-Length: 9999\r\n\r\n{\"name\":\"import\"}\n{") // a body that never ends
	send("POST /v1/backup HTTP/1.1\r\nHost: f\r\nContent-Length: 2\r\n\r\n{}")                      // a reply never read
	send("POST /v1/op HTTP/1.1\r\nHost: f\r\nContent-Length: 17\r\n\r\n{\"name\":\"block\"}")       // an op that does not end by itself
	send("POST /v1/status HTTP/1.1\r\nHost: f\r\nContent-Length: 2\r\n\r\n{}")                      // an idle keep-alive
	send("POST /v1/status HTTP/1.1\r\nHost: f\r\n")                                                 // headers never finished
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case <-done:
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("shutdown took %s", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server does not stop")
	}
	if _, err := os.Stat(srv.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left behind: %v", err)
	}
}

// Heavy requests share a few slots; the rest wait, then get busy.
func TestHeavyRequestsCapped(t *testing.T) {
	path := seed(t, t.TempDir())
	lim := DefaultLimits()
	lim.Heavy, lim.HeavyWait = 1, 200*time.Millisecond
	block := make(chan struct{})
	_, _, stop := serve(t, path, lim, testOps(block))
	defer stop()
	r, err := Dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	opDone := make(chan error, 1)
	go func() {
		var out any
		opDone <- r.(*remote).op(context.Background(), "block", nil, nil, &out)
	}()
	// Wait until the blocking op holds the one slot.
	var qerr error
	for i := 0; i < 100; i++ {
		if _, qerr = r.Query(context.Background(), QueryRequest{}); qerr != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !errors.Is(qerr, ErrTooBusy) {
		t.Errorf("query while the slot is held: %v, want ErrTooBusy", qerr)
	}
	if _, err := r.Status(context.Background()); err != nil {
		t.Errorf("a light request while the slot is held: %v", err)
	}
	close(block)
	if err := <-opDone; err != nil {
		t.Fatal(err)
	}
	if arts, err := r.Query(context.Background(), QueryRequest{}); err != nil || len(arts) != nArticles {
		t.Errorf("query after the slot is free: %d, %v", len(arts), err)
	}
}

// A path too long for a socket falls back to a private directory, and
// the socket is the user's alone.
func TestSocketIsPrivate(t *testing.T) {
	rt := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", rt)
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	if err := os.MkdirAll(long, 0o755); err != nil {
		t.Fatal(err)
	}
	path := seed(t, long)
	sock := SocketPath(path)
	if filepath.Dir(sock) != filepath.Join(rt, "feedvault") {
		t.Fatalf("socket %s, want it in %s", sock, filepath.Join(rt, "feedvault"))
	}
	_, srv, stop := serve(t, path, DefaultLimits(), nil)
	defer stop()
	for p, want := range map[string]os.FileMode{srv.Path(): 0o600, filepath.Dir(srv.Path()): 0o700} {
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, fi.Mode().Perm(), want)
		}
	}
	if r, err := Dial(context.Background(), path); err != nil {
		t.Errorf("dial through the private directory: %v", err)
	} else {
		r.Close()
	}
}

// A private directory that others can write, or that another user owns,
// is refused by both ends.
func TestPrivateDirRefused(t *testing.T) {
	rt := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", rt)
	dir := filepath.Join(rt, "feedvault")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777) // as another user who made it first would leave it
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	os.MkdirAll(long, 0o755)
	path := seed(t, long)
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := Listen(st, path, "test", nil); !errors.Is(err, ErrImpostor) {
		t.Errorf("listen in a 0777 directory: %v, want ErrImpostor", err)
	}
	// A socket planted there is not dialled.
	ln, err := net.Listen("unix", SocketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := Dial(context.Background(), path); !errors.Is(err, ErrImpostor) {
		t.Errorf("dial in a 0777 directory: %v, want ErrImpostor", err)
	}
	if os.Getuid() == 0 {
		os.Chmod(dir, 0o700)
		os.Chown(dir, 65534, 65534)
		if _, err := Dial(context.Background(), path); !errors.Is(err, ErrImpostor) {
			t.Errorf("dial in another user's directory: %v, want ErrImpostor", err)
		}
	}
}

// Every name of the archive reaches the same daemon.
func TestLinksFindTheDaemon(t *testing.T) {
	dir := t.TempDir()
	path := seed(t, dir)
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	sym := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, sym); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.db")
	if err := os.Link(path, hard); err != nil {
		t.Fatal(err)
	}
	if SocketPath(sym) != SocketPath(path) {
		t.Errorf("symlink socket %s, archive socket %s", SocketPath(sym), SocketPath(path))
	}
	_, _, stop := serve(t, sym, DefaultLimits(), nil) // the daemon started through the link
	defer stop()
	for _, p := range []string{path, sym, hard} {
		r, err := Open(context.Background(), p, 200*time.Millisecond)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !strings.HasPrefix(r.Via(), "socket ") {
			t.Errorf("%s: via %s, want the daemon's socket", p, r.Via())
		}
		r.Close()
	}
}

// helperAs runs this test binary in a role, as uid 65534 (nobody).
func helperAs(t *testing.T, role, sock string) *exec.Cmd {
	// The test binary sits in a directory only root can enter: copy it.
	bin := filepath.Join(t.TempDir(), "helper")
	openToAll(t, filepath.Dir(bin))
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), "FEEDVAULT_TEST_ROLE="+role, "FEEDVAULT_TEST_SOCKET="+sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	return cmd
}

func openToAll(t *testing.T, dir string) {
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		if strings.HasPrefix(d, os.TempDir()+"/") {
			os.Chmod(d, 0o777|os.ModeSticky)
		}
	}
}

// Another user can neither talk to the daemon (even through a socket
// left world-writable) nor pose as it.
func TestPeerCredentials(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a helper process as another user; the peer checks are otherwise untested here")
	}
	t.Run("server refuses another user", func(t *testing.T) {
		dir := t.TempDir()
		openToAll(t, dir)
		path := seed(t, dir)
		_, srv, stop := serve(t, path, DefaultLimits(), nil)
		defer stop()
		os.Chmod(srv.Path(), 0o666) // a mistake: the mode is not the only guard
		out, err := helperAs(t, "client", srv.Path()).CombinedOutput()
		if err != nil {
			t.Fatalf("another user got an answer, or the helper failed: %v\n%s", err, out)
		}
	})
	t.Run("client refuses an impostor", func(t *testing.T) {
		dir := t.TempDir()
		openToAll(t, dir)
		path := seed(t, dir) // no daemon: the impostor got the socket name first
		cmd := helperAs(t, "impostor", SocketPath(path))
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
			t.Fatalf("impostor: %q %v", line, err)
		}
		if _, err := Open(context.Background(), path, time.Second); !errors.Is(err, ErrImpostor) {
			t.Errorf("query through an impostor: %v, want ErrImpostor", err)
		}
		var out map[string]any
		payload := `{"url":"https://secret.example/1","text":"confidential"}`
		if _, err := RunOp(context.Background(), nil, path, "import", testOps(nil)["import"], nil, strings.NewReader(payload), &out); !errors.Is(err, ErrImpostor) {
			t.Errorf("import through an impostor: %v, want ErrImpostor", err)
		}
		got, _ := os.ReadFile(SocketPath(path) + ".got")
		if strings.Contains(string(got), "confidential") || strings.Contains(string(got), "/v1/") {
			t.Errorf("the impostor received: %s", got)
		}
	})
}
