package store

import (
	"encoding/json"
	"fmt"

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
	meta, body, err := articleParts(v)
	if err != nil {
		return nil, err
	}
	if body != nil && field != query.FieldAuthor {
		title, text, err := z.decodeBody(body)
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
// authors), without building the sequences: it follows every partial
// match at once as the words stream by.
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
