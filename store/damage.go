// Damaged files: what bbolt would trip over, found before it maps the file.

package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
)

// ErrDamaged means the archive file is damaged (truncated, overwritten)
// or is not a bbolt file at all.
var ErrDamaged = errors.New("damaged or not a feedvault archive")

// Header is what the two meta pages of a bbolt file say.
type Header struct {
	Size     int64  `json:"size"`      // file size
	PageSize int    `json:"page_size"` // 0 when no meta page is valid
	Pages    uint64 `json:"pages"`     // high-water mark of the valid meta with the newest transaction
	TxID     uint64 `json:"txid"`
	Metas    int    `json:"valid_metas"` // of 2
	Freelist uint64 `json:"freelist"`    // page of the free list, of the meta taken
	// FreelistOK is false when the free list's page is not one (an
	// overwritten page): bbolt's own check would crash on it.
	FreelistOK bool `json:"freelist_ok"`
	// MetaPageIDs is false when a valid meta sits in a page whose header
	// names another page: bbolt reads it, but its check would crash.
	MetaPageIDs bool `json:"meta_page_ids"`
}

// Need is the size the file must have for every page the header counts.
func (h Header) Need() int64 { return int64(h.Pages) * int64(h.PageSize) }

const (
	boltMagic   = 0xED0CDAED
	boltVersion = 2
	pageHeader  = 16 // id 8, flags 2, count 2, overflow 4
	metaLen     = 64 // magic, version, page size, flags, root (16), freelist, pgid, txid, checksum
)

// ReadHeader reads the meta pages of the bbolt file at path without
// mapping it.
func ReadHeader(path string) (Header, error) {
	// Judged before it is opened: opening a FIFO waits for a writer.
	fi, err := os.Stat(path)
	if err != nil {
		return Header{}, err
	}
	if fi.IsDir() {
		return Header{}, fmt.Errorf("%s is a directory, not an archive file: give the file's path (such as %s)", path, filepath.Join(path, "feedvault.db"))
	}
	if !fi.Mode().IsRegular() {
		return Header{}, fmt.Errorf("%s is not a regular file (%s), so not an archive: give the path of the archive file", path, fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return Header{}, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return Header{}, err
	}
	h := Header{Size: fi.Size()}
	buf := make([]byte, pageHeader+metaLen)
	// The first meta sits at 0; the second one page later, and the page
	// size is read from whichever meta is valid.
	offsets := []int64{0}
	if n, err := f.ReadAt(buf, 0); n == len(buf) || errors.Is(err, io.EOF) {
		if m, ok := parseMeta(buf[:n]); ok {
			offsets = append(offsets, int64(m.pageSize))
		} else {
			offsets = append(offsets, 4096, 8192, 16384, 32768, 65536)
		}
	}
	h.MetaPageIDs = true
	for i, off := range offsets {
		n, _ := f.ReadAt(buf, off)
		m, ok := parseMeta(buf[:n])
		if !ok {
			continue
		}
		if i > 0 && int64(m.pageSize) != off {
			continue
		}
		if id := binary.LittleEndian.Uint64(buf); (i == 0 && id != 0) || (i > 0 && id != 1) {
			h.MetaPageIDs = false // the page header is overwritten
		}
		h.Metas++
		if h.PageSize == 0 || m.txid > h.TxID {
			h.PageSize, h.Pages, h.TxID, h.Freelist = m.pageSize, m.pgid, m.txid, m.freelist
		}
	}
	if h.Metas > 0 {
		h.FreelistOK = h.Freelist == noFreelist
		head := make([]byte, pageHeader)
		if !h.FreelistOK && h.Freelist < h.Pages {
			if _, err := f.ReadAt(head, int64(h.Freelist)*int64(h.PageSize)); err == nil {
				h.FreelistOK = binary.LittleEndian.Uint64(head) == h.Freelist && binary.LittleEndian.Uint16(head[8:]) == freelistPageFlag
			}
		}
	}
	return h, nil
}

const (
	noFreelist       = 0xffffffffffffffff
	freelistPageFlag = 0x10
)

type meta struct {
	pageSize             int
	pgid, txid, freelist uint64
}

func parseMeta(b []byte) (meta, bool) {
	if len(b) < pageHeader+metaLen {
		return meta{}, false
	}
	m := b[pageHeader : pageHeader+metaLen]
	le := binary.LittleEndian // bbolt writes native order; amd64 and arm64 are little-endian
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion {
		return meta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return meta{}, false
	}
	ps := int(le.Uint32(m[8:]))
	if ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		return meta{}, false
	}
	return meta{pageSize: ps, freelist: le.Uint64(m[32:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

// CheckFile says, before bbolt maps the file, whether the archive at path
// is whole enough to open: not empty, a bbolt header, and every page the
// header counts inside the file. Its errors wrap ErrDamaged.
func CheckFile(path string) error {
	h, err := ReadHeader(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	switch {
	case h.Size == 0:
		return fmt.Errorf("store: %s: %w: the file is empty (a new archive is made by `feedvault run` at a path where no file exists)", path, ErrDamaged)
	case h.Metas == 0:
		return fmt.Errorf("store: %s: %w: no valid bbolt header (not a feedvault archive, or its first pages are overwritten)", path, ErrDamaged)
	case h.Need() > h.Size:
		return fmt.Errorf("store: %s: %w: truncated: %d bytes, but its header counts %d pages of %d bytes (%d bytes); run `feedvault check` to see what can be saved, and `feedvault recover` to save it",
			path, ErrDamaged, h.Size, h.Pages, h.PageSize, h.Need())
	case !h.MetaPageIDs:
		return fmt.Errorf("store: %s: %w: a meta page's header is overwritten; run `feedvault recover` to save the articles", path, ErrDamaged)
	case !h.FreelistOK:
		return fmt.Errorf("store: %s: %w: the free-page list (page %d) is overwritten; run `feedvault recover` to save the articles", path, ErrDamaged, h.Freelist)
	}
	return nil
}
