package feedparse

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenView is what a golden file records of a parsed feed.
type goldenView struct {
	Type     string `json:"type"`
	Title    string `json:"title,omitempty"`
	Link     string `json:"link,omitempty"`
	Language string `json:"language,omitempty"`
	Charset  string `json:"charset"`
	Problem  string `json:"problem,omitempty"`
	Items    []Item `json:"items"`
}

// TestGolden parses each small feed in testdata (written for one
// behaviour each: time zones, date forms and languages, recovery,
// entities, charsets, identity, authors, categories, media, enclosures)
// and compares the result with its .golden.json. go test -update
// rewrites the golden files; review the diff before committing.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".xml")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			f, err := Parse(b, "")
			if err != nil {
				got = []byte("error: " + err.Error() + "\n")
			} else {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false) // keep markup readable in the golden files
				enc.SetIndent("", "  ")
				if err := enc.Encode(goldenView{f.Type, f.Title, f.Link, f.Language, f.Charset, f.Problem, f.Items}); err != nil {
					t.Fatal(err)
				}
				got = buf.Bytes()
			}
			golden := strings.TrimSuffix(path, ".xml") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", name, got, want)
			}
		})
	}
}
