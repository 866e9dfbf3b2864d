// Reading values with pread(2) rather than through bbolt's memory map.
//
// A listing or a phrase check looks up one value per match, at random
// in a file of gigabytes. Through the memory map, each page it lands on
// is a page fault the first time a process touches it; on the virtual
// machines this project is measured on, that costs 20–45 µs, against
// 3–5 µs to pread the same page from the page cache into a buffer the
// process already has (README, "Reading with pread"). A CLI process
// reading the file is new each time, so all its pages are first touches;
// a daemon's are not, and it keeps the map.
//
// The pages a read transaction reaches from its bucket's root are not
// written while the transaction is open (bbolt copies a page before it
// changes it, and frees the old one only when no reader can see it), so
// reading them from the file descriptor gives the bytes the map would.
// Every page read is checked (its id, its kind, every element inside
// it); anything unexpected makes the reader fall back to the bucket's
// own Get for the rest of the transaction, so the worst a surprise can
// cost is speed.

package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// valueReader looks keys up in one bucket of a read transaction: a
// *bolt.Bucket, or a preadBucket over one. A value is valid until the
// next lookup through the same reader.
type valueReader interface {
	Get(key []byte) []byte
}

// bbolt's page layout (go.etcd.io/bbolt/internal/common), in the
// machine's byte order; leafPageFlag is in scan.go.
const (
	pageHeaderSize  = 16 // id u64, flags u16, count u16, overflow u32
	pageElementSize = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags u32, pos u32, ksize u32, vsize u32
	branchPageFlag  = 0x01
	bucketLeafFlag  = 0x01
	// maxDepth bounds a descent: bbolt's trees are a few levels deep,
	// and a loop in a damaged file must end.
	maxDepth = 32
	// cachedDepth: branch pages this close to the root are kept for the
	// transaction; the many pages below them are read each time, since
	// a page of fresh memory costs more than the reads it would save.
	cachedDepth = 2
)

var errPageShape = errors.New("unexpected page")

// preadBucket reads the values of bucket b, in its read transaction,
// with pread on f.
type preadBucket struct {
	b        *bolt.Bucket // the fallback, in the same transaction
	f        *os.File
	root     uint64
	pageSize int
	pages    uint64            // in the file
	branches map[uint64][]byte // branch pages near the root
	levels   []level           // below them, the last page read at each depth
	leaf     []byte            // the last leaf read (in levels); values point into it
	run      int               // pages the longest recent leaf spanned: read that many at once
	since    int               // leaves read since run was set
	depth    int               // where the last leaf was: the tree's leaves are all as deep
	failed   error             // set: every lookup goes through b
}

// level is the last page read at one depth of the tree: lookups in key
// order meet the same page again, and read it once.
type level struct {
	id   uint64
	page []byte // in buf; nil when buf holds no whole page
	buf  []byte
}

// preadOf returns a reader of b's values with pread on f, or nil when f
// is nil, b was changed in this transaction or its root is inline in its
// parent (no page of its own).
func preadOf(b *bolt.Bucket, f *os.File, pageSize int) *preadBucket {
	if b == nil || f == nil || pageSize < 512 || b.Writable() || b.Root() == 0 {
		return nil
	}
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	return &preadBucket{b: b, f: f, root: uint64(b.Root()), pageSize: pageSize, pages: uint64(fi.Size()) / uint64(pageSize), branches: map[uint64][]byte{}}
}

// values returns a reader of the values of tx's bucket name: with pread
// for a read-only store, else the bucket itself (nil if there is none).
func (s *Store) values(tx *bolt.Tx, name []byte) valueReader {
	b := tx.Bucket(name)
	if b == nil {
		return nil
	}
	if p := preadOf(b, s.pread, s.pageSize); p != nil {
		return p
	}
	return b
}

// Get returns key's value, as b.Get would; after a failed read it asks
// b, for this and every later key.
func (p *preadBucket) Get(key []byte) []byte {
	if p.failed == nil {
		v, err := p.get(key)
		if err == nil {
			return v
		}
		p.failed = err
	}
	return p.b.Get(key)
}

// get descends from the root to key's leaf, or looks in the last leaf
// read when key lies between its first and last keys (a leaf holds every
// key of its range): lookups in key order read each leaf once.
func (p *preadBucket) get(key []byte) ([]byte, error) {
	if p.leaf != nil && inLeafRange(p.leaf, key) {
		return leafValue(p.leaf, binary.NativeEndian.Uint64(p.leaf), key)
	}
	p.leaf = nil
	id := p.root
	for depth := 0; depth < maxDepth; depth++ {
		page, err := p.page(id, depth)
		if err != nil {
			return nil, err
		}
		switch flags := binary.NativeEndian.Uint16(page[8:]); flags {
		case leafPageFlag:
			p.leaf, p.depth = page, depth
			p.guessRun(len(page) / p.pageSize)
			return leafValue(page, id, key)
		case branchPageFlag:
			if id, err = branchChild(page, id, key); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("store: page %d: %w: flags %#x", id, errPageShape, flags)
		}
	}
	return nil, fmt.Errorf("store: %w: deeper than %d levels", errPageShape, maxDepth)
}

// page returns page id, met at depth: kept near the root, the same as
// the last at its depth, or read.
func (p *preadBucket) page(id uint64, depth int) ([]byte, error) {
	if page, ok := p.branches[id]; ok {
		return page, nil
	}
	for len(p.levels) <= depth {
		p.levels = append(p.levels, level{})
	}
	l := &p.levels[depth]
	if l.page != nil && l.id == id {
		return l.page, nil
	}
	l.page = nil
	guess := 1
	if depth == p.depth {
		guess = p.run
	}
	page, err := p.read(id, &l.buf, guess)
	if err != nil {
		return nil, err
	}
	if binary.NativeEndian.Uint16(page[8:]) == branchPageFlag && depth < cachedDepth {
		page = bytes.Clone(page)
		p.branches[id] = page
		return page, nil
	}
	l.id, l.page = id, page
	return page, nil
}

// guessRun keeps run at the longest of the recent leaves, so that values
// of one or two pages take one read each.
func (p *preadBucket) guessRun(pages int) {
	p.since++
	if pages >= p.run || p.since > 16 {
		p.run, p.since = pages, 0
	}
}

// read reads page id, with its overflow, into *buf and checks its
// header. It reads guess pages at first (a bucket's values are of much
// the same size: one read where two would do), fewer at the file's end.
func (p *preadBucket) read(id uint64, buf *[]byte, guess int) ([]byte, error) {
	ps := p.pageSize
	guess = max(1, min(guess, 16))
	if cap(*buf) < guess*ps {
		*buf = make([]byte, guess*ps)
	}
	if id >= p.pages {
		return nil, fmt.Errorf("store: page %d: %w: past the file's end (%d pages)", id, errPageShape, p.pages)
	}
	off := int64(id) * int64(ps)
	b := (*buf)[:guess*ps]
	got, err := p.f.ReadAt(b, off)
	if got < ps {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("store: read page %d: %w", id, err)
	}
	b = b[:got]
	if got := binary.NativeEndian.Uint64(b); got != id {
		return nil, fmt.Errorf("store: page %d: %w: it says it is page %d", id, errPageShape, got)
	}
	if over := binary.NativeEndian.Uint32(b[12:]); over > 0 {
		if uint64(over) >= p.pages-id {
			return nil, fmt.Errorf("store: page %d: %w: %d overflow pages run past the file's end", id, errPageShape, over)
		}
		n := (int64(over) + 1) * int64(ps)
		if int64(len(b)) < n {
			if int64(cap(*buf)) < n {
				nb := make([]byte, n)
				copy(nb, b)
				*buf = nb
			}
			have := len(b)
			b = (*buf)[:n]
			if _, err := p.f.ReadAt(b[have:], off+int64(have)); err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return nil, fmt.Errorf("store: read page %d: %w", id, err)
			}
		}
		b = b[:n]
	} else {
		b = b[:ps]
	}
	count := int(binary.NativeEndian.Uint16(b[10:]))
	if count == 0 || pageHeaderSize+count*pageElementSize > len(b) {
		return nil, fmt.Errorf("store: page %d: %w: %d elements", id, errPageShape, count)
	}
	return b, nil
}

// element returns the bytes at the i-th element's pos, n long, or false
// when they fall outside page.
func element(page []byte, i int, pos uint32, n uint64) ([]byte, bool) {
	start := uint64(pageHeaderSize+i*pageElementSize) + uint64(pos)
	end := start + n
	if end > uint64(len(page)) {
		return nil, false
	}
	return page[start:end], true
}

// branchChild returns the child of a branch page that holds key, as
// bbolt's cursor chooses it: the last element whose key is not above key
// (or the first).
func branchChild(page []byte, id uint64, key []byte) (uint64, error) {
	count := int(binary.NativeEndian.Uint16(page[10:]))
	lo, hi := 0, count // the first element whose key is ≥ key
	exact := false
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		e := page[pageHeaderSize+m*pageElementSize:]
		k, ok := element(page, m, binary.NativeEndian.Uint32(e), uint64(binary.NativeEndian.Uint32(e[4:])))
		if !ok {
			return 0, fmt.Errorf("store: page %d: %w: branch element %d", id, errPageShape, m)
		}
		switch c := bytes.Compare(k, key); {
		case c < 0:
			lo = m + 1
		default:
			exact = exact || c == 0
			hi = m
		}
	}
	i := lo
	if !exact && i > 0 {
		i--
	}
	e := page[pageHeaderSize+i*pageElementSize:]
	return binary.NativeEndian.Uint64(e[8:]), nil
}

// inLeafRange reports whether key lies between the first and last keys
// of a leaf page that read checked.
func inLeafRange(page, key []byte) bool {
	count := int(binary.NativeEndian.Uint16(page[10:]))
	first, ok1 := leafKey(page, 0)
	last, ok2 := leafKey(page, count-1)
	return ok1 && ok2 && bytes.Compare(first, key) <= 0 && bytes.Compare(key, last) <= 0
}

func leafKey(page []byte, i int) ([]byte, bool) {
	e := page[pageHeaderSize+i*pageElementSize:]
	return element(page, i, binary.NativeEndian.Uint32(e[4:]), uint64(binary.NativeEndian.Uint32(e[8:])))
}

// leafValue returns key's value on a leaf page, or nil (no such key, or a
// nested bucket, for which bbolt's Get returns nil too).
func leafValue(page []byte, id uint64, key []byte) ([]byte, error) {
	count := int(binary.NativeEndian.Uint16(page[10:]))
	lo, hi := 0, count
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		k, ok := leafKey(page, m)
		if !ok {
			return nil, fmt.Errorf("store: page %d: %w: leaf element %d", id, errPageShape, m)
		}
		if bytes.Compare(k, key) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == count {
		return nil, nil
	}
	e := page[pageHeaderSize+lo*pageElementSize:]
	flags, pos, ksize, vsize := binary.NativeEndian.Uint32(e), binary.NativeEndian.Uint32(e[4:]), binary.NativeEndian.Uint32(e[8:]), binary.NativeEndian.Uint32(e[12:])
	kv, ok := element(page, lo, pos, uint64(ksize)+uint64(vsize))
	if !ok {
		return nil, fmt.Errorf("store: page %d: %w: leaf element %d", id, errPageShape, lo)
	}
	if !bytes.Equal(kv[:ksize], key) || flags&bucketLeafFlag != 0 {
		return nil, nil
	}
	return kv[ksize:], nil
}
