package store

import bolt "go.etcd.io/bbolt"

// seqBucket returns a bucket keyed by article id. New ids come last, so
// its pages are filled to seqFill before they split, instead of half
// (bbolt's default, for keys in any order): a smaller file, fewer pages
// written per commit.
func seqBucket(tx *bolt.Tx, name []byte) *bolt.Bucket {
	b := tx.Bucket(name)
	if b != nil {
		b.FillPercent = seqFill
	}
	return b
}

const seqFill = 0.9
