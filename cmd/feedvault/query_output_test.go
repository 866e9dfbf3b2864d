package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/feedvault/feedvault/jsonl"
	"github.com/feedvault/feedvault/store"
)

// jsonl --fields writes, for each article, an object of the columns asked
// for (each once, keys sorted), each value as the article's whole row
// holds it, null where the row leaves it out; words counts the text's words.
func TestJSONLColumnsAreTheRowsFields(t *testing.T) {
	at := time.Date(2024, 10, 1, 9, 30, 0, 0, time.UTC)
	arts := []*store.Article{
		{ID: 7, URL: "https://x.org/a?b=1&c=<2>", Outlet: "x", Title: "Ünïcode \"quoted\"", Authors: []string{"A B"},
			Published: at, RawSize: 10, Headers: map[string]string{"ETag": `"1"`}, Text: "one two\tthree\nfour"},
		{ID: 8, URL: "https://x.org/b"}, // most fields empty
	}
	cols := []string{"url", "words", "raw_size", "feed", "id", "url", "published", "headers", "title", "authors", "text"}
	var out bytes.Buffer
	if err := formatArticles(&out, "jsonl", cols, arts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(arts) {
		t.Fatalf("%d lines for %d articles:\n%s", len(lines), len(arts), out.String())
	}
	for i, a := range arts {
		whole, err := json.Marshal(jsonl.FromArticle(a))
		if err != nil {
			t.Fatal(err)
		}
		var row, got map[string]json.RawMessage
		json.Unmarshal(whole, &row)
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i, err, lines[i])
		}
		if n := strings.Count(lines[i], `"url":`); n != 1 {
			t.Errorf("line %d has the column url %d times: %s", i, n, lines[i])
		}
		if len(got) != 10 {
			t.Errorf("line %d has %d keys, want the 10 distinct columns: %s", i, len(got), lines[i])
		}
		for _, c := range cols {
			want := string(row[c])
			switch {
			case c == "words":
				want = `"` + map[int]string{0: "4", 1: "0"}[i] + `"`
			case want == "":
				want = "null"
			}
			var g, w any
			json.Unmarshal(got[c], &g)
			json.Unmarshal([]byte(want), &w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("article %d, %s: %s, want %s", i, c, got[c], want)
			}
		}
		if strings.Contains(lines[i], `\u0026`) {
			t.Errorf("HTML characters escaped: %s", lines[i])
		}
		if idx := strings.Index(lines[i], `"authors"`); idx > strings.Index(lines[i], `"words"`) {
			t.Errorf("keys not sorted: %s", lines[i])
		}
	}
}

// writesRecorder records each write it gets.
type writesRecorder struct{ writes [][]byte }

func (r *writesRecorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, bytes.Clone(p))
	return len(p), nil
}

// A page for a terminal reaches its escaping in one write, so no
// character is cut in two (a cut one would be shown escaped); a page
// for a pipe is buffered, not written a row at a time.
func TestArticlesReachTheirWriterWhole(t *testing.T) {
	var arts []*store.Article
	for i := range 2000 {
		arts = append(arts, &store.Article{ID: uint64(i), URL: "https://x.org/" + strings.Repeat("é—", i%7)})
	}
	for _, format := range []string{"csv", "jsonl", "table", "text"} {
		t.Run(format, func(t *testing.T) {
			rec := &writesRecorder{}
			if err := writeArticles(termWriter{rec}, format, []string{"id", "url"}, arts); err != nil {
				t.Fatal(err)
			}
			if len(rec.writes) != 1 {
				t.Errorf("a terminal got the page in %d writes, want 1", len(rec.writes))
			}
			for _, w := range rec.writes {
				if !utf8.Valid(w) || bytes.Contains(w, []byte(`\x8`)) || bytes.Contains(w, []byte(`\x9`)) {
					t.Errorf("a terminal got a cut or escaped character")
				}
			}
			pipe := &writesRecorder{}
			if err := writeArticles(pipe, format, []string{"id", "url"}, arts); err != nil {
				t.Fatal(err)
			}
			if len(pipe.writes) > len(arts)/10 {
				t.Errorf("a pipe got %d writes for %d articles", len(pipe.writes), len(arts))
			}
		})
	}
}
