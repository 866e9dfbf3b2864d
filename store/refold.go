package store

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/feedvault/feedvault/query"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"
)

// Schema 4 changed what a word is (query/words.go): a soft hyphen, word
// joiner or zero-width no-break space no longer splits a word, final
// sigma folds to sigma, words are in NFC, and a word is cut at
// query.MaxWordBytes. An archive of schema 3 holds the words of its
// articles as they were split before. refoldWords finds the articles
// whose words the change alters, takes the words they no longer hold
// out of the index, and marks them for FlushIndex, which adds their
// words as they are now. Until it runs, queries match them word by word
// (index.go), so no answer depends on when that happens. It runs in the
// writer's opening transaction, which no Loader shares: a mark it
// overwrites is a token of a Loader that is gone.
func refoldWords(tx *bolt.Tx, z *codec) error {
	idx, dirty := tx.Bucket(bIndex), tx.Bucket(bDirty)
	var ids [][]byte
	err := tx.Bucket(bArticles).ForEach(func(k, v []byte) error {
		a, err := z.decodeArticle(k, v)
		if err != nil {
			// check reports an article that does not decode; its words
			// were never indexed from it as it is now either.
			return nil
		}
		if !refoldChanges(a) {
			return nil
		}
		old, now := schema3Words(a), docWords(a)
		for term := range old {
			if _, ok := now[term]; ok {
				continue
			}
			if err := removePosting(idx, term, a.ID); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
		}
		if subset(now, old) {
			return nil
		}
		ids = append(ids, bytes.Clone(k))
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: re-split words: %w", err)
	}
	for _, k := range ids {
		if err := dirty.Put(k, nil); err != nil {
			return fmt.Errorf("store: re-split words: %w", err)
		}
	}
	return nil
}

// refoldChanges reports whether the change of schema 4 can alter a's
// words: a field holds a joiner or a final sigma, is not in NFC or not
// once lower-cased, or may hold a word longer than query.MaxWordBytes.
func refoldChanges(a *Article) (changes bool) {
	eachField(a, func(_ byte, s string) {
		changes = changes || query.HasJoiner([]byte(s)) || strings.ContainsRune(s, 'ς') || !norm.NFC.IsNormalString(s) || foldedRunChanges(s)
	})
	return changes
}

// foldedRunChanges reports whether s, lower-cased, may have a run of
// more than query.MaxWordBytes bytes that are ASCII letters or digits
// or not ASCII (every word that long is in such a run: lower-casing
// makes some letters longer, "Ⱥ" 2 bytes and "ⱥ" 3), or may not be in
// NFC although s is: a capital followed by a mark its small letter
// composes with ("J\u030c", "ǰ").
func foldedRunChanges(s string) bool {
	n, capital, folded := 0, false, false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII: no decoding
			i++
			if !isAlnum(c) {
				n, capital = 0, false
				continue
			}
			capital = 'A' <= c && c <= 'Z'
			if n++; n > query.MaxWordBytes {
				return true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if 0x400 <= r && r <= 0x45f { // basic Cyrillic: letters, 2 bytes lower-cased too
			capital = r < 0x430
			if n += 2; n > query.MaxWordBytes {
				return true
			}
			continue
		}
		if capital && !folded && unicode.IsMark(r) {
			if !norm.NFC.IsNormalString(strings.Map(query.Fold, s)) {
				return true
			}
			folded = true // s lower-cased is in NFC: once is enough
		}
		f := query.Fold(r)
		capital = f != r
		if n += utf8.RuneLen(f); n > query.MaxWordBytes {
			return true
		}
	}
	return false
}

// schema3Words are the index keys of a as schema 3 split it: runs of
// word runes, each lower-cased, with no joiners, folding or NFC.
func schema3Words(a *Article) map[string]struct{} {
	m := map[string]struct{}{}
	eachField(a, func(f byte, s string) {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !query.IsWordRune(r) }) {
			m[string(f)+strings.Map(unicode.ToLower, w)] = struct{}{}
		}
	})
	if a.Outlet != "" {
		m[outletKey(a.Outlet)] = struct{}{}
	}
	return m
}

// subset reports whether every key of a is in b.
func subset(a, b map[string]struct{}) bool {
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}
