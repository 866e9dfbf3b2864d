// The memory budget: bytes of bodies and of work on them, shared by the
// fetcher and its caller.

package fetcher

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// DefaultBudget is the memory budget when none is set: bytes of fetched
// bodies held at once, plus the working memory of parsing them.
const DefaultBudget = 128 << 20

// SmallBody is what a body of unknown size reserves when its headers
// arrive; a body that outgrows it reserves its whole cap in the large
// pool. Most pages and feeds fit.
const SmallBody = 1 << 20

// Budget bounds the bytes held in memory for fetched bodies and for the
// work done on them (parsing, extraction), over every request and every
// goroutine that shares it. Reservations wait, context-aware, when the
// budget is spent; they never fail for want of room.
//
// The budget is split into three pools, so that waiting can never
// deadlock: a holder only ever waits on a pool further down the list.
//
//   - small (a quarter): bodies of known small size, and the first
//     SmallBody bytes of a body of unknown size;
//   - large (a quarter): a body that outgrows SmallBody reserves its whole
//     cap here (then gives back what it did not use), as does a body whose
//     Content-Length passes SmallBody;
//   - work (half): transient work on a held body (Hold.Work): a feed's
//     parse, a page's extraction.
//
// A body is held, in its pool, from the moment its headers arrive until
// the caller releases it (Response.Release), after it is parsed and
// stored. A single request bigger than its pool takes the whole pool and
// runs alone. Peak reports the most bytes ever reserved at once, which
// never passes Size.
type Budget struct {
	size               int64
	small, large, work pool
	mu                 sync.Mutex
	inUse, peak        int64
}

type pool struct {
	sem  *semaphore.Weighted
	size int64
}

// NewBudget makes a budget of size bytes (DefaultBudget if size <= 0).
func NewBudget(size int64) *Budget {
	if size <= 0 {
		size = DefaultBudget
	}
	q := size / 4
	w := size - 2*q
	return &Budget{size: size,
		small: pool{semaphore.NewWeighted(q), q},
		large: pool{semaphore.NewWeighted(q), q},
		work:  pool{semaphore.NewWeighted(w), w},
	}
}

// Size is the budget in bytes.
func (b *Budget) Size() int64 { return b.size }

// WorkSize is the bytes available to work on held bodies at once; one
// piece of work costing more runs alone, within it.
func (b *Budget) WorkSize() int64 { return b.work.size }

// InUse is the bytes reserved now.
func (b *Budget) InUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.inUse
}

// Peak is the most bytes reserved at once so far.
func (b *Budget) Peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

func (b *Budget) count(n int64) {
	b.mu.Lock()
	b.inUse += n
	b.peak = max(b.peak, b.inUse)
	b.mu.Unlock()
}

// acquire takes n bytes (at most the pool) from p, waiting for them.
func (b *Budget) acquire(ctx context.Context, p *pool, n int64) (int64, error) {
	n = min(max(n, 0), p.size)
	if n == 0 {
		return 0, nil
	}
	if err := p.sem.Acquire(ctx, n); err != nil {
		return 0, err
	}
	b.count(n)
	return n, nil
}

func (b *Budget) release(p *pool, n int64) {
	if n <= 0 {
		return
	}
	b.count(-n)
	p.sem.Release(n)
}

// Hold is one body's reservation. Its methods are safe on a nil Hold (no
// budget), but a Hold is used by one goroutine at a time.
type Hold struct {
	b *Budget
	p *pool
	n int64
}

// Reserve takes a reservation for a body of n bytes, in the small pool
// when n <= SmallBody and in the large pool otherwise.
func (b *Budget) Reserve(ctx context.Context, n int64) (*Hold, error) {
	p := &b.small
	if n > SmallBody {
		p = &b.large
	}
	got, err := b.acquire(ctx, p, n)
	if err != nil {
		return nil, err
	}
	return &Hold{b: b, p: p, n: got}, nil
}

// Bytes is what the hold has reserved.
func (h *Hold) Bytes() int64 {
	if h == nil {
		return 0
	}
	return h.n
}

// grow moves a small reservation to the large pool, for n bytes: it
// waits for the large pool while it still holds its small bytes (the
// large pool's holders never wait on the small pool), then gives the
// small bytes back.
func (h *Hold) grow(ctx context.Context, n int64) error {
	if h == nil || n <= h.n {
		return nil
	}
	if h.p == &h.b.large {
		return nil // already took the whole cap
	}
	got, err := h.b.acquire(ctx, &h.b.large, n)
	if err != nil {
		return err
	}
	h.b.release(h.p, h.n)
	h.p, h.n = &h.b.large, got
	return nil
}

// Shrink gives back what the hold has beyond n bytes.
func (h *Hold) Shrink(n int64) {
	if h == nil || n >= h.n {
		return
	}
	n = max(n, 0)
	h.b.release(h.p, h.n-n)
	h.n = n
}

// Release gives the whole reservation back. It may be called again.
func (h *Hold) Release() { h.Shrink(0) }

// Work reserves n bytes of working memory on top of the held body (at
// most WorkSize: bigger work runs alone) and returns its release. Work
// never waits for bodies, so holding a body while waiting here cannot
// deadlock.
func (b *Budget) Work(ctx context.Context, n int64) (release func(), err error) {
	got, err := b.acquire(ctx, &b.work, n)
	if err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { b.release(&b.work, got) }) }, nil
}

// clock is a request's timeout that can stop while the request waits for
// room in the budget, so that waiting never turns into a timeout.
type clock struct {
	mu    sync.Mutex
	t     *time.Timer
	left  time.Duration
	since time.Time
}

func startClock(d time.Duration, fire func()) *clock {
	return &clock{t: time.AfterFunc(d, fire), left: d, since: time.Now()}
}

// pause stops the clock while wait runs, then starts it again with the
// time that was left. If the clock has already run out, wait runs anyway
// (the request's context is then cancelled, so it returns at once).
func (c *clock) pause(wait func() error) error {
	c.mu.Lock()
	stopped := c.t.Stop()
	if stopped {
		c.left -= time.Since(c.since)
	}
	c.mu.Unlock()
	err := wait()
	if stopped {
		c.mu.Lock()
		c.since = time.Now()
		c.t.Reset(max(c.left, 0))
		c.mu.Unlock()
	}
	return err
}

func (c *clock) stop() { c.t.Stop() }
