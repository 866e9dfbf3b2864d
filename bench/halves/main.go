// Command halves prints the WCXB pages of one half of the split, one path
// a line, for scoring the CLI on it: go run ./halves tuning
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/feedvault/feedvault/extractor/quality"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: halves DIR tuning|validation")
		os.Exit(2)
	}
	files, _ := filepath.Glob(filepath.Join(os.Args[1], "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var m struct{ URL string }
		if json.Unmarshal(b, &m) != nil || m.URL == "" {
			continue
		}
		if quality.Half(m.URL) == os.Args[2] {
			fmt.Println(strings.TrimSuffix(f, ".json") + ".html")
		}
	}
}
