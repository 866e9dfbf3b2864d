package extractor

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// versionsFile records, for each extractor Version, a fingerprint of its
// output: the sha256 of the full results over the golden pages, and over
// the shared dev, appeal and seed pages when ../shared is present. Output
// that changes under the same Version fails TestVersionMeansOutput, so
// every archived extractor_version names one behaviour.
const versionsFile = "testdata/versions.txt"

var sharedFingerprintDirs = []string{
	"../../shared/testdata/extraction/dev",
	"../../shared/testdata/appeals",
	"../../shared/testdata/seed",
}

func fingerprint(t *testing.T, files []string) string {
	t.Helper()
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Extract(Input{Body: b, URL: "https://news.example.org/" + filepath.Base(f)})
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(r)
		fmt.Fprintf(h, "%s\n%s\n", filepath.Base(f), j)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func readVersions(t *testing.T) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	b, err := os.ReadFile(versionsFile)
	if err != nil {
		t.Fatalf("%v (create it with go test ./extractor -run VersionMeansOutput -update)", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		out[f[0]] = map[string]string{}
		for _, kv := range f[1:] {
			k, v, _ := strings.Cut(kv, "=")
			out[f[0]][k] = v
		}
	}
	return out
}

func TestVersionMeansOutput(t *testing.T) {
	golden, _ := filepath.Glob("testdata/*.html")
	got := map[string]string{"golden": fingerprint(t, golden)}
	var shared []string
	for _, d := range sharedFingerprintDirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.html"))
		shared = append(shared, files...)
	}
	if len(shared) > 0 {
		got["shared"] = fingerprint(t, shared)
	} else {
		t.Log("../shared is absent: only the golden pages are fingerprinted")
	}
	versions := readVersions(t)
	want, known := versions[Version]
	if !known {
		if *update {
			line := fmt.Sprintf("%s golden=%s", Version, got["golden"])
			if got["shared"] != "" {
				line += " shared=" + got["shared"]
			}
			f, err := os.OpenFile(versionsFile, os.O_APPEND|os.O_WRONLY, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fmt.Fprintln(f, line)
			return
		}
		t.Fatalf("extractor.Version %q has no line in %s: run go test ./extractor -run VersionMeansOutput -update", Version, versionsFile)
	}
	for k, v := range got {
		if w, ok := want[k]; ok && w != v {
			t.Errorf("the extractor's output on the %s pages changed (%s, recorded %s) but extractor.Version is still %q: "+
				"bump Version in extractor.go, then run go test ./extractor -run 'Golden|VersionMeansOutput' -update", k, v, w, Version)
		}
	}
}
