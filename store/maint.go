package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Stats are archive-wide counts.
type Stats struct {
	Articles   int `json:"articles"`
	Feeds      int `json:"feeds"`
	NotFetched int `json:"not_fetched"`
	Unindexed  int `json:"unindexed"`
	Revisions  int `json:"revisions"`
	// Shard is the shard of the feeds the archive holds, "k/N" (see
	// ClaimShard); empty when unsharded.
	Shard string `json:"shard,omitempty"`
}

// Stats counts the archive's articles and feeds.
func (s *Store) Stats() (Stats, error) {
	var st Stats
	err := s.view(func(tx *bolt.Tx) error {
		st.Articles = tx.Bucket(bDocs).Stats().KeyN
		st.Feeds = tx.Bucket(bFeeds).Stats().KeyN
		st.NotFetched = tx.Bucket(bPending).Stats().KeyN
		st.Unindexed = tx.Bucket(bDirty).Stats().KeyN
		st.Revisions = tx.Bucket(bRevs).Stats().KeyN
		st.Shard = string(tx.Bucket(bMeta).Get(metaShard))
		return nil
	})
	return st, err
}

// Backup writes a consistent copy of the whole archive to w, from one
// read transaction: writers go on meanwhile, and the copy holds every
// transaction committed before it started.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// BackupFile writes a consistent copy to path, through a temporary file
// renamed into place once complete and synced.
func (s *Store) BackupFile(path string) (int64, error) {
	if _, err := os.Stat(path); err == nil {
		return 0, fmt.Errorf("store: backup: %s exists; name a new file", path)
	}
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	n, err := s.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// Check verifies the file's page structure (bbolt's own check) and
// feedvault's invariants (see checkArticles), and returns the problems
// found. The pages are checked first, so that a damaged file gives an
// error before any article is decoded; the articles are then walked in
// short read transactions, so that a running daemon's writes never wait
// long behind a check.
func (s *Store) Check() ([]string, error) {
	pages, err := s.checkPages()
	if err != nil {
		return pages, err
	}
	problems, err := s.checkArticles(checkBatch, nil)
	return append(pages, problems...), err
}

// checkPages runs bbolt's own check of the page structure. bbolt's check
// is safe beside a writer only in a writable transaction (in a read, it
// compares the pages the read sees with the live freelist, which a
// writer changes under it): so a writable store checks in a transaction
// of the writer's own that changes nothing, and writes wait for it. A
// read-only store has no writer (the file lock excludes one) and checks
// in a read.
func (s *Store) checkPages() ([]string, error) {
	var out []string
	check := func(tx *bolt.Tx) error {
		// Every page reachable from the buckets is read here first, on
		// this goroutine, under the guard: bbolt's own check runs on a
		// goroutine of its own, where a damaged page would crash the
		// process instead of giving an error.
		if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walkBucket(b) }); err != nil {
			return err
		}
		for err := range tx.Check() { // drain the channel fully
			if len(out) < 100 {
				out = append(out, "bbolt: "+err.Error())
			}
		}
		return nil
	}
	if s.db.IsReadOnly() {
		return out, s.view(check)
	}
	err := s.update(func(tx *bolt.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		return errRollback
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return out, err
}

// errRollback ends a transaction that must change nothing.
var errRollback = errors.New("store: rollback")

// walkBucket reads every key of b and of the buckets nested in it.
func walkBucket(b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				return walkBucket(nb)
			}
		}
		return nil
	})
}

// Reindex rebuilds the full-text index from the articles: the index is
// dropped and every article is marked for FlushIndex, which runs next.
func (s *Store) Reindex() (int, error) {
	err := s.update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bIndex); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return err
		}
		if _, err := tx.CreateBucket(bIndex); err != nil {
			return err
		}
		// The days array is rebuilt from docs too.
		if err := tx.DeleteBucket(bDays); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return err
		}
		if _, err := tx.CreateBucket(bDays); err != nil {
			return err
		}
		if err := buildDays(tx); err != nil {
			return err
		}
		dirty := tx.Bucket(bDirty)
		return tx.Bucket(bDocs).ForEach(func(k, _ []byte) error { return dirty.Put(k, nil) })
	})
	if err != nil {
		return 0, fmt.Errorf("store: reindex: %w", err)
	}
	return s.FlushIndex(0)
}

// Compact rewrites the archive without its free pages. It waits for
// transactions in flight, holds every other caller while it works, and
// swaps the compacted file into place: a running daemon compacts its own
// archive this way. The compacted file is locked before it takes the
// archive's name, and stays locked as the archive: no other process can
// take the archive meanwhile, and one that was waiting for the old file
// finds it replaced (see Open). Through a symlink, the link's target is
// replaced and the link stays. It returns the sizes before and after.
func (s *Store) Compact() (before, after int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db.IsReadOnly() {
		return 0, 0, errors.New("store: compact: the archive is open read-only")
	}
	fi, err := os.Stat(s.real)
	if err != nil {
		return 0, 0, fmt.Errorf("store: compact: %w", err)
	}
	before = fi.Size()
	tmp := s.real + ".compact"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, 0, fmt.Errorf("store: compact: %w (the archive is unchanged)", err)
	}
	out, err := bolt.Open(tmp, fi.Mode().Perm(), &bolt.Options{Timeout: s.opt.Timeout})
	if err != nil {
		os.Remove(tmp) // bbolt leaves the file it could not start (a full disk)
		return 0, 0, fmt.Errorf("store: compact: %w (the archive is unchanged)", err)
	}
	abandon := func(err error) (int64, int64, error) {
		out.Close()
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("store: compact: %w (the archive is unchanged)", err)
	}
	if err := bolt.Compact(out, s.db, 64<<20); err != nil {
		return abandon(err)
	}
	if err := out.Sync(); err != nil {
		return abandon(err)
	}
	// The swap: out holds the lock on the new file as it takes the name.
	if err := os.Rename(tmp, s.real); err != nil {
		return abandon(err)
	}
	syncDir(filepath.Dir(s.real))
	old := s.db
	out.NoSync = s.opt.NoSync
	out.MaxBatchDelay = 2 * time.Millisecond
	s.db = out
	if fi, err := os.Stat(s.real); err == nil {
		after = fi.Size()
	}
	if err := old.Close(); err != nil {
		return before, after, fmt.Errorf("store: compact: done, but closing the old file: %w", err)
	}
	return before, after, nil
}

// syncDir makes a rename in dir durable; where directories cannot be
// synced, the rename is durable at the next sync of the file system.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// ForEach calls fn with every article of the outlets (all when empty),
// in id order, outside any transaction, loading them in pages so that a
// long fn does not hold a read transaction open.
func (s *Store) ForEach(outlets []string, fn func(*Article) error) error {
	want := map[string]bool{}
	for _, o := range outlets {
		want[o] = true
	}
	var after []byte
	for {
		var page []*Article
		err := s.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bArticles).Cursor()
			docs := tx.Bucket(bDocs)
			var k, v []byte
			if after == nil {
				k, v = c.First()
			} else {
				k, v = c.Seek(after)
				if k != nil && string(k) == string(after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(page) < 500; k, v = c.Next() {
				after = append(after[:0], k...)
				if len(want) > 0 && !want[parseDoc(docs.Get(k)).outlet] {
					continue
				}
				a, err := s.z.decodeArticle(k, v)
				if err != nil {
					return err
				}
				page = append(page, a)
			}
			if k == nil {
				after = nil
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, a := range page {
			if err := fn(a); err != nil {
				return err
			}
		}
		if after == nil {
			return nil
		}
	}
}
