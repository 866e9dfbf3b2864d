// The page scan: reading a damaged file page by page, outside bbolt's
// tree, for the articles the tree can no longer reach.

package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
)

const leafPageFlag = 0x02

// scanPages calls fn with every key and value of every leaf page of the
// file (inline buckets included) that lies whole inside it.
func scanPages(path string, pageSize int, fn func(k, v []byte)) error {
	if pageSize <= 0 {
		pageSize = 4096
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size, ps := fi.Size(), int64(pageSize)
	head := make([]byte, 16)
	for pg := int64(2); (pg+1)*ps <= size; {
		if _, err := f.ReadAt(head, pg*ps); err != nil {
			return err
		}
		le := binary.LittleEndian
		span := int64(le.Uint32(head[12:])) + 1
		if le.Uint64(head) != uint64(pg) || le.Uint16(head[8:]) != leafPageFlag || (pg+span)*ps > size {
			pg++
			continue
		}
		p := make([]byte, span*ps)
		if _, err := f.ReadAt(p, pg*ps); err != nil {
			return err
		}
		walkLeaf(p, fn)
		pg += span
	}
	return nil
}

func walkLeaf(p []byte, fn func(k, v []byte)) {
	le := binary.LittleEndian
	if len(p) < 16 || le.Uint16(p[8:]) != leafPageFlag {
		return
	}
	count := int(le.Uint16(p[10:]))
	for i := 0; i < count; i++ {
		e := 16 + i*16
		if e+16 > len(p) {
			return
		}
		flags, pos := le.Uint32(p[e:]), int(le.Uint32(p[e+4:]))
		ks, vs := int(le.Uint32(p[e+8:])), int(le.Uint32(p[e+12:]))
		start := e + pos
		if pos < 0 || ks < 0 || vs < 0 || start+ks+vs > len(p) || start+ks+vs < start {
			continue
		}
		k, v := p[start:start+ks], p[start+ks:start+ks+vs]
		if flags&0x01 != 0 { // a bucket: inline ones hold their page in the value
			if len(v) > 16 && le.Uint64(v) == 0 {
				walkLeaf(v[16:], fn)
			}
			continue
		}
		fn(k, v)
	}
}

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// scanSalvage finds, page by page, the articles (with their raw pages,
// revisions and sightings) and feed states the tree pass did not, and
// writes them to out when out is not nil. done holds the ids already
// salvaged.
func scanSalvage(z *codec, path string, pageSize int, done map[uint64]bool, out *Store, rep *SalvageReport) error {
	found := map[uint64]*salvaged{}
	revs := map[string][]byte{}
	seen := map[string][]byte{}
	feeds := map[string]*FeedState{}
	better := func(old, a *Article) bool {
		if old == nil {
			return true
		}
		if a.Revisions != old.Revisions {
			return a.Revisions > old.Revisions
		}
		return a.Fetched.After(old.Fetched) || a.RefetchStage > old.RefetchStage
	}
	err := scanPages(path, pageSize, func(k, v []byte) {
		switch {
		case len(k) == 8 && (bytes.HasPrefix(v, zstdMagic) || len(v) > 1 && (v[0] == splitValue || v[0] == splitValueS2)):
			id := binary.BigEndian.Uint64(k)
			if done[id] {
				return
			}
			meta, _, _, err := articleParts(v)
			if err != nil {
				return
			}
			js, err := z.decompress(meta)
			if err != nil || !json.Valid(js) || !bytes.HasPrefix(js, []byte("{")) {
				return // a raw page: the second pass
			}
			a, err := z.decodeArticle(k, v)
			if err != nil || a.URL == "" {
				return
			}
			if cur := found[id]; cur == nil || better(cur.a, a) {
				found[id] = &salvaged{a: a, v: bytes.Clone(v)}
			}
		case len(k) == 12 && bytes.HasPrefix(v, zstdMagic):
			if !done[binary.BigEndian.Uint64(k)] {
				revs[string(k)] = bytes.Clone(v)
			}
		case len(k) == 16 && bytes.HasPrefix(v, []byte(`{"feed":`)):
			if !done[binary.BigEndian.Uint64(k)] {
				seen[string(k)] = bytes.Clone(v)
			}
		case bytes.HasPrefix(v, []byte(`{"url":`)) && bytes.Contains(v, []byte(`"consecutive_failures"`)):
			fs := new(FeedState)
			if json.Unmarshal(v, fs) == nil && fs.URL == string(k) && rep.Feeds == 0 {
				if cur := feeds[fs.URL]; cur == nil || fs.LastPoll.After(cur.LastPoll) {
					feeds[fs.URL] = fs
				}
			}
		}
	})
	if err != nil {
		return fmt.Errorf("store: salvage: page scan: %w", err)
	}
	// Second pass: the raw pages of the articles found, told apart from
	// earlier versions by their size.
	if len(found) > 0 {
		err = scanPages(path, pageSize, func(k, v []byte) {
			if len(k) != 8 || !bytes.HasPrefix(v, zstdMagic) {
				return
			}
			s := found[binary.BigEndian.Uint64(k)]
			if s == nil || s.zraw != nil || s.a.RawSize == 0 {
				return
			}
			if raw, err := z.decompress(v); err == nil && len(raw) == s.a.RawSize && !json.Valid(raw) {
				s.zraw = bytes.Clone(v)
			}
		})
		if err != nil {
			return fmt.Errorf("store: salvage: page scan: %w", err)
		}
	}
	for k, v := range revs {
		if s := found[binary.BigEndian.Uint64([]byte(k))]; s != nil {
			s.revs = append(s.revs, []byte(k), v)
		}
	}
	for k, v := range seen {
		if s := found[binary.BigEndian.Uint64([]byte(k))]; s != nil {
			s.seen = append(s.seen, []byte(k), v)
		}
	}
	var batch []salvaged
	for id, s := range found {
		done[id] = true
		rep.Articles++
		rep.Scanned++
		rep.Revisions += len(s.revs) / 2
		rep.Sightings += len(s.seen) / 2
		if s.zraw != nil {
			rep.Raw++
		} else if s.a.RawSize > 0 {
			rep.lose("raw page of article %d (%s)", id, s.a.URL)
		}
		batch = append(batch, *s)
	}
	rep.Feeds += len(feeds)
	if out == nil {
		return nil
	}
	for len(batch) > 0 {
		n := min(len(batch), 200)
		if err := out.restore(batch[:n]); err != nil {
			return err
		}
		batch = batch[n:]
	}
	for _, fs := range feeds {
		if err := out.PutFeed(fs); err != nil {
			return fmt.Errorf("store: salvage: %w", err)
		}
	}
	if _, err := out.FlushIndex(0); err != nil {
		return fmt.Errorf("store: salvage: index: %w", err)
	}
	return nil
}
