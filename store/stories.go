package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Story grouping buckets, written by the stories package through
// Put (Article.FileStory), PutStory and PutStories, and created on first
// write. The filing itself is in stories_file.go.
var (
	bStorySig     = []byte("story_sig")     // id (8 BE) → MinHash signature (uint32 BE each)
	bStoryBand    = []byte("story_band")    // band (1) + band hash (8 BE) + id (8 BE) → nil
	bStory        = []byte("story")         // id (8 BE) → StoryInfo JSON
	bStoryMembers = []byte("story_members") // group (8 BE) + id (8 BE) → nil
	storyBuckets  = [][]byte{bStorySig, bStoryBand, bStory, bStoryMembers, bStoryRecent}
)

// MaxBandPeers caps the earlier articles read from one band bucket, the
// newest ones: a bucket that crowded is a stock phrase ("said in a
// statement on"), not a copy, and reading it all would make filing
// slower as the archive grows. Copies mostly arrive within days, and a
// copy shares many bands, so it is found through another one.
const MaxBandPeers = 16

// StoryInfo is an article's place in the story groups. Group is the id
// of the group's first article (its own id when it matched nothing);
// Similarity is the estimated resemblance to the member it joined by.
type StoryInfo struct {
	ID         uint64   `json:"id"`
	Group      uint64   `json:"group"`
	Similarity float64  `json:"similarity,omitempty"`
	Agencies   []string `json:"agencies,omitempty"`
}

// StoryEntry is what the stories package computed for one article.
type StoryEntry struct {
	ID       uint64
	Sig      []uint32 // nil: too little text to compare; only Agencies are kept
	Rows     int      // signature values per LSH band
	Agencies []string
}

// StoryCandidate is an earlier article that shares a band with a new one.
// Sig is valid while the choose function it is passed to runs.
type StoryCandidate struct {
	ID  uint64
	Sig []uint32
}

// StoryBands hashes each band of rows values of sig: two articles are
// compared when any band hash is equal.
func StoryBands(sig []uint32, rows int) []uint64 {
	if rows <= 0 {
		return nil
	}
	out := make([]uint64, 0, len(sig)/rows)
	for i := 0; i+rows <= len(sig); i += rows {
		h := uint64(14695981039346656037)
		for _, v := range sig[i : i+rows] {
			for s := 0; s < 32; s += 8 {
				h ^= uint64(byte(v >> s))
				h *= 1099511628211
			}
		}
		out = append(out, h)
	}
	return out
}

// encodeSig writes rows, then the signature values.
func encodeSig(sig []uint32, rows int) []byte {
	b := make([]byte, 1, 1+4*len(sig))
	b[0] = byte(rows)
	for _, v := range sig {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

func decodeSig(v []byte) (sig []uint32, rows int) {
	if len(v) == 0 {
		return nil, 0
	}
	rows, v = int(v[0]), v[1:]
	sig = make([]uint32, len(v)/4)
	for i := range sig {
		sig[i] = binary.BigEndian.Uint32(v[4*i:])
	}
	return sig, rows
}

func bandKey(band int, h, id uint64) []byte {
	k := make([]byte, 1, 17)
	k[0] = byte(band)
	k = binary.BigEndian.AppendUint64(k, h)
	return binary.BigEndian.AppendUint64(k, id)
}

func getStory(b *bolt.Bucket, id uint64) (StoryInfo, bool) {
	v := b.Get(u64(id))
	if v == nil {
		return StoryInfo{}, false
	}
	var si StoryInfo
	if json.Unmarshal(v, &si) != nil {
		return StoryInfo{}, false
	}
	return si, true
}

// Story returns what was filed for article id; ok is false when nothing was.
func (s *Store) Story(id uint64) (si StoryInfo, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bStory); b != nil {
			si, ok = getStory(b, id)
		}
		return nil
	})
	return si, ok, err
}

// StoryMembers lists the articles of a group, lowest id first.
func (s *Store) StoryMembers(group uint64) ([]uint64, error) {
	var out []uint64
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bStoryMembers)
		if b == nil {
			return nil
		}
		p := u64(group)
		c := b.Cursor()
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			out = append(out, binary.BigEndian.Uint64(k[8:]))
		}
		return nil
	})
	return out, err
}

// StoryGroups lists every group with at least min members: group id →
// member ids, lowest first.
func (s *Store) StoryGroups(min int) (map[uint64][]uint64, error) {
	out := map[uint64][]uint64{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bStoryMembers)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			g := binary.BigEndian.Uint64(k)
			out[g] = append(out[g], binary.BigEndian.Uint64(k[8:]))
			return nil
		})
	})
	for g, m := range out {
		if len(m) < min {
			delete(out, g)
		}
	}
	return out, err
}

// StoryFiled reports whether article id has been filed.
func (s *Store) StoryFiled(id uint64) (bool, error) {
	_, ok, err := s.Story(id)
	return ok, err
}

// ResetStories drops every story bucket, for a rebuild from scratch.
func (s *Store) ResetStories() error {
	defer s.recent.invalidate()
	return s.update(func(tx *bolt.Tx) error {
		for _, name := range storyBuckets {
			if tx.Bucket(name) == nil {
				continue
			}
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("store: reset stories: %w", err)
			}
		}
		return nil
	})
}

// ArticleIDs calls fn with each article id, lowest first, in pages read
// in short transactions so a long walk never holds the writer up.
func (s *Store) ArticleIDs(fn func(id uint64) error) error {
	var after []byte
	for {
		var page []uint64
		err := s.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bArticles).Cursor()
			k, _ := c.First()
			if after != nil {
				k, _ = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, _ = c.Next()
				}
			}
			for ; k != nil && len(page) < 512; k, _ = c.Next() {
				page = append(page, binary.BigEndian.Uint64(k))
			}
			return nil
		})
		if err != nil || len(page) == 0 {
			return err
		}
		for _, id := range page {
			if err := fn(id); err != nil {
				return err
			}
		}
		after = u64(page[len(page)-1])
	}
}

// UnfiledStories returns, in one short read, up to n ids of articles
// after id after (0: from the first) that have no story filed, lowest
// first; filed counts the filed articles it passed, and next is where
// the following call starts (0 when the archive is done).
func (s *Store) UnfiledStories(after uint64, n int) (ids []uint64, filed int, next uint64, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bArticles).Cursor()
		stories := tx.Bucket(bStory)
		k, _ := c.First()
		if after != 0 {
			k, _ = c.Seek(u64(after + 1))
		}
		for ; k != nil; k, _ = c.Next() {
			if len(ids) == n {
				next = binary.BigEndian.Uint64(k) - 1
				return nil
			}
			if stories != nil && stories.Get(k) != nil {
				filed++
				continue
			}
			ids = append(ids, binary.BigEndian.Uint64(k))
		}
		return nil
	})
	if err != nil {
		return nil, 0, 0, fmt.Errorf("store: unfiled stories: %w", err)
	}
	return ids, filed, next, nil
}
