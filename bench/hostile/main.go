// Command hostile measures feedvault's peak memory on hostile input: a
// deeply nested feed, compression bombs, feeds and pages at and over the
// size caps, several at once, and 60 socket clients asking for a whole
// archive at once. It runs the real binary and reports the maximum
// resident set size of each scenario: the child's own high-water mark
// (VmHWM), sampled every 50 ms. (The child's rusage is no good here:
// Linux carries the parent's high-water mark across exec into the
// child's ru_maxrss, and this process holds ~120 MB of hostile bodies.)
//
//	go build -o /tmp/feedvault ./cmd/feedvault
//	cd bench && go run ./hostile -bin /tmp/feedvault
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	bin     = flag.String("bin", "feedvault", "the feedvault binary")
	only    = flag.String("only", "", "run only scenarios whose name contains this")
	clients = flag.Int("clients", 60, "socket clients at once")
	killMB  = flag.Int("kill", 1500, "kill a run whose RSS passes this many MB")
	nPages  = flag.Int("pages", 60, "items in the feeds of hostile pages")
)

// content is what the hostile web serves, by path.
type content struct {
	feeds map[string][]byte // precomputed bodies
	gz    map[string][]byte // precomputed gzip bodies (served with Content-Encoding)
}

func nestedXML(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>nested</title><item><title>deep</title><link>http://x.invalid/1</link><description>`)
	b.WriteString(strings.Repeat("<a>", n))
	b.WriteString(strings.Repeat("</a>", n))
	b.WriteString(`</description></item></channel></rss>`)
	return b.Bytes()
}

func nestedHTML(n int) []byte {
	return []byte("<html><body>" + strings.Repeat("<div>", n) + "text" + strings.Repeat("</div>", n) + "</body></html>")
}

func gzipOf(r io.Reader) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	io.Copy(zw, r)
	zw.Close()
	return b.Bytes()
}

type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

// feedOf lists n items linking to page on base.
func feedOf(base, page string, n, pad int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<item><title>item %d</title><link>%s%s?i=%d</link><guid>%s-%d</guid><description>%s</description></item>`,
			i, base, page, i, page, i, strings.Repeat("x", pad))
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

func (c *content) handler(base string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case p == "/robots.txt":
			http.NotFound(w, r)
		case c.gz[p] != nil:
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(c.gz[p])
		case c.feeds[p] != nil:
			w.Write(c.feeds[p])
		case p == "/over-cap.xml" || p == "/page/over-cap":
			chunk := bytes.Repeat([]byte("<p>over the cap</p>"), 64<<10/19)
			for n := 0; n < 200<<20; n += len(chunk) { // 200 MB
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case p == "/feed/pages-bomb.xml":
			w.Write(feedOf(base, "/page/bomb", *nPages, 0))
		case p == "/feed/pages-nested.xml":
			w.Write(feedOf(base, "/page/nested", *nPages, 0))
		case p == "/feed/pages-big.xml":
			w.Write(feedOf(base, "/page/big", *nPages, 0))
		case p == "/feed/pages-over-cap.xml":
			w.Write(feedOf(base, "/page/over-cap", *nPages, 0))
		default:
			http.NotFound(w, r)
		}
	})
}

type server struct {
	base string
	srv  *http.Server
}

func startServer(addr string, c *content) *server {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		panic(err)
	}
	base := "http://" + ln.Addr().String()
	s := &server{base: base, srv: &http.Server{Handler: c.handler(base)}}
	go s.srv.Serve(ln)
	return s
}

func writeConfig(dir string, feeds []string) string {
	var b strings.Builder
	b.WriteString("defaults:\n  per_host_delay: 0s\n  interval: 1m\noutlets:\n")
	for i, f := range feeds {
		fmt.Fprintf(&b, "  - name: o%d\n    robots: ignore\n    feeds: [%s]\n", i, f)
	}
	p := filepath.Join(dir, "feeds.yaml")
	os.WriteFile(p, []byte(b.String()), 0o644)
	return p
}

// peakRun runs feedvault run and returns its peak RSS in MB (the
// child's VmHWM, sampled). A watchdog kills it past -kill MB, to spare
// the machine.
func peakRun(dir string, feeds []string) (float64, string, time.Duration) {
	cfg := writeConfig(dir, feeds)
	start := time.Now()
	cmd := exec.Command(*bin, "run", "--config", cfg, "--db", filepath.Join(dir, "a.db"))
	cmd.Env = append(os.Environ(), "FEEDVAULT_LOG=error")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return 0, err.Error(), 0
	}
	killed := make(chan bool, 1)
	done := make(chan struct{})
	var hwm float64 // written by the watchdog, read after it ends
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				killed <- false
				return
			case <-t.C:
				hwm = max(hwm, statusMB(cmd.Process.Pid, "VmHWM:"))
				if statusMB(cmd.Process.Pid, "VmRSS:") > float64(*killMB) {
					cmd.Process.Kill()
					killed <- true
					return
				}
			}
		}
	}()
	cmd.Wait()
	close(done)
	el := time.Since(start)
	last := lastLine(out.String())
	if <-killed {
		last = fmt.Sprintf("KILLED past %d MB", *killMB)
	}
	return hwm, last, el
}

// statusMB reads a field of /proc/PID/status in MB.
func statusMB(pid int, field string) float64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field) {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(l, field)), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func main() {
	flag.Parse()
	fmt.Fprintln(os.Stderr, "preparing hostile bodies...")
	c := &content{feeds: map[string][]byte{}, gz: map[string][]byte{}}
	c.feeds["/nested.xml"] = nestedXML(2_700_000)                                                                                                          // 18.9 MB, under the 20 MiB feed cap
	c.gz["/gzbomb.xml"] = gzipOf(&zeros{1 << 30})                                                                                                          // 1 GiB of zeros, ~1 MB on the wire
	c.gz["/page/bomb"] = c.gz["/gzbomb.xml"]                                                                                                               // the same bomb as an article page
	c.feeds["/page/nested"] = nestedHTML(900_000)                                                                                                          // 9.9 MB of nested divs, under the 10 MiB page cap
	c.feeds["/page/big"] = []byte("<html><body><article>" + strings.Repeat("<p>Words of a very long article. </p>", 270_000) + "</article></body></html>") // ~9.7 MB
	tmp, _ := os.MkdirTemp("", "hostile-")
	defer os.RemoveAll(tmp)

	// Sixteen hosts (127.0.0.1 ... 127.0.0.16) so that per-host limits do
	// not serialise the concurrent scenario.
	var servers []*server
	for i := 1; i <= 16; i++ {
		servers = append(servers, startServer(fmt.Sprintf("127.0.0.%d:0", i), c))
	}
	// The huge feed links to its own host's big pages.
	c.feeds["/page/small"] = []byte("<html><body><article>" + strings.Repeat("<p>A short article of a few paragraphs. </p>", 30) + "</article></body></html>")
	c.feeds["/huge.xml"] = feedOf(servers[0].base, "/page/small", 40_000, 400) // ~20 MB, 40k items
	if len(c.feeds["/huge.xml"]) > 20<<20 {
		c.feeds["/huge.xml"] = c.feeds["/huge.xml"][:20<<20-64]
	}
	single := []struct{ name, path string }{
		{"nested XML feed (2.7M elements, 18.9 MB)", "/nested.xml"},
		{"gzip bomb feed (1 GiB of zeros)", "/gzbomb.xml"},
		{"feed over the cap (200 MB)", "/over-cap.xml"},
		{"huge feed (20 MB, 40k items)", "/huge.xml"},
		{"pages that are gzip bombs", "/feed/pages-bomb.xml"},
		{"pages of 900k nested divs (9.9 MB)", "/feed/pages-nested.xml"},
		{"pages of 9.7 MB text", "/feed/pages-big.xml"},
		{"pages over the page cap", "/feed/pages-over-cap.xml"},
	}
	fmt.Printf("%-48s %10s %8s  %s\n", "scenario (feedvault run, default config)", "peak RSS", "time", "last output line")
	for i, s := range single {
		if *only != "" && !strings.Contains(s.name, *only) {
			continue
		}
		dir := filepath.Join(tmp, fmt.Sprintf("s%d", i))
		os.MkdirAll(dir, 0o755)
		mb, last, el := peakRun(dir, []string{servers[0].base + s.path})
		fmt.Printf("%-48s %7.0f MB %7.1fs  %s\n", s.name, mb, el.Seconds(), last)
	}
	if *only == "" || strings.Contains("all at once", *only) {
		// Sixteen hostile feeds at once, two of each kind, on 16 hosts.
		var feeds []string
		for i, srv := range servers {
			feeds = append(feeds, srv.base+single[i%len(single)].path)
		}
		dir := filepath.Join(tmp, "all")
		os.MkdirAll(dir, 0o755)
		mb, last, el := peakRun(dir, feeds)
		fmt.Printf("%-48s %7.0f MB %7.1fs  %s\n", "all at once: 16 hostile feeds on 16 hosts", mb, el.Seconds(), last)
	}
	if *only == "" || strings.Contains("socket", *only) {
		socketScenario(tmp)
	}
}

// socketScenario: a daemon over a 1,000-article archive, and 60 clients
// asking for every article at once.
func socketScenario(tmp string) {
	dir := filepath.Join(tmp, "sock")
	os.MkdirAll(dir, 0o755)
	db := filepath.Join(dir, "a.db")
	var jl bytes.Buffer
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&jl, `{"url":"https://news.example/%d","outlet":"n","title":"article %d","published":"2026-01-01T00:00:00Z","text":%q}`+"\n",
			i, i, strings.Repeat(fmt.Sprintf("Sentence %d of a long article. ", i), 300))
	}
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, jl.Bytes(), 0o644)
	if out, err := exec.Command(*bin, "import", "--db", db, in).CombinedOutput(); err != nil {
		fmt.Println("import:", err, string(out))
		return
	}
	cfg := writeConfig(dir, []string{"http://127.0.0.1:9/none.xml"})
	daemon := exec.Command(*bin, "daemon", "--config", cfg, "--db", db)
	daemon.Env = append(os.Environ(), "FEEDVAULT_LOG=error")
	if err := daemon.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer daemon.Wait()
	defer daemon.Process.Signal(os.Interrupt)
	time.Sleep(time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	start := time.Now()
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, *bin, "query", "--db", db, "--limit", "0", "--format", "jsonl", "--fields", "id,text").Output()
			if err != nil || bytes.Count(out, []byte("\n")) != 1000 {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", daemon.Process.Pid))
	hwm := ""
	for _, l := range strings.Split(string(st), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			hwm = strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	fmt.Printf("%-48s %10s %7.1fs  %d of %d clients failed\n", fmt.Sprintf("daemon, %d clients query --limit 0 (1,000 art.)", *clients), hwm, el.Seconds(), failed, *clients)
}
