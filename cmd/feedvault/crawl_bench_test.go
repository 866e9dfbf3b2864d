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
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
)

// The local news web of the throughput benchmark: 50 loopback hosts
// (127.0.0.1–127.0.0.50), 20 feeds each (1,000 feeds), 20 articles per
// feed (20,000 pages). Feeds answer conditional requests with 304.
const (
	crawlHosts        = 50
	crawlFeedsPerHost = 20
	crawlItemsPerFeed = 20
)

func crawlArticle(host, feed, item int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story %d-%d-%d</title>
<meta property="article:published_time" content="2024-10-%02dT%02d:00:00Z"></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav></header>
<main><article><h1>Story %d-%d-%d</h1><div class="byline">By A. Reporter</div><div class="article-body">`, host, feed, item, 1+item%28, feed%24, host, feed, item)
	for p := 0; p < 8; p++ {
		fmt.Fprintf(&b, `<p>Paragraph %d of story %d on host %d: officials said on Tuesday that talks would continue, while residents of the district described long queues, rising prices and uncertainty about the winter ahead.</p>`, p, item, host)
	}
	b.WriteString(`</div><div class="newsletter"><p>Sign up for our newsletter</p></div></article>
<aside class="related"><ul><li><a href="/x">Another story</a></li><li><a href="/y">And another</a></li></ul></aside></main>
<footer>© News Web</footer></body></html>`)
	return b.String()
}

type crawlWeb struct {
	servers []*httptest.Server
	feeds   []string
	reqs    atomic.Int64
}

func newCrawlWeb(b *testing.B) *crawlWeb {
	w := &crawlWeb{}
	for h := 1; h <= crawlHosts; h++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h))
		if err != nil {
			b.Skipf("cannot listen on 127.0.0.%d: %v", h, err)
		}
		host := h
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			w.reqs.Add(1)
			var f, i int
			switch {
			case r.URL.Path == "/robots.txt":
				http.NotFound(rw, r)
			case strings.HasPrefix(r.URL.Path, "/feed/"):
				fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/feed/"), &f)
				etag := fmt.Sprintf(`"f%d-%d"`, host, f)
				if r.Header.Get("If-None-Match") == etag {
					rw.WriteHeader(http.StatusNotModified)
					return
				}
				rw.Header().Set("ETag", etag)
				rw.Header().Set("Content-Type", "application/rss+xml")
				var sb strings.Builder
				fmt.Fprintf(&sb, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Host %d feed %d</title>`, host, f)
				for i := 0; i < crawlItemsPerFeed; i++ {
					fmt.Fprintf(&sb, `<item><title>Story %d-%d-%d</title><link>http://%s/a/%d/%d</link><guid>h%d-f%d-i%d</guid><pubDate>Tue, 29 Oct 2024 11:%02d:00 +0000</pubDate></item>`,
						host, f, i, r.Host, f, i, host, f, i, i)
				}
				sb.WriteString(`</channel></rss>`)
				fmt.Fprint(rw, sb.String())
			case strings.HasPrefix(r.URL.Path, "/a/"):
				fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/a/"), "%d/%d", &f, &i)
				rw.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprint(rw, crawlArticle(host, f, i))
			default:
				http.NotFound(rw, r)
			}
		}))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		w.servers = append(w.servers, srv)
		for f := 0; f < crawlFeedsPerHost; f++ {
			w.feeds = append(w.feeds, fmt.Sprintf("%s/feed/%d", srv.URL, f))
		}
	}
	return w
}

func (w *crawlWeb) close() {
	for _, s := range w.servers {
		s.Close()
	}
}

// config writes one outlet per host, with the limits a user would set for
// their own server: 4 connections, no delay.
func (w *crawlWeb) config(b *testing.B, dir string) string {
	var sb strings.Builder
	sb.WriteString("defaults:\n  interval: 15m\n  per_host_conns: 4\n  per_host_delay: 0s\n  concurrency: 64\n  timeout: 30s\noutlets:\n")
	for h := 0; h < crawlHosts; h++ {
		fmt.Fprintf(&sb, "  - name: host%d\n    feeds:\n", h+1)
		for f := 0; f < crawlFeedsPerHost; f++ {
			fmt.Fprintf(&sb, "      - %s\n", w.feeds[h*crawlFeedsPerHost+f])
		}
	}
	p := filepath.Join(dir, "feeds.yaml")
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

type childRun struct {
	wall   time.Duration
	cpu    time.Duration
	maxRSS int64 // KiB
	out    string
}

// child runs this test binary as feedvault with args, to completion.
func child(b *testing.B, args ...string) childRun {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "FEEDVAULT_LOG=error")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("feedvault %v: %v\n%s", args, err, out.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return childRun{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), maxRSS: ru.Maxrss, out: out.String()}
}

// BenchmarkCrawl measures a first full crawl of the local news web, a
// second poll in which every feed answers 304, and the daemon's peak RSS
// while it polls the 1,000 feeds, each in a child process:
//
//	go test ./cmd/feedvault -run X -bench Crawl -benchtime 1x
func BenchmarkCrawl(b *testing.B) {
	web := newCrawlWeb(b)
	defer web.close()
	for n := 0; n < b.N; n++ {
		dir := b.TempDir()
		cfg := web.config(b, dir)
		db := filepath.Join(dir, "crawl.db")

		os.Setenv("FEEDVAULT_CPUPROFILE", os.Getenv("CRAWL_CPUPROFILE"))
		first := child(b, "run", "--config", cfg, "--db", db)
		os.Unsetenv("FEEDVAULT_CPUPROFILE")
		articles := crawlHosts * crawlFeedsPerHost * crawlItemsPerFeed
		reqs := web.reqs.Load()
		second := child(b, "run", "--config", cfg, "--db", db)
		if got := web.reqs.Load() - reqs; got != int64(crawlHosts*crawlFeedsPerHost) {
			b.Errorf("second poll made %d requests, want %d (one 304 per feed)", got, crawlHosts*crawlFeedsPerHost)
		}
		st, _ := os.Stat(db)

		b.ReportMetric(first.wall.Seconds(), "first-crawl-s")
		b.ReportMetric(first.cpu.Seconds(), "first-crawl-cpu-s")
		b.ReportMetric(float64(articles)/first.wall.Seconds(), "articles/s")
		b.ReportMetric(float64(first.cpu.Microseconds())/float64(articles), "cpu-µs/article")
		b.ReportMetric(float64(first.maxRSS)/1024, "first-crawl-MB-RSS")
		b.ReportMetric(second.wall.Seconds(), "second-poll-s")
		b.ReportMetric(float64(st.Size())/(1<<20), "archive-MB")

		// The daemon on a fresh archive: peak RSS while it polls everything.
		ddb := filepath.Join(dir, "daemon.db")
		cmd := exec.Command(os.Args[0], "daemon", "--config", cfg, "--db", ddb)
		cmd.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "FEEDVAULT_LOG=error")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for {
			time.Sleep(250 * time.Millisecond)
			if done := polledFeeds(ddb); done == crawlHosts*crawlFeedsPerHost {
				break
			}
			if time.Since(start) > 10*time.Minute {
				b.Fatal("daemon did not poll every feed in 10 minutes")
			}
		}
		daemonWall := time.Since(start)
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			b.Fatalf("daemon exit: %v", err)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		b.ReportMetric(float64(ru.Maxrss)/1024, "daemon-MB-RSS")
		b.ReportMetric(daemonWall.Seconds(), "daemon-first-pass-s")
	}
}

func polledFeeds(db string) int {
	r, err := archiveapi.Dial(context.Background(), db)
	if err != nil {
		return 0
	}
	defer r.Close()
	feeds, err := r.Feeds(context.Background())
	if err != nil {
		return 0
	}
	n := 0
	for _, f := range feeds {
		if !f.LastSuccess.IsZero() && f.Articles == crawlItemsPerFeed {
			n++
		}
	}
	return n
}
