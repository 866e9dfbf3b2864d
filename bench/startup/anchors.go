package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// An anchor is a hello world that links more of what feedvault links, so
// that one run shows what the floor is: what linking net/http costs (cgo
// on, as go build does by default here: the dynamic loader and libc), the
// fixed choices, and every package feedvault links without any of its
// own. Their package inits all run; main only prints "hello".
type anchor struct {
	name    string
	imports func(root string) ([]string, error)
}

var anchors = []anchor{
	{"hello + net/http", func(string) ([]string, error) { return []string{"net/http"}, nil }},
	{"hello + fixed choices", func(string) ([]string, error) {
		return []string{"net/http", "github.com/PuerkitoBio/goquery", "github.com/mmcdole/gofeed", "go.etcd.io/bbolt", "go.yaml.in/yaml/v3"}, nil
	}},
	{"hello + all deps", allDeps},
}

// allDeps is every package cmd/feedvault links that a program outside
// feedvault may import: none of feedvault's own, no internal or vendored
// package (the packages that import those link them anyway).
func allDeps(root string) ([]string, error) {
	cmd := exec.Command("go", "list", "-deps", "./cmd/feedvault")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps ./cmd/feedvault: %w\n%s", err, stderr.Bytes())
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		switch {
		case p == "main", p == "unsafe", p == "C", p == "runtime/cgo", p == "fmt",
			strings.HasPrefix(p, "github.com/feedvault/feedvault"), strings.HasPrefix(p, "vendor/"),
			strings.Contains(p, "internal"):
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// buildAnchors writes each anchor as a module beside the hello world,
// with feedvault's go.mod and go.sum (so the same versions are linked),
// and builds it. It returns the targets in the order of anchors.
func buildAnchors(tmp, root string, build func(dir, out, pkg string) error) ([]*target, error) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("anchors: %w", err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return nil, fmt.Errorf("anchors: %w", err)
	}
	lines := strings.SplitN(string(mod), "\n", 2)
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "module ") {
		return nil, fmt.Errorf("anchors: %s/go.mod does not begin with its module line", root)
	}
	mod = []byte("module anchor\n" + lines[1])
	var targets []*target
	for i, a := range anchors {
		imports, err := a.imports(root)
		if err != nil {
			return nil, err
		}
		var src strings.Builder
		src.WriteString("package main\n\nimport (\n\t\"fmt\"\n")
		for _, p := range imports {
			fmt.Fprintf(&src, "\t_ %q\n", p)
		}
		src.WriteString(")\n\nfunc main() { fmt.Println(\"hello\") }\n")
		dir := filepath.Join(tmp, fmt.Sprintf("anchor%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		for name, b := range map[string][]byte{"go.mod": mod, "go.sum": sum, "main.go": []byte(src.String())} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				return nil, err
			}
		}
		out := filepath.Join(tmp, fmt.Sprintf("anchor%d-bin", i))
		if err := build(dir, out, "."); err != nil {
			return nil, fmt.Errorf("anchor %s: %w", a.name, err)
		}
		targets = append(targets, &target{name: a.name, argv: []string{out}})
	}
	return targets, nil
}
