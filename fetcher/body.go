// Reading a body: decompressed, capped, and held on the budget.

package fetcher

import (
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/andybalholm/brotli"
)

// readHeld reads the body under the budget: it reserves the body's
// Content-Length when the body is not encoded, SmallBody otherwise, and
// the whole cap in the large pool once the body passes that. The
// request's clock stops while it waits for room. On success the body's
// bytes stay held; on error nothing does.
func (c *Client) readHeld(ctx context.Context, clock *clock, resp *http.Response, max int64) (*Hold, []byte, error) {
	need := int64(SmallBody)
	if resp.Header.Get("Content-Encoding") == "" && resp.ContentLength >= 0 {
		if resp.ContentLength > max {
			return nil, nil, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, resp.ContentLength, max)
		}
		need = resp.ContentLength
	}
	var hold *Hold
	if err := clock.pause(func() (err error) {
		hold, err = c.budget.Reserve(ctx, need)
		return err
	}); err != nil {
		return nil, nil, fmt.Errorf("waiting for room in the memory budget: %w", err)
	}
	grow := func() error {
		return clock.pause(func() error { return hold.grow(ctx, max) })
	}
	body, err := readBody(resp, max, hold.Bytes(), grow)
	if err != nil {
		hold.Release()
		return nil, nil, err
	}
	hold.Shrink(int64(cap(body)))
	return hold, body, nil
}

// readBody decompresses the body and fails, rather than truncates, once it
// passes max bytes, counting decompressed bytes: a gzip bomb is refused
// while it is still small. Past reserved bytes it calls grow once, to
// reserve the whole cap, before it reads on.
func readBody(resp *http.Response, max, reserved int64, grow func() error) ([]byte, error) {
	if resp.ContentLength > max && resp.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, resp.ContentLength, max)
	}
	var r io.Reader = resp.Body
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		r = flate.NewReader(resp.Body)
	case "br":
		r = brotli.NewReader(resp.Body)
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	size := int64(0)
	if resp.Header.Get("Content-Encoding") == "" && resp.ContentLength > 0 {
		size = resp.ContentLength
	}
	body, err := readCapped(r, max, size, reserved, grow)
	if errors.Is(err, io.ErrUnexpectedEOF) && resp.ContentLength > 0 {
		// The connection ended before the body did.
		return nil, fmt.Errorf("body cut short: the server announced %d bytes (Content-Length) and closed before: %w", resp.ContentLength, err)
	}
	return body, err
}

// readCapped reads all of r, or fails with ErrTooLarge once it passes
// max. size, when known, sizes the buffer at once. Past reserved bytes
// it calls grow once (which reserves the whole cap on the budget), and
// then sizes the buffer for the cap in one allocation, rather than
// doubling its way up and leaving the garbage of every step. A buffer
// left much bigger than its body is copied to fit: the body is held
// until it is stored.
func readCapped(r io.Reader, max, size, reserved int64, grow func() error) ([]byte, error) {
	limit := max + 1 // one byte past the cap tells a body over it
	if grow != nil {
		limit = min(reserved+1, limit) // one byte past the reservation lets a body of exactly that size end
	}
	c := int64(32 << 10)
	if size > 0 {
		c = size + 1
	}
	buf := make([]byte, 0, min(c, limit))
	for {
		if len(buf) == cap(buf) {
			n := int64(len(buf))
			if n > max {
				return nil, fmt.Errorf("%w of %d bytes", ErrTooLarge, max)
			}
			next := min(2*n, limit)
			if next <= n { // the reservation is full: take the whole cap
				if err := grow(); err != nil {
					return nil, err
				}
				grow, limit, next = nil, max+1, max+1
			}
			nb := make([]byte, n, next)
			copy(nb, buf)
			buf = nb
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(buf)) > max {
		return nil, fmt.Errorf("%w of %d bytes", ErrTooLarge, max)
	}
	if cap(buf)-len(buf) > 256<<10 {
		buf = append([]byte(nil), buf...)
	}
	return buf, nil
}
