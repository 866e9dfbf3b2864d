// The archive's shard: an archive that one machine of several fills
// records which shard of the feeds it holds (config.Shard, as "k/N"),
// and refuses to be filled by any other.

package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ErrWrongShard means a writer asked to fill the archive with another
// shard of the feeds than the one it holds.
var ErrWrongShard = errors.New("store: the archive holds another shard of the feeds")

var metaShard = []byte("shard") // meta: "k/N", absent when unsharded

// ClaimShard checks that the archive is the one for shard (the "k/N" of
// --shard; "" for none) and records it in a new archive. It fails with
// ErrWrongShard when the archive holds another shard; when it holds
// articles or feeds polled without a shard and a shard is asked for; or
// when it holds a shard and none is asked for.
func (s *Store) ClaimShard(shard string) error {
	// Read first: the archive already right (every start but the first)
	// costs no write transaction.
	var need bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		need, err = s.checkShard(tx, shard)
		return err
	})
	if err != nil || !need {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		if need, err := s.checkShard(tx, shard); err != nil || !need {
			return err
		}
		return tx.Bucket(bMeta).Put(metaShard, []byte(shard))
	})
}

// checkShard reports whether shard must be recorded, or why the archive
// may not be filled as shard.
func (s *Store) checkShard(tx *bolt.Tx, shard string) (record bool, err error) {
	have := string(tx.Bucket(bMeta).Get(metaShard))
	switch {
	case have == shard:
		return false, nil
	case have != "" && shard == "":
		return false, fmt.Errorf("%w: %s is the archive of shard %s; run with --shard %s, or name another archive with --db",
			ErrWrongShard, s.path, have, have)
	case have != "":
		return false, fmt.Errorf("%w: %s is the archive of shard %s, not %s; name the archive of shard %s with --db",
			ErrWrongShard, s.path, have, shard, shard)
	case tx.Bucket(bDocs).Stats().KeyN > 0 || tx.Bucket(bFeeds).Stats().KeyN > 0:
		return false, fmt.Errorf("%w: %s was filled without --shard (it may hold every feed); a shard needs an archive of its own: name a new one with --db",
			ErrWrongShard, s.path)
	}
	return true, nil
}

// Shard is the shard the archive records ("k/N"), or "" when unsharded.
func (s *Store) Shard() (string, error) {
	var shard string
	err := s.view(func(tx *bolt.Tx) error {
		shard = string(tx.Bucket(bMeta).Get(metaShard))
		return nil
	})
	return shard, err
}
