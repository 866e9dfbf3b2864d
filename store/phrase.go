package store

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"github.com/feedvault/feedvault/query"
)

// articleText is the part of an article a phrase is checked against.
type articleText struct {
	Title   string   `json:"title"`
	Text    string   `json:"text"`
	Authors []string `json:"authors"`
}

// decodeText decodes what a phrase in field needs of an article's value:
// from a two-frame value, the title and text frame alone (no JSON), or
// for an author: phrase, the JSON frame; from a one-frame value, the
// title, text and authors of the JSON.
func (z *codec) decodeText(v []byte, field string) (*articleText, error) {
	if v == nil {
		return nil, ErrNotFound
	}
	meta, body, kind, err := articleParts(v)
	if err != nil {
		return nil, err
	}
	if body != nil && field != query.FieldAuthor {
		title, text, err := z.decodeBody(body, kind)
		if err != nil {
			return nil, err
		}
		return &articleText{Title: title, Text: text}, nil
	}
	js, err := z.decompress(meta)
	if err != nil {
		return nil, fmt.Errorf("store: decode article: %w", err)
	}
	t := new(articleText)
	if err := json.Unmarshal(js, t); err != nil {
		return nil, fmt.Errorf("store: decode article: %w", err)
	}
	return t, nil
}

// hasPhrase reports whether the words of phrase stand side by side in
// one of the field's sequences (title and text are separate, as are
// authors), without building the sequences.
func (t *articleText) hasPhrase(field string, phrase []string, scratch []byte) bool {
	var seqs []string
	switch field {
	case query.FieldTitle:
		seqs = []string{t.Title}
	case query.FieldAuthor:
		seqs = t.Authors
	default:
		seqs = []string{t.Title, t.Text}
	}
	if simpleWords(phrase) {
		var low []byte
		for _, s := range seqs {
			low = append(low[:0], s...)
			found, ok := hasSimplePhrase(low, phrase)
			if found || !ok && slowHasPhrase([]string{s}, phrase, scratch) {
				return true
			}
		}
		return false
	}
	return slowHasPhrase(seqs, phrase, scratch)
}

// slowHasPhrase follows every partial match at once as the words of
// seqs stream by.
func slowHasPhrase(seqs, phrase []string, scratch []byte) bool {
	active := make([]int, 0, len(phrase)) // words matched so far, per partial match
	next := make([]int, 0, len(phrase))
	for _, s := range seqs {
		active = active[:0]
		found := false
		scratch = query.EachWord(s, scratch, func(w []byte) {
			if found {
				return
			}
			next = next[:0]
			for _, k := range append(active, 0) {
				if string(w) == phrase[k] {
					if k+1 == len(phrase) {
						found = true
						return
					}
					next = append(next, k+1)
				}
			}
			active, next = next, active
		})
		if found {
			return true
		}
	}
	return false
}

// phrase intersects the words' postings, keeps the candidates w keeps
// (evalIn), then checks each one's text for the words side by side.
func (e *evaluator) phrase(n *query.Node, w *within) []uint64 {
	var ids []uint64
	for i, w := range n.Words {
		p := e.term(&query.Node{Op: query.OpTerm, Field: n.Field, Words: []string{w}})
		if i == 0 {
			ids = p
		} else {
			ids = intersect(ids, p)
		}
		if len(ids) == 0 {
			return nil
		}
	}
	if ids = w.keep(ids); len(ids) == 0 {
		return nil
	}
	e.textChecks += len(ids)
	// Check the candidates on every core. Through the memory map, the
	// values are looked up here (bbolt's transaction is not for several
	// goroutines) and point into the map, valid while the transaction is
	// open. With pread, each worker reads its own; one whose read fails
	// leaves its candidate to the memory map, after.
	var vals [][]byte
	if preadOf(e.arts, e.file, e.pageSize) == nil {
		vals = make([][]byte, len(ids))
		for i, id := range ids {
			if e.dirtyDocs[id] == nil {
				vals[i] = e.arts.Get(u64(id))
			}
		}
	}
	ok := make([]bool, len(ids))
	unread := make([]bool, len(ids))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r *preadBucket
			if vals == nil {
				r = preadOf(e.arts, e.file, e.pageSize)
			}
			var buf []byte // the text, decompressed
			for i := wk; i < len(ids); i += workers {
				if d := e.dirtyDocs[ids[i]]; d != nil {
					ok[i] = containsRun(d.words(n.Field), n.Words)
					continue
				}
				var v []byte
				switch {
				case vals != nil:
					v = vals[i]
				case r == nil:
					unread[i] = true // no reader after all: the map, after
					continue
				default:
					var err error
					if v, err = r.get(u64(ids[i])); err != nil {
						unread[i] = true
						continue
					}
				}
				var err error
				if ok[i], buf, err = e.z.hasPhraseIn(v, n.Field, n.Words, buf); err != nil {
					ok[i] = false // an undecodable article matches no phrase
				}
			}
		}()
	}
	wg.Wait()
	var buf []byte
	for i, id := range ids {
		if unread[i] {
			var err error
			if ok[i], buf, err = e.z.hasPhraseIn(e.arts.Get(u64(id)), n.Field, n.Words, buf); err != nil {
				ok[i] = false
			}
		}
	}
	var out []uint64
	for i, id := range ids {
		if ok[i] {
			out = append(out, id)
		}
	}
	return out
}

func containsRun(words, run []string) bool {
outer:
	for i := 0; i+len(run) <= len(words); i++ {
		for j, w := range run {
			if words[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}
