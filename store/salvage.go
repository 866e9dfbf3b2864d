// Salvage: what can be read from a damaged archive, copied into a new one.

package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SalvageReport says what a damaged archive holds that can be read, and
// what cannot.
type SalvageReport struct {
	Header     Header `json:"header"`
	Damage     string `json:"damage,omitempty"` // why Open refuses the file; "" when it opens
	Articles   int    `json:"articles"`         // readable articles (copied, when there is a destination)
	Raw        int    `json:"raw_pages"`
	Revisions  int    `json:"revisions"`
	Sightings  int    `json:"sightings"`
	Feeds      int    `json:"feeds"`
	Unreadable int    `json:"unreadable_articles"` // ids whose article could not be read
	// Scanned articles were found only by reading the file page by page,
	// outside bbolt's tree: each may be an earlier version of its article.
	Scanned   int      `json:"from_page_scan"`
	Lost      []string `json:"lost,omitempty"` // what could not be read, first 100
	LostCount int      `json:"lost_count"`
}

func (r *SalvageReport) lose(format string, args ...any) {
	r.LostCount++
	if len(r.Lost) < 100 {
		r.Lost = append(r.Lost, fmt.Sprintf(format, args...))
	}
}

// salvaged is one article read from a damaged file, with all that hangs
// on its id.
type salvaged struct {
	a    *Article
	v    []byte   // its encoded value, as stored
	zraw []byte   // its raw page, compressed as stored
	revs [][]byte // key, value pairs of its revisions
	seen [][]byte // key, value pairs of its sightings
}

// Salvage reads every article, raw page, revision, sighting and feed
// state it can from the archive at src, which may be damaged, and, when
// dst is not "", writes them into a new archive at dst (which must not
// exist) under the same ids. Nothing is written to src. The report says
// what could not be read.
func Salvage(src, dst string) (rep SalvageReport, err error) {
	rep.Header, err = ReadHeader(src)
	if errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("store: salvage: %w: no archive there to recover from; give --db the damaged archive's path", err)
	}
	if err != nil {
		return rep, fmt.Errorf("store: salvage: %w", err)
	}
	if err := CheckFile(src); err != nil {
		rep.Damage = err.Error()
	}
	if rep.Header.Metas == 0 {
		rep.lose("the whole file: no valid bbolt header")
		return rep, nil
	}
	if heldByOther(src) {
		return rep, ErrBusy
	}
	var out *Store
	if dst != "" {
		if _, err := os.Lstat(dst); err == nil {
			return rep, fmt.Errorf("store: salvage: %s exists; name a new file", dst)
		}
		// The copy takes dst's name only when it is whole: a salvage that
		// fails half way (a full disk) leaves no archive that would pass
		// check holding part of what was readable.
		tmp := dst + ".partial"
		if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, fmt.Errorf("store: salvage: %w", err)
		}
		if out, err = Open(tmp, Options{}); err != nil {
			os.Remove(tmp)
			return rep, fmt.Errorf("store: salvage: %w", err)
		}
		defer func() {
			if cerr := out.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("store: salvage: %w", cerr)
			}
			if err == nil {
				if err = os.Rename(tmp, dst); err != nil {
					err = fmt.Errorf("store: salvage: %w", err)
				}
			}
			if err != nil {
				os.Remove(tmp)
			}
		}()
	}
	z, err := newCodec()
	if err != nil {
		return rep, err
	}
	defer z.close()
	var db *bolt.DB
	err = func() (err error) {
		defer guard(src, &err)()
		db, err = bolt.Open(src, 0o400, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		return err
	}()
	if errors.Is(err, bolterrors.ErrTimeout) {
		return rep, ErrBusy
	}
	done := map[uint64]bool{}
	if err != nil {
		rep.lose("the file through bbolt: %v", err)
		return rep, scanSalvage(z, src, rep.Header.PageSize, done, out, &rep)
	}
	defer db.Close()
	read := func(fn func(tx *bolt.Tx) error) (err error) {
		defer guard(src, &err)()
		return db.View(fn)
	}
	// A newer archive is not copied into this version's layout, which
	// would drop what the newer one added.
	var newer error
	if read(func(tx *bolt.Tx) error {
		if m := tx.Bucket(bMeta); m != nil && len(m.Get([]byte("schema"))) == 8 {
			newer = checkSchema(tx, src)
		}
		return nil
	}) == nil && newer != nil {
		return rep, newer
	}

	// The shard the archive held, if any, goes with its articles.
	if out != nil {
		var shard []byte
		if read(func(tx *bolt.Tx) error {
			if m := tx.Bucket(bMeta); m != nil {
				shard = bytes.Clone(m.Get(metaShard))
			}
			return nil
		}) == nil && len(shard) > 0 {
			if err := out.ClaimShard(string(shard)); err != nil {
				return rep, fmt.Errorf("store: salvage: %w", err)
			}
		}
	}

	// The highest id, from the articles bucket's sequence.
	var maxID uint64
	if err := read(func(tx *bolt.Tx) error {
		b := tx.Bucket(bArticles)
		if b == nil {
			return errors.New("no articles bucket")
		}
		maxID = b.Sequence()
		return nil
	}); err != nil {
		rep.lose("articles through bbolt: %v", err)
		return rep, scanSalvage(z, src, rep.Header.PageSize, done, out, &rep)
	}
	unread := map[uint64]error{} // ids bbolt could not read
	var batch []salvaged
	flush := func() error {
		if out == nil || len(batch) == 0 {
			batch = batch[:0]
			return nil
		}
		err := out.restore(batch)
		batch = batch[:0]
		return err
	}
	for id := uint64(1); id <= maxID; id++ {
		var s salvaged
		k := u64(id)
		err := read(func(tx *bolt.Tx) error {
			v := tx.Bucket(bArticles).Get(k)
			if v == nil {
				return nil
			}
			a, err := z.decodeArticle(k, v)
			if err != nil {
				return err
			}
			s.a, s.v = a, bytes.Clone(v)
			return nil
		})
		if err != nil {
			unread[id] = err
			continue // the page scan may find it
		}
		if s.a == nil {
			continue // no article has this id
		}
		rep.Articles++
		if err := read(func(tx *bolt.Tx) error {
			s.zraw = bytes.Clone(tx.Bucket(bRaw).Get(k))
			return nil
		}); err != nil {
			rep.lose("raw page of article %d: %v", id, err)
		} else if s.zraw != nil {
			rep.Raw++
		}
		for _, b := range []struct {
			name   []byte
			what   string
			into   *[][]byte
			keyLen int
			count  *int
		}{{bRevs, "revisions", &s.revs, 12, &rep.Revisions}, {bSeen, "sightings", &s.seen, 16, &rep.Sightings}} {
			var kvs [][]byte
			if err := read(func(tx *bolt.Tx) error {
				c := tx.Bucket(b.name).Cursor()
				for ck, cv := c.Seek(k); ck != nil && len(ck) == b.keyLen && bytes.Equal(ck[:8], k); ck, cv = c.Next() {
					kvs = append(kvs, bytes.Clone(ck), bytes.Clone(cv))
				}
				return nil
			}); err != nil {
				rep.lose("%s of article %d: %v", b.what, id, err)
				continue
			}
			*b.into = kvs
			*b.count += len(kvs) / 2
		}
		batch = append(batch, s)
		done[id] = true
		if len(batch) >= 200 {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	var feeds []*FeedState
	if err := read(func(tx *bolt.Tx) error {
		return tx.Bucket(bFeeds).ForEach(func(k, v []byte) error {
			fs := new(FeedState)
			if err := json.Unmarshal(v, fs); err != nil {
				rep.lose("feed state %q: %v", k, err)
				return nil
			}
			feeds = append(feeds, fs)
			return nil
		})
	}); err != nil {
		rep.lose("feed states (%d read): %v", len(feeds), err)
	}
	rep.Feeds = len(feeds)
	if out != nil {
		for _, fs := range feeds {
			if err := out.PutFeed(fs); err != nil {
				return rep, fmt.Errorf("store: salvage: %w", err)
			}
		}
	}
	if rep.Damage != "" || len(unread) > 0 || rep.LostCount > 0 {
		if err := scanSalvage(z, src, rep.Header.PageSize, done, out, &rep); err != nil {
			return rep, err
		}
		// What neither bbolt nor the page scan could read is lost, and
		// said so by id.
		var first error
		for id := uint64(1); id <= maxID; id++ {
			if err, ok := unread[id]; ok && !done[id] {
				if first == nil {
					first = err
					rep.lose("articles through bbolt: %v", err)
				}
				rep.Unreadable++
				rep.lose("article %d", id)
			}
		}
		return rep, nil
	}
	if out != nil {
		if _, err := out.FlushIndex(0); err != nil {
			return rep, fmt.Errorf("store: salvage: index: %w", err)
		}
	}
	return rep, nil
}

// restore writes salvaged articles under their own ids, with everything
// that points to them.
func (s *Store) restore(items []salvaged) error {
	err := s.update(func(tx *bolt.Tx) error {
		arts := tx.Bucket(bArticles)
		for _, it := range items {
			a := it.a
			if err := link(tx, a, it.v, it.zraw, plainMark()); err != nil {
				return err
			}
			if !a.RefetchAt.IsZero() {
				if err := tx.Bucket(bRefetch).Put(refetchKey(a.RefetchAt, a.ID), []byte{byte(a.RefetchStage)}); err != nil {
					return err
				}
			}
			for i := 0; i+1 < len(it.revs); i += 2 {
				if err := tx.Bucket(bRevs).Put(it.revs[i], it.revs[i+1]); err != nil {
					return err
				}
			}
			for i := 0; i+1 < len(it.seen); i += 2 {
				if err := tx.Bucket(bSeen).Put(it.seen[i], it.seen[i+1]); err != nil {
					return err
				}
			}
			if a.ID > arts.Sequence() {
				if err := arts.SetSequence(a.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: salvage: write: %w", err)
	}
	return nil
}
