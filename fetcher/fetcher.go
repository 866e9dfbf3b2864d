// Package fetcher does feedvault's HTTP: one shared client with timeouts,
// conditional requests, capped and decompressed bodies, checked redirects,
// per-host politeness, robots.txt, and a guard against requests to private
// addresses. It knows nothing about feeds, articles or the archive.
package fetcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/feedvault/feedvault/redact"
	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// Options configure a Client.
type Options struct {
	UserAgent    string
	Timeout      time.Duration // whole request, body included
	PerHostConns int           // requests in flight to one host
	PerHostDelay time.Duration // spacing between requests to one host
	MaxRedirects int           // default 5
	// AllowPrivate turns the private-address guard off for every request
	// (tests that serve articles from loopback under another host name).
	AllowPrivate bool
	Logger       *slog.Logger
	// Budget bounds the bytes of bodies held in memory, shared with the
	// caller (see Budget); nil means a budget of DefaultBudget.
	Budget *Budget
}

// Client is safe for concurrent use; make one per process.
type Client struct {
	opt    Options
	http   *http.Client
	log    *slog.Logger
	mu     sync.Mutex
	hosts  map[string]*host
	robots map[string]*robotsEntry
	budget *Budget
}

type host struct {
	sem     chan struct{}
	limiter *rate.Limiter
}

type robotsEntry struct {
	data    *robotstxt.RobotsData
	expires time.Time
	ready   chan struct{}
}

// Request is one GET.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
	MaxBytes     int64  // decompressed body cap; 0 means 10 MiB
	Accept       string
	// Trusted host:ports may resolve to special-purpose addresses
	// (private, loopback, ...): the host:port of the configured feed
	// URL, for the feed and its articles. Each entry is a URL, a
	// host:port, or a bare host (ports 80 and 443). Trust is checked on
	// every request and redirect hop, with its own connection pool.
	Trusted []string
}

// Response is a completed GET with a 2xx or 304 status. Its body is held
// on the client's Budget until Release.
type Response struct {
	URL          string // final URL, after redirects
	Status       int
	Header       http.Header
	Body         []byte // decompressed
	NotModified  bool
	ETag         string
	LastModified string
	ContentType  string
	Fetched      time.Time
	hold         *Hold
}

// Release gives the body's bytes back to the budget: call it once the
// body is parsed and stored, or dropped. It is safe on nil and twice.
func (r *Response) Release() {
	if r != nil {
		r.hold.Release()
	}
}

// Held is the bytes the body holds on the budget.
func (r *Response) Held() int64 {
	if r == nil {
		return 0
	}
	return r.hold.Bytes()
}

// Class names the kind of a failure, so that it can be counted and shown.
type Class string

// Failure classes.
const (
	ClassNetwork  Class = "network"
	ClassTimeout  Class = "timeout"
	ClassStatus   Class = "http_status"
	ClassBlocked  Class = "blocked"
	ClassTooLarge Class = "too_large"
	ClassRobots   Class = "robots"
	ClassRefused  Class = "refused" // private address, bad scheme
)

// Error is a failed fetch.
type Error struct {
	Class      Class
	URL        string
	Status     int
	RetryAfter time.Duration // from a 429 or 503, capped at 24h
	Err        error
}

func (e *Error) Error() string {
	return redact.String(fmt.Sprintf("fetcher: %s: %s: %v", e.Class, e.URL, e.Err))
}

func (e *Error) Unwrap() error { return e.Err }

// ErrTooLarge is wrapped by errors for bodies over the cap.
var ErrTooLarge = errors.New("body exceeds the size limit")

// MaxRetryAfter caps how long a server may ask us to stay away.
const MaxRetryAfter = 24 * time.Hour

// New builds the client.
func New(opt Options) *Client {
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.PerHostConns <= 0 {
		opt.PerHostConns = 2
	}
	if opt.MaxRedirects <= 0 {
		opt.MaxRedirects = 5
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "feedvault"
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Budget == nil {
		opt.Budget = NewBudget(DefaultBudget)
	}
	c := &Client{opt: opt, log: opt.Logger, hosts: map[string]*host{}, robots: map[string]*robotsEntry{}, budget: opt.Budget}
	c.http = &http.Client{
		Transport: newRouter(opt),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opt.MaxRedirects {
				return fmt.Errorf("stopped after %d redirects", opt.MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
			}
			return nil
		},
	}
	return c
}

func newHost(conns int, delay time.Duration) *host {
	lim := rate.NewLimiter(rate.Inf, 1)
	if delay > 0 {
		lim = rate.NewLimiter(rate.Every(delay), 1)
	}
	return &host{sem: make(chan struct{}, conns), limiter: lim}
}

func (c *Client) hostFor(h string) *host {
	h = strings.ToLower(h)
	c.mu.Lock()
	defer c.mu.Unlock()
	hs := c.hosts[h]
	if hs == nil {
		hs = newHost(c.opt.PerHostConns, c.opt.PerHostDelay)
		c.hosts[h] = hs
	}
	return hs
}

// Budget is the memory budget the client's bodies are held on; callers
// reserve their work on held bodies from it (Budget.Work).
func (c *Client) Budget() *Budget { return c.budget }

// SetHostLimits gives one host its own limits (an outlet's override of
// the defaults). Call it before requests to that host start.
func (c *Client) SetHostLimits(hostname string, conns int, delay time.Duration) {
	if conns <= 0 {
		conns = c.opt.PerHostConns
	}
	c.mu.Lock()
	c.hosts[strings.ToLower(hostname)] = newHost(conns, delay)
	c.mu.Unlock()
}

// acquire waits for a per-host slot and the host's spacing.
func (c *Client) acquire(ctx context.Context, hostname string) (release func(), err error) {
	hs := c.hostFor(hostname)
	select {
	case hs.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := hs.limiter.Wait(ctx); err != nil {
		<-hs.sem
		return nil, err
	}
	return func() { <-hs.sem }, nil
}

// Get performs one GET under the per-host limits.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{Class: ClassRefused, URL: r.URL, Err: errors.New("not an absolute http(s) URL")}
	}
	if r.MaxBytes <= 0 {
		r.MaxBytes = 10 << 20
	}
	release, err := c.acquire(ctx, u.Hostname())
	if err != nil {
		return nil, &Error{Class: ClassTimeout, URL: r.URL, Err: err}
	}
	defer release()

	// The timeout covers the request, body included, but not the time
	// spent waiting for room in the memory budget.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	clock := startClock(c.opt.Timeout, func() { cancel(errTimedOut) })
	defer clock.stop()
	// Trust is per request and per host:port: the router checks every
	// hop against it when it picks a connection pool.
	ctx = context.WithValue(ctx, trustSetKey{}, TrustKeys(r.Trusted))

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, &Error{Class: ClassRefused, URL: r.URL, Err: err}
	}
	c.setHeaders(req, r)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, classifyIn(ctx, r.URL, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	out := &Response{
		URL:          final,
		Status:       resp.StatusCode,
		Header:       resp.Header,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
		Fetched:      time.Now().UTC(),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && r.ETag == "" && r.LastModified == "":
		// Only a conditional request can be answered "not modified":
		// taken as such, a feed would look healthy while nothing is ever
		// read from it, and a page would be archived empty.
		return nil, &Error{Class: ClassStatus, URL: final, Status: resp.StatusCode,
			Err: errors.New("HTTP 304 Not Modified without a conditional request (no If-None-Match or If-Modified-Since was sent)")}
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused; the rest is dropped with it
		e := &Error{Class: ClassStatus, URL: final, Status: resp.StatusCode, Err: fmt.Errorf("HTTP %s", resp.Status)}
		if resp.StatusCode == http.StatusForbidden || resp.StatusCode == 451 {
			e.Class = ClassBlocked
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			e.RetryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return nil, e
	}
	hold, body, err := c.readHeld(ctx, clock, resp, r.MaxBytes)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, &Error{Class: ClassTooLarge, URL: final, Status: resp.StatusCode, Err: err}
		}
		return nil, classifyIn(ctx, final, err)
	}
	out.Body, out.hold = body, hold
	return out, nil
}

func (c *Client) setHeaders(req *http.Request, r Request) {
	req.Header.Set("User-Agent", c.opt.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
}

// errTimedOut ends a request that took longer than Options.Timeout.
var errTimedOut = fmt.Errorf("request timed out: %w", context.DeadlineExceeded)

// classifyIn is classify for an error of a request made under ctx, whose
// cause tells a timeout from a cancellation.
func classifyIn(ctx context.Context, u string, err error) *Error {
	if errors.Is(context.Cause(ctx), errTimedOut) {
		return &Error{Class: ClassTimeout, URL: u, Err: fmt.Errorf("%w (%v)", errTimedOut, err)}
	}
	return classify(u, err)
}

func classify(u string, err error) *Error {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &Error{Class: ClassTimeout, URL: u, Err: err}
	case strings.Contains(err.Error(), "refusing to connect"):
		return &Error{Class: ClassRefused, URL: u, Err: err}
	}
	return &Error{Class: ClassNetwork, URL: u, Err: err}
}

// ParseRetryAfter reads a Retry-After value (seconds or an HTTP date),
// capped at MaxRetryAfter. It returns 0 when absent or unreadable.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		// Past int64, ParseInt gives its bound and ErrRange: a wait
		// longer than the cap (or a negative one).
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter
		}
		d = time.Duration(max(secs, 0)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), MaxRetryAfter)
}

// RobotsTTL is how long a host's robots.txt is cached.
const RobotsTTL = 12 * time.Hour

// Allowed reports whether robots.txt lets feedvault fetch rawURL. A
// missing robots.txt (4xx) allows all; a server error or an unreachable
// host allows too, but is logged.
func (c *Client) Allowed(ctx context.Context, rawURL string, trusted []string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		// No robots.txt to ask (a javascript: or file: link): the fetch
		// refuses such a URL itself, and says why.
		return true
	}
	key := u.Scheme + "://" + u.Host
	c.mu.Lock()
	e := c.robots[key]
	if e != nil && time.Now().After(e.expires) {
		select {
		case <-e.ready:
			e = nil // expired: fetch again
		default:
		}
	}
	if e == nil {
		e = &robotsEntry{ready: make(chan struct{}), expires: time.Now().Add(RobotsTTL)}
		c.robots[key] = e
		c.mu.Unlock()
		e.data = c.fetchRobots(ctx, key+"/robots.txt", trusted)
		close(e.ready)
	} else {
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return false
		}
	}
	if e.data == nil {
		return true
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return e.data.TestAgent(path, "feedvault")
}

func (c *Client) fetchRobots(ctx context.Context, u string, trusted []string) *robotstxt.RobotsData {
	resp, err := c.Get(ctx, Request{URL: u, MaxBytes: 512 << 10, Trusted: trusted})
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) && fe.Status >= 400 && fe.Status < 500 {
			return nil // no robots.txt: everything is allowed
		}
		c.log.Warn("robots.txt unavailable; allowing", "url", u, "err", err)
		return nil
	}
	defer resp.Release()
	data, err := robotstxt.FromBytes(resp.Body)
	if err != nil {
		c.log.Warn("robots.txt unreadable; allowing", "url", u, "err", err)
		return nil
	}
	return data
}
