package fetcher

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestBudgetPools(t *testing.T) {
	const size = 16 << 20 // small 4 MiB, large 4 MiB, work 8 MiB
	tests := []struct {
		name    string
		reserve int64
		shrink  int64
		want    int64 // held after Reserve
		after   int64 // held after Shrink
	}{
		{"small body", 100 << 10, 50 << 10, 100 << 10, 50 << 10},
		{"exactly SmallBody stays small", SmallBody, SmallBody, SmallBody, SmallBody},
		{"large body", 3 << 20, 2 << 20, 3 << 20, 2 << 20},
		{"bigger than its pool runs alone", 9 << 20, 9 << 20, 4 << 20, 4 << 20},
		{"shrink never grows", 1 << 10, 2 << 10, 1 << 10, 1 << 10},
		{"empty", 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBudget(size)
			h, err := b.Reserve(context.Background(), tt.reserve)
			if err != nil {
				t.Fatal(err)
			}
			if h.Bytes() != tt.want || b.InUse() != tt.want {
				t.Fatalf("held %d (in use %d), want %d", h.Bytes(), b.InUse(), tt.want)
			}
			h.Shrink(tt.shrink)
			if h.Bytes() != tt.after || b.InUse() != tt.after {
				t.Fatalf("after shrink: held %d (in use %d), want %d", h.Bytes(), b.InUse(), tt.after)
			}
			h.Release()
			h.Release()
			if b.InUse() != 0 {
				t.Fatalf("in use %d after release, want 0", b.InUse())
			}
			if b.Peak() > b.Size() {
				t.Fatalf("peak %d over the budget %d", b.Peak(), b.Size())
			}
		})
	}
}

// A reservation waits for room rather than failing, and gives up only
// when its context ends.
func TestBudgetWaits(t *testing.T) {
	b := NewBudget(16 << 20)
	full, err := b.Reserve(context.Background(), 4<<20) // the whole large pool
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *Hold)
	go func() {
		h, err := b.Reserve(context.Background(), 2<<20)
		if err != nil {
			t.Error(err)
		}
		got <- h
	}()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Reserve(ctx, 2<<20); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait: %v, want context.Canceled", err)
	}
	// The small pool is not the large one: a small body does not wait.
	small, err := b.Reserve(context.Background(), 10<<10)
	if err != nil {
		t.Fatal(err)
	}
	small.Release()
	select {
	case <-got:
		t.Fatal("a reservation went through while the pool was full")
	default:
	}
	full.Release()
	h := <-got
	if h.Bytes() != 2<<20 || b.InUse() != 2<<20 {
		t.Errorf("after the wait: held %d, in use %d", h.Bytes(), b.InUse())
	}
	h.Release()
}

// Many holders that reserve, grow, work and release at random on a tiny
// budget all finish: the pools are ordered so that no wait can close a
// cycle, and the budget is never passed.
func TestBudgetNoDeadlock(t *testing.T) {
	b := NewBudget(16 << 20)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for i := 0; i < 50; i++ {
				h, err := b.Reserve(ctx, r.Int64N(2*SmallBody))
				if err != nil {
					t.Error("deadlock? ", err)
					return
				}
				if r.IntN(3) == 0 {
					if err := h.grow(ctx, 3<<20); err != nil {
						t.Error("deadlock? ", err)
						return
					}
				}
				h.Shrink(r.Int64N(h.Bytes() + 1))
				release, err := b.Work(ctx, r.Int64N(10<<20))
				if err != nil {
					t.Error("deadlock? ", err)
					return
				}
				release()
				release()
				h.Release()
			}
		}()
	}
	wg.Wait()
	if b.InUse() != 0 {
		t.Errorf("in use %d at the end, want 0", b.InUse())
	}
	if b.Peak() > b.Size() || b.Peak() < b.Size()/4 {
		t.Errorf("peak %d: want within (%d, %d]", b.Peak(), b.Size()/4, b.Size())
	}
}

// A body is held on the budget from its headers until the caller
// releases it, in the pool its size calls for; a body of unknown size
// that outgrows SmallBody moves to the large pool; an error holds nothing.
func TestBodiesHeldOnBudget(t *testing.T) {
	big := bytes.Repeat([]byte("<p>x</p>"), 3<<20/8) // 3 MiB
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(big)
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/small":
			w.Write([]byte("<p>small</p>"))
		case "/big-length":
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			w.Write(big)
		case "/big-chunked":
			for i := 0; i < len(big); i += 64 << 10 {
				w.Write(big[i:min(i+64<<10, len(big))])
				w.(http.Flusher).Flush()
			}
		case "/big-gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
		case "/over-cap":
			w.Write(bytes.Repeat(big, 3))
		}
	}))
	defer srv.Close()
	tests := []struct {
		path     string
		min, max int64 // bytes held after the fetch
		err      bool
	}{
		{"/small", 12, 1 << 10, false},
		{"/big-length", 3 << 20, 3<<20 + 8<<10, false},
		{"/big-chunked", 3 << 20, 3<<20 + 8<<10, false}, // read into the whole cap, then copied to fit
		{"/big-gzip", 3 << 20, 3<<20 + 8<<10, false},
		{"/over-cap", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			b := NewBudget(64 << 20)
			c := trustedClient(Options{Timeout: time.Minute, Budget: b})
			resp, err := c.Get(context.Background(), Request{URL: srv.URL + tt.path, MaxBytes: 8 << 20, Trusted: []string{srv.URL}})
			if tt.err {
				var fe *Error
				if !errors.As(err, &fe) || fe.Class != ClassTooLarge {
					t.Fatalf("%v, want too_large", err)
				}
				if b.InUse() != 0 {
					t.Errorf("a failed fetch holds %d bytes", b.InUse())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := b.InUse(); got < tt.min || got > tt.max || got != resp.Held() || got < int64(len(resp.Body)) {
				t.Errorf("holds %d (response says %d) for a body of %d, want %d..%d", got, resp.Held(), len(resp.Body), tt.min, tt.max)
			}
			resp.Release()
			resp.Release()
			if b.InUse() != 0 {
				t.Errorf("in use %d after release", b.InUse())
			}
		})
	}
}

// Waiting for room in the budget does not count against the request's
// timeout: a fetch that waited longer than its timeout still succeeds.
func TestBudgetWaitIsNotATimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<p>a small page</p>"))
	}))
	defer srv.Close()
	b := NewBudget(16 << 20)
	all, err := b.Reserve(context.Background(), 4<<20) // the whole large pool
	if err != nil {
		t.Fatal(err)
	}
	// A body of SmallBody or less goes to the small pool: fill it.
	var smalls []*Hold
	for b.InUse() < 8<<20 {
		h, err := b.Reserve(context.Background(), SmallBody)
		if err != nil {
			t.Fatal(err)
		}
		smalls = append(smalls, h)
	}
	const timeout = time.Second
	c := trustedClient(Options{Timeout: timeout, Budget: b})
	done := make(chan error, 1)
	go func() {
		resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/", Trusted: []string{srv.URL}})
		if err == nil {
			resp.Release()
		}
		done <- err
	}()
	time.Sleep(2 * timeout)
	select {
	case err := <-done:
		t.Fatalf("the fetch ended (%v) while the budget was full", err)
	default:
	}
	for _, h := range smalls {
		h.Release()
	}
	all.Release()
	if err := <-done; err != nil {
		t.Fatalf("a fetch that waited for room failed: %v", err)
	}
	if b.InUse() != 0 {
		t.Errorf("in use %d at the end", b.InUse())
	}
}
