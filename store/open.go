// Opening an archive: the file is checked before bbolt maps it, and a
// writer makes sure the file it locked is the one at the path.

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// view, update and batch run fn in a transaction. A damaged file can make
// bbolt panic or fault while it walks pages; that becomes an error
// wrapping ErrDamaged instead of a crash.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	defer guard(s.path, &err)()
	return s.db.View(fn)
}

func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	defer guard(s.path, &err)()
	return s.db.Update(fn)
}

func (s *Store) batch(fn func(*bolt.Tx) error) (err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	defer guard(s.path, &err)()
	return s.db.Batch(fn)
}

// guard turns a panic or a memory fault (a page past the end of a
// truncated file) on this goroutine into an error. Use as
// defer guard(path, &err)().
func guard(path string, err *error) func() {
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			*err = &damageError{path: path, what: fmt.Sprint(r)}
		}
	}
}

// damageError is a damaged page met while reading: what bbolt found, and
// what to do.
type damageError struct{ path, what string }

func (e *damageError) Error() string {
	return e.Detail() + " (run `feedvault check`, then `feedvault recover`)"
}

// Detail is the error without its advice, for check, which gives its own.
func (e *damageError) Detail() string {
	return fmt.Sprintf("store: %s: %v: %s", e.path, ErrDamaged, e.what)
}

func (e *damageError) Unwrap() error { return ErrDamaged }

// DamageDetail is err's message without the advice to run check and
// recover, for check itself.
func DamageDetail(err error) string {
	var d *damageError
	if errors.As(err, &d) {
		return d.Detail()
	}
	return err.Error()
}

// Open opens (and for a writer, creates) the archive at path. Through a
// symlink, the link stays and its target is the archive.
func Open(path string, opt Options) (s *Store, err error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	real, err := resolve(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !opt.ReadOnly:
		// a new archive
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("store: %w (no archive yet: run `feedvault run` first)", err)
	case err != nil:
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// A damaged file is refused before bbolt maps it. A writer at work
	// can leave the file short for a moment (bbolt truncates, then
	// writes pages): a file another process holds is not judged until
	// its lock is ours (openLocked checks again).
	if err := CheckFile(real); err != nil && !errors.Is(err, fs.ErrNotExist) && !heldByOther(real) {
		return nil, err
	}
	deadline := time.Now().Add(opt.Timeout)
	var db *bolt.DB
	var file *os.File
	for {
		db, file, err = openLocked(real, opt, time.Until(deadline))
		if !errors.Is(err, errSwapped) {
			break
		}
		if time.Now().After(deadline) {
			return nil, ErrBusy
		}
	}
	if err != nil {
		return nil, err
	}
	db.NoSync = opt.NoSync
	// Batch waits this long for company before it commits: enough for
	// concurrent page workers to share an fsync, short for a lone writer.
	db.MaxBatchDelay = 2 * time.Millisecond
	z, err := newCodec()
	if err != nil {
		db.Close()
		return nil, err
	}
	after := opt.RefetchAfter
	if after == nil {
		after = DefaultRefetchAfter()
	}
	s = &Store{db: db, path: path, real: real, opt: opt, z: z, refetchAfter: after, page: defaultPageTuning}
	if opt.ReadOnly {
		// Nothing writes the file while this reader holds its shared
		// lock, and the file is bbolt's own descriptor.
		s.pread, s.pageSize = file, db.Info().PageSize
		err = s.view(func(tx *bolt.Tx) error { return checkSchema(tx, path) })
	} else {
		err = s.update(func(tx *bolt.Tx) error {
			for _, name := range allBucket {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			m := tx.Bucket(bMeta)
			if m.Get([]byte("schema")) == nil {
				if tx.Bucket(bArticles).Stats().KeyN > 0 {
					return fmt.Errorf("store: %s has articles but no schema version", path)
				}
				return m.Put([]byte("schema"), u64(SchemaVersion))
			}
			if err := checkSchema(tx, path); err != nil {
				return err
			}
			return migrate(tx, path, z, opt.Logger)
		})
	}
	if err != nil {
		db.Close()
		z.close()
		return nil, err
	}
	return s, nil
}

// openError says why the file at path could not be opened, and what to
// do: os's own error names the path once ("open a.db: permission
// denied"), and a writer that cannot create the archive is told why.
func openError(path string, readOnly bool, err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != path {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	switch dir := filepath.Dir(path); {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: %w: the directory %s does not exist; create it (mkdir -p %s), or give --db a path in an existing directory", err, dir, dir)
	case errors.Is(err, fs.ErrPermission) && readOnly:
		return fmt.Errorf("store: %w: this user may not read the archive; check its owner and mode (ls -l %s)", err, path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("store: %w: this user may not open the archive (or create it in %s); check their owner and mode (ls -l), or give --db a path this user can write", err, dir)
	}
	return fmt.Errorf("store: %w", err)
}

// resolve follows path's symlinks, also to a file that does not exist
// yet: the result names the file itself (its err is fs.ErrNotExist when
// there is none).
func resolve(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if err != nil {
			return path, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return path, err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return path, fmt.Errorf("%s: too many levels of symbolic links", path)
}

// errSwapped means the file locked is no longer the one at the path: a
// compaction replaced it while we waited for its lock.
var errSwapped = errors.New("store: the archive file was replaced while waiting for its lock")

// openLocked opens path with bbolt, waiting up to timeout for its lock,
// and checks that the file it locked is still the file at path. A
// process that waited while a compaction swapped the file would
// otherwise write into the deleted old file, where no one sees it. It
// returns bbolt's own descriptor of the file too (pread.go reads from it).
func openLocked(path string, opt Options, timeout time.Duration) (db *bolt.DB, file *os.File, err error) {
	defer guard(path, &err)()
	if !opt.ReadOnly {
		if err := walkWithoutFreelist(path, timeout); err != nil {
			return nil, nil, err
		}
	}
	var f *os.File
	bo := &bolt.Options{Timeout: max(timeout, time.Millisecond), ReadOnly: opt.ReadOnly,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			var err error
			f, err = os.OpenFile(name, flag, perm)
			return f, err
		}}
	db, err = bolt.Open(path, 0o600, bo)
	if err != nil {
		switch {
		case errors.Is(err, bolterrors.ErrTimeout):
			return nil, nil, ErrBusy
		case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrChecksum):
			return nil, nil, fmt.Errorf("store: %s: %w: not a feedvault archive, or its header is damaged: %w", path, ErrDamaged, err)
		}
		return nil, nil, openError(path, opt.ReadOnly, err)
	}
	locked, err := f.Stat()
	if err == nil {
		var atPath os.FileInfo
		atPath, err = os.Stat(path)
		if err == nil && !os.SameFile(locked, atPath) {
			err = errSwapped
		}
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	// The file may have been damaged by the time we hold its lock.
	if err := CheckFile(path); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, f, nil
}

// walkWithoutFreelist reads every bucket of the file at path, when its
// meta keeps no free-page list, on this goroutine (the caller's guard
// turns a damaged page into ErrDamaged). A writer's bbolt rebuilds that
// list by walking the pages on a goroutine of its own (v1.5.0), where a
// damaged page would crash the process.
func walkWithoutFreelist(path string, timeout time.Duration) error {
	if h, err := ReadHeader(path); err != nil || h.Metas == 0 || h.Freelist != noFreelist {
		return nil // a new file, or one bbolt judges as it opens it
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: max(timeout, time.Millisecond)})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return ErrBusy
	}
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walkBucket(b) })
	})
}
