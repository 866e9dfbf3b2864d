package store

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
)

// The full-text index lives in the archive: for each word, the sorted
// ids of the articles that hold it, in chunks keyed by
//
//	field byte ('w' title and text, 't' title, 'a' authors, 'o' outlet), word, 0x00, first id (8 BE)
//
// and valued as uvarint gaps from the first id. New articles go to a
// dirty list in the same transaction as the article; FlushIndex moves
// their words into the index in bulk. Queries match dirty articles word
// by word, so results never depend on when the flush ran, and an article
// committed before a crash is found after it.

const (
	fieldAny    = 'w'
	fieldTitle  = 't'
	fieldAuthor = 'a'
	fieldOutlet = 'o' // the outlet's whole name, lower case (schema 3)
	chunkMax    = 128 // ids in one new chunk: a page reads one chunk per question (lazylist.go); archives written before hold chunks of up to 2,048, and read alike
)

// keySplitter yields an article's index keys, once per occurrence, in
// buffers it reuses from article to article: the one place that says
// what the index holds of an article (docWords, PrepareMany).
type keySplitter struct {
	key, scratch []byte
}

// each calls fn with every index key of a (field byte + word, and the
// outlet's key); key is valid only during the call.
func (k *keySplitter) each(a *Article, fn func(key []byte)) {
	eachField(a, func(f byte, s string) {
		k.scratch = query.EachWord(s, k.scratch, func(w []byte) {
			k.key = append(append(k.key[:0], f), w...)
			fn(k.key)
		})
	})
	if a.Outlet != "" {
		k.key = append(k.key[:0], outletKey(a.Outlet)...)
		fn(k.key)
	}
}

// eachField calls add with each text of a whose words the index holds,
// and its field byte.
func eachField(a *Article, add func(f byte, s string)) {
	add(fieldAny, a.Title)
	add(fieldAny, a.Text)
	add(fieldTitle, a.Title)
	for _, au := range a.Authors {
		add(fieldAuthor, au)
	}
}

// docWords returns the index keys (field byte + word) of an article.
func docWords(a *Article) map[string]struct{} {
	m := make(map[string]struct{}, 256)
	var k keySplitter
	k.each(a, func(key []byte) {
		if _, ok := m[string(key)]; !ok { // the lookup does not allocate
			m[string(key)] = struct{}{}
		}
	})
	return m
}

// outletKey is the index key of an outlet: its whole name, lower case,
// as outlet: and --outlet name it (a superset for --outlet, which
// compares the case too).
func outletKey(outlet string) string {
	return string(rune(fieldOutlet)) + strings.ToLower(outlet)
}

func chunkKey(term string, first uint64) []byte {
	k := make([]byte, 0, len(term)+9)
	k = append(k, term...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, first)
}

func decodeChunk(k, v []byte) []uint64 { return appendChunk(nil, k, v) }

// appendChunk appends a chunk's ids to ids.
func appendChunk(ids []uint64, k, v []byte) []uint64 {
	first := binary.BigEndian.Uint64(k[len(k)-8:])
	ids = append(ids, first)
	cur := first
	for len(v) > 0 {
		d, n := binary.Uvarint(v)
		if n <= 0 {
			break
		}
		v = v[n:]
		cur += d
		ids = append(ids, cur)
	}
	return ids
}

// chunkTail returns a chunk's last id and how many ids it holds.
func chunkTail(k, v []byte) (last uint64, n int) {
	last = binary.BigEndian.Uint64(k[len(k)-8:])
	n = 1
	for len(v) > 0 {
		d, w := binary.Uvarint(v)
		if w <= 0 {
			break
		}
		v = v[w:]
		last += d
		n++
	}
	return last, n
}

func encodeChunk(ids []uint64) []byte {
	buf := make([]byte, 0, len(ids)*2)
	for i := 1; i < len(ids); i++ {
		buf = binary.AppendUvarint(buf, ids[i]-ids[i-1])
	}
	return buf
}

// putChunks writes ids (sorted) as chunks of term.
func putChunks(b *bolt.Bucket, term string, ids []uint64) error {
	for len(ids) > 0 {
		n := min(len(ids), chunkMax)
		if err := b.Put(chunkKey(term, ids[0]), encodeChunk(ids[:n])); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// addPostings adds sorted ids to term's postings.
func addPostings(b *bolt.Bucket, term string, ids []uint64) error {
	prefix := append([]byte(term), 0)
	c := b.Cursor()
	// The chunk that would hold ids[0]: the last chunk whose first id is <= it.
	k, v := c.Seek(chunkKey(term, ids[0]))
	if k == nil || !bytes.Equal(k, chunkKey(term, ids[0])) {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		// No chunk before ids[0]: merge with the first chunk, if any.
		k, v = c.Seek(prefix)
		if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
			return putChunks(b, term, ids)
		}
	}
	last, n := chunkTail(k, v)
	// Common case: every new id comes after the chunk (ids grow): append
	// their gaps to the chunk's bytes, without decoding it.
	if ids[0] > last {
		if nk, _ := c.Next(); nk == nil || !bytes.HasPrefix(nk, prefix) {
			// A chunk written before chunks held 128 ids may hold more:
			// it gets no room, and the ids start a chunk of their own.
			room := max(0, min(chunkMax-n, len(ids)))
			if room > 0 {
				nv := make([]byte, len(v), len(v)+room*2)
				copy(nv, v)
				for _, id := range ids[:room] {
					nv = binary.AppendUvarint(nv, id-last)
					last = id
				}
				if err := b.Put(bytes.Clone(k), nv); err != nil {
					return err
				}
			}
			return putChunks(b, term, ids[room:])
		}
	}
	// General case (an old article re-indexed): merge into this chunk,
	// one id at a time for ids below the next chunk.
	for _, id := range ids {
		if err := addOne(b, term, id); err != nil {
			return err
		}
	}
	return nil
}

func addOne(b *bolt.Bucket, term string, id uint64) error {
	prefix := append([]byte(term), 0)
	c := b.Cursor()
	want := chunkKey(term, id)
	k, v := c.Seek(want)
	if k != nil && bytes.Equal(k, want) {
		return nil // id is a chunk's first: present
	}
	k, v = c.Prev()
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		// before every chunk: start a new one, merged with the first if small
		return b.Put(want, nil)
	}
	ids := decodeChunk(k, v)
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	if i < len(ids) && ids[i] == id {
		return nil
	}
	ids = append(ids[:i], append([]uint64{id}, ids[i:]...)...)
	if err := b.Delete(k); err != nil {
		return err
	}
	return putChunks(b, term, ids)
}

// removePosting removes id from term's postings.
func removePosting(b *bolt.Bucket, term string, id uint64) error {
	prefix := append([]byte(term), 0)
	c := b.Cursor()
	want := chunkKey(term, id)
	k, v := c.Seek(want)
	if k == nil || !bytes.Equal(k, want) {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		return nil
	}
	ids := decodeChunk(k, v)
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	if i == len(ids) || ids[i] != id {
		return nil
	}
	ids = append(ids[:i], ids[i+1:]...)
	if err := b.Delete(k); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return putChunks(b, term, ids)
}

// unindex removes an indexed article's words.
func unindex(tx *bolt.Tx, a *Article) error {
	b := tx.Bucket(bIndex)
	for term := range docWords(a) {
		if err := removePosting(b, term, a.ID); err != nil {
			return err
		}
	}
	return nil
}

// FlushIndex moves the words of up to limit dirty articles into the
// index (0: all), in one transaction per batch. It returns how many it
// indexed.
func (s *Store) FlushIndex(limit int) (int, error) {
	done := 0
	for limit == 0 || done < limit {
		batch := 5000
		if limit > 0 {
			batch = min(batch, limit-done)
		}
		n := 0
		err := s.update(func(tx *bolt.Tx) error {
			n = 0
			dirty := tx.Bucket(bDirty)
			arts := tx.Bucket(bArticles)
			postings := map[string][]uint64{}
			var ids [][]byte
			c := dirty.Cursor()
			for k, _ := c.First(); k != nil && n < batch; k, _ = c.Next() {
				a, err := s.z.decodeArticle(k, arts.Get(k))
				if err == nil {
					for term := range docWords(a) {
						postings[term] = append(postings[term], a.ID) // ids ascend: the cursor walks them in order
					}
				}
				ids = append(ids, bytes.Clone(k))
				n++
			}
			if err := writePostings(tx.Bucket(bIndex), postings); err != nil {
				return err
			}
			for _, k := range ids {
				if err := dirty.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += n
		if n < batch {
			break
		}
	}
	return done, nil
}

// writePostings adds each term's ids, in key order (fewer pages touched).
func writePostings(idx *bolt.Bucket, postings map[string][]uint64) error {
	terms := make([]string, 0, len(postings))
	for t := range postings {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	for _, t := range terms {
		ids := postings[t]
		if !sort.SliceIsSorted(ids, func(i, j int) bool { return ids[i] < ids[j] }) {
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		}
		if err := addPostings(idx, t, dedupSorted(ids)); err != nil {
			return err
		}
	}
	return nil
}

// DirtyCount is how many articles wait for FlushIndex.
func (s *Store) DirtyCount() (n int, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bDirty).Stats().KeyN
		return nil
	})
	return n, err
}

// postings returns the sorted ids holding term (field byte + word), or,
// with prefix, any word starting with it.
func postings(b *bolt.Bucket, term string, prefix bool) []uint64 {
	c := b.Cursor()
	var out []uint64
	p := []byte(term)
	if !prefix {
		p = append(p, 0)
	}
	// Size the list once: a chunk holds at most len(v)+1 ids (a gap is
	// at least a byte). Growing a list of 400,000 ids step by step costs
	// more than decoding it, in copies and fresh pages.
	size := 0
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		size += len(v) + 1
	}
	out = make([]uint64, 0, size)
	multi := false
	var last []byte
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if len(k) < 9 {
			continue
		}
		word := k[:len(k)-9]
		if !prefix && len(word) != len(term) {
			continue
		}
		if last != nil && !bytes.Equal(last, word) {
			multi = true
		}
		last = word
		out = appendChunk(out, k, v)
	}
	if multi {
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		out = dedupSorted(out)
	}
	return out
}

// buildOutlets adds each outlet's indexed articles to the index, from
// docs (the migration to schema 3). Dirty articles get theirs when they
// are indexed.
func buildOutlets(tx *bolt.Tx) error {
	dirty := tx.Bucket(bDirty)
	lists := map[string][]uint64{}
	c := tx.Bucket(bDocs).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 || dirty.Get(k) != nil {
			continue
		}
		if o := parseDoc(v).outlet; o != "" {
			key := outletKey(o)
			lists[key] = append(lists[key], binary.BigEndian.Uint64(k)) // ascending: the cursor walks ids in order
		}
	}
	return writePostings(tx.Bucket(bIndex), lists)
}
