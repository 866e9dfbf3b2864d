package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// export --out - writes to standard output the bytes export --out FILE
// writes to the file, and its manifest's sha256 is theirs.
func TestExportToStdout(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	in := importLines(t, dir, []importLine{
		{URL: "https://a.example/1", Outlet: "a", Title: "Korea talks", Text: "Troops near the border, officials said."},
		{URL: "https://b.example/2", Outlet: "b", Title: "Budget", Text: "The council approved the budget on Monday."},
	})
	bg := context.Background()
	if code, out, errs := cli(bg, "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	file := filepath.Join(dir, "all.jsonl")
	if code, out, errs := cli(bg, "export", "--db", db, "--out", file); code != 0 {
		t.Fatalf("export to a file: %s %s", out, errs)
	}
	want, _ := os.ReadFile(file)
	mpath := filepath.Join(dir, "stdout.manifest.json")
	code, out, errs := cli(bg, "export", "--db", db, "--out", "-", "--manifest", mpath)
	if code != 0 {
		t.Fatalf("export --out -: %s", errs)
	}
	if out != string(want) || len(want) == 0 {
		t.Errorf("standard output differs from the file export:\n%s\nwant\n%s", out, want)
	}
	if _, err := os.Stat(filepath.Join(".", "-")); err == nil {
		t.Error("export --out - wrote a file named -")
	}
	var m manifest
	b, err := os.ReadFile(mpath)
	if err != nil || json.Unmarshal(b, &m) != nil || len(m.Files) != 1 {
		t.Fatalf("manifest: %v %s", err, b)
	}
	sum := sha256.Sum256([]byte(out))
	if m.Files[0].SHA256 != hex.EncodeToString(sum[:]) || m.Files[0].Bytes != int64(len(out)) || m.Articles != 2 {
		t.Errorf("manifest %+v does not describe the %d bytes written", m.Files[0], len(out))
	}
	// Without --manifest, the manifest goes to standard error.
	if code, _, errs := cli(bg, "export", "--db", db, "--out", "-"); code != 0 || json.Unmarshal([]byte(errs), &m) != nil {
		t.Errorf("manifest on standard error: %d %s", code, errs)
	}
}
