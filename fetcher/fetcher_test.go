package fetcher

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func trustedClient(opt Options) *Client {
	if opt.UserAgent == "" {
		opt.UserAgent = "feedvault-test"
	}
	return New(opt)
}

// hostOf is the host:port of a test server, as a feed's trust entry.
func hostOf(t *testing.T, s *httptest.Server) string {
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func TestConditionalGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Mon, 28 Oct 2024 10:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 28 Oct 2024 10:00:00 GMT")
		fmt.Fprint(w, "body")
	}))
	defer srv.Close()
	c := trustedClient(Options{})
	ctx := context.Background()
	r1, err := c.Get(ctx, Request{URL: srv.URL, Trusted: []string{hostOf(t, srv)}})
	if err != nil || string(r1.Body) != "body" || r1.ETag != `"v1"` || r1.NotModified {
		t.Fatalf("first: %+v, %v", r1, err)
	}
	r2, err := c.Get(ctx, Request{URL: srv.URL, ETag: r1.ETag, LastModified: r1.LastModified, Trusted: []string{hostOf(t, srv)}})
	if err != nil || !r2.NotModified || r2.Status != 304 {
		t.Fatalf("second: %+v, %v", r2, err)
	}
}

// TestUnaskedNotModified: a server that answers 304 to a request with no
// validators made a feed look healthy ("ok", not modified) while nothing
// was ever read from it, and a page's 304 was archived as an empty page.
// 304 answers only a conditional request; otherwise it is an error.
func TestUnaskedNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	c := trustedClient(Options{})
	trusted := []string{hostOf(t, srv)}
	_, err := c.Get(context.Background(), Request{URL: srv.URL, Trusted: trusted})
	var fe *Error
	if !errors.As(err, &fe) || fe.Class != ClassStatus || fe.Status != 304 || !strings.Contains(err.Error(), "without") {
		t.Errorf("304 to an unconditional request: %v", err)
	}
	for _, r := range []Request{{ETag: `"v1"`}, {LastModified: "Mon, 28 Oct 2024 10:00:00 GMT"}} {
		r.URL, r.Trusted = srv.URL, trusted
		if resp, err := c.Get(context.Background(), r); err != nil || !resp.NotModified {
			t.Errorf("304 to a conditional request: %+v, %v", resp, err)
		}
	}
}

func TestDecompressedBodyCap(t *testing.T) {
	// 64 MiB of zeros is about 64 KiB gzipped: a small bomb.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(make([]byte, 64<<20))
	zw.Close()
	var br bytes.Buffer
	bw := brotli.NewWriter(&br)
	bw.Write(bytes.Repeat([]byte("brotli "), 1000))
	bw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			w.Write(br.Bytes())
		case "/big":
			w.Write(make([]byte, 2<<20))
		}
	}))
	defer srv.Close()
	c := trustedClient(Options{})
	tr := []string{hostOf(t, srv)}
	tests := []struct {
		path    string
		max     int64
		wantErr bool
		wantLen int
	}{
		{"/bomb", 1 << 20, true, 0},
		{"/big", 1 << 20, true, 0},
		{"/big", 4 << 20, false, 2 << 20},
		{"/br", 1 << 20, false, 7000},
	}
	for _, tt := range tests {
		resp, err := c.Get(context.Background(), Request{URL: srv.URL + tt.path, MaxBytes: tt.max, Trusted: tr})
		if tt.wantErr {
			var fe *Error
			if !errors.As(err, &fe) || fe.Class != ClassTooLarge || !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s cap %d: err %v, want too_large", tt.path, tt.max, err)
			}
			continue
		}
		if err != nil || len(resp.Body) != tt.wantLen {
			t.Errorf("%s: len %d err %v, want %d", tt.path, len(resp.Body), err, tt.wantLen)
		}
	}
}

func TestRedirectsCapped(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/"), &n)
		if n >= 100 {
			fmt.Fprint(w, "done")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/%d", n+1), http.StatusFound)
	}))
	defer srv.Close()
	c := trustedClient(Options{})
	tr := []string{hostOf(t, srv)}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/95", Trusted: tr}); err != nil {
		t.Errorf("5 redirects: %v", err)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/94", Trusted: tr}); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("6 redirects: err %v, want a redirect error", err)
	}
}

func TestStatusAndRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(429)
		case "/403":
			w.WriteHeader(403)
		default:
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	c := trustedClient(Options{})
	tr := []string{hostOf(t, srv)}
	tests := []struct {
		path  string
		class Class
		retry time.Duration
	}{{"/429", ClassStatus, time.Hour}, {"/403", ClassBlocked, 0}, {"/500", ClassStatus, 0}}
	for _, tt := range tests {
		_, err := c.Get(context.Background(), Request{URL: srv.URL + tt.path, Trusted: tr})
		var fe *Error
		if !errors.As(err, &fe) || fe.Class != tt.class || fe.RetryAfter != tt.retry {
			t.Errorf("%s: %v (%+v), want class %s retry %s", tt.path, err, fe, tt.class, tt.retry)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"junk", 0}, {"120", 2 * time.Minute}, {"-5", 0}, {"999999999", MaxRetryAfter},
		{"99999999999999999999", MaxRetryAfter}, {"-99999999999999999999", 0}, // past int64: a long wait, not none
		{"Tue, 29 Oct 2024 13:00:00 GMT", time.Hour}, {"Tue, 29 Oct 2024 11:00:00 GMT", 0},
		{"Fri, 29 Nov 2024 13:00:00 GMT", MaxRetryAfter},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestTimeoutOnHangAndTrickle(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/trickle" {
			w.WriteHeader(200)
			for i := 0; i < 1000; i++ {
				w.Write([]byte("x"))
				w.(http.Flusher).Flush()
				select {
				case <-release:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
			return
		}
		<-release
	}))
	defer srv.Close()
	defer close(release)
	c := trustedClient(Options{Timeout: 300 * time.Millisecond})
	for _, p := range []string{"/hang", "/trickle"} {
		_, err := c.Get(context.Background(), Request{URL: srv.URL + p, Trusted: []string{hostOf(t, srv)}})
		var fe *Error
		if !errors.As(err, &fe) || fe.Class != ClassTimeout {
			t.Errorf("%s: %v, want a timeout", p, err)
		}
	}
}

func TestPerHostConcurrency(t *testing.T) {
	var inflight, peak atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		inflight.Add(-1)
	}))
	defer srv.Close()
	c := trustedClient(Options{PerHostConns: 2})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Get(context.Background(), Request{URL: srv.URL, Trusted: []string{hostOf(t, srv)}})
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak in-flight requests to one host: %d, want at most 2", p)
	}
}

func TestPrivateAddressGuard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/to-other" {
			// 127.0.0.2 is loopback too, but another host name.
			http.Redirect(w, r, strings.Replace("http://"+r.Host, "127.0.0.1", "localhost", 1)+"/ok", http.StatusFound)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	c := New(Options{UserAgent: "feedvault-test"})
	h := hostOf(t, srv)
	if _, err := c.Get(context.Background(), Request{URL: srv.URL}); err == nil {
		t.Error("untrusted loopback URL was fetched")
	} else if fe := (*Error)(nil); !errors.As(err, &fe) || fe.Class != ClassRefused {
		t.Errorf("untrusted loopback: %v, want class refused", err)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL, Trusted: []string{h}}); err != nil {
		t.Errorf("trusted feed host: %v", err)
	}
	// A redirect from the trusted host to another private host is refused
	// at connect time.
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/to-other", Trusted: []string{h}}); err == nil {
		t.Error("redirect to an untrusted private host was followed")
	}
}

func TestRobots(t *testing.T) {
	var robotsHits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n\nUser-agent: feedvault\nDisallow: /nofv/\n")
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	c := trustedClient(Options{})
	tr := []string{hostOf(t, srv)}
	tests := []struct {
		path string
		want bool
	}{{"/news/1", true}, {"/nofv/1", false}, {"/private/x", true}}
	for _, tt := range tests {
		if got := c.Allowed(context.Background(), srv.URL+tt.path, tr); got != tt.want {
			t.Errorf("Allowed(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if n := robotsHits.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", n)
	}
}

func TestUserAgentSent(t *testing.T) {
	var ua atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ua.Store(r.UserAgent()) }))
	defer srv.Close()
	c := New(Options{UserAgent: "feedvault/9 (+https://example.org)"})
	c.Get(context.Background(), Request{URL: srv.URL, Trusted: []string{hostOf(t, srv)}})
	if got, _ := ua.Load().(string); got != "feedvault/9 (+https://example.org)" {
		t.Errorf("User-Agent %q", got)
	}
}

// A body the server cut short of its Content-Length is an error that says
// so, with the length announced, not a bare "unexpected EOF"; the page is
// never kept cut.
func TestBodyCutShortSaysSo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5000")
		w.Write([]byte("<html><body><p>only the start"))
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
			}
		}
	}))
	defer srv.Close()
	c := trustedClient(Options{})
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/page", MaxBytes: 1 << 20, Trusted: []string{hostOf(t, srv)}})
	if err == nil {
		t.Fatalf("a cut body was read as whole: %d bytes", len(resp.Body))
	}
	if !strings.Contains(err.Error(), "cut short") || !strings.Contains(err.Error(), "5000 bytes (Content-Length)") || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("error %q, want it to say the body was cut short of its 5000 bytes", err)
	}
}

// A link that is no web address (javascript:, file:, mailto:) has no
// robots.txt: none is asked for, and nothing is logged about one; the
// fetch refuses the link itself.
func TestNoRobotsForOtherSchemes(t *testing.T) {
	var logb bytes.Buffer
	c := New(Options{UserAgent: "feedvault-test", Logger: slog.New(slog.NewTextHandler(&logb, nil))})
	for _, u := range []string{"javascript:alert(1)", "file:///etc/passwd", "mailto:news@example.org", "ftp://example.org/x"} {
		if !c.Allowed(context.Background(), u, nil) {
			t.Errorf("Allowed(%s) = false: robots.txt does not govern it", u)
		}
		if _, err := c.Get(context.Background(), Request{URL: u, MaxBytes: 1 << 10}); err == nil {
			t.Errorf("Get(%s) fetched it", u)
		}
	}
	if strings.Contains(logb.String(), "robots") {
		t.Errorf("robots.txt was looked for:\n%s", logb.String())
	}
}
