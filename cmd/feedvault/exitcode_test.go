package main

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitStatusesMappedInOnePlace: every status but 0 comes from
// exitCode, the one mapping of errors to statuses (README, "Exit
// statuses"); a command returns fail(e, err), never exitPartial or
// exitFatal (or a number) itself. run's status on interruption came
// straight from cmdRun.
func TestExitStatusesMappedInOnePlace(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || fn.Name.Name == "exitCode" {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				ret, ok := n.(*ast.ReturnStmt)
				if !ok {
					return true
				}
				for _, r := range ret.Results {
					switch r := r.(type) {
					case *ast.Ident:
						if r.Name == "exitPartial" || r.Name == "exitFatal" {
							t.Errorf("%s: %s returns %s itself: return fail(e, err) (or exitCode(err)) instead", fset.Position(r.Pos()), fn.Name.Name, r.Name)
						}
					case *ast.BasicLit:
						if fn.Type.Results != nil && len(fn.Type.Results.List) == 1 && isInt(fn.Type.Results.List[0].Type) && r.Value != "0" {
							t.Errorf("%s: %s returns the status %s itself", fset.Position(r.Pos()), fn.Name.Name, r.Value)
						}
					}
				}
				checked++
				return true
			})
		}
	}
	if checked < 50 {
		t.Fatalf("only %d return statements found: is the test in the right directory?", checked)
	}
}

func isInt(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == "int" }

// TestRunInterruptedIsPartial: run stopped by SIGINT or SIGTERM keeps
// what it archived, says so, and exits 1 (through exitCode).
func TestRunInterruptedIsPartial(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "feeds.yaml")
	if err := os.WriteFile(cfg, []byte("outlets:\n  - name: o\n    feeds: [\"http://127.0.0.1:9/feed\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, errs := cli(ctx, "run", "--config", cfg, "--db", filepath.Join(dir, "a.db"))
	if code != exitPartial || !strings.Contains(errs, "feedvault: run interrupted; what was archived is kept") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// Every command stopped by SIGINT or SIGTERM exits 1, as run does (the
// README's table): what it finished is kept (import, reextract, stories
// backfill) or nothing was written (export). They exited 2, "could not
// run", which a cron job reads as a broken setup.
func TestInterruptedIsPartial(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	var lines []importLine
	for i := range 5 {
		lines = append(lines, importLine{URL: "https://a.example/" + string(rune('a'+i)), Outlet: "a", Title: "T", Text: "Words."})
	}
	in := importLines(t, dir, lines)
	if code, out, errs := cli(context.Background(), "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := [][]string{
		{"reextract", "--db", db},
		{"stories", "backfill", "--db", db},
		{"export", "--db", db, "--format", "jsonl", "--out", filepath.Join(dir, "x.jsonl")},
		{"export", "--db", db, "--format", "parquet", "--out", filepath.Join(dir, "pq")},
	}
	for _, args := range tests {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			code, _, errs := cli(ctx, args...)
			if code != exitPartial || !strings.Contains(errs, "interrupted") {
				t.Errorf("exit %d, want %d: %s", code, exitPartial, errs)
			}
		})
	}
	// import checks for the signal between batches of lines: a small
	// file is done before it looks; its error, as a big one gives it.
	err := fmt.Errorf("jsonl: x.jsonl: stopped at line 26001: interrupted: %w (the 26000 articles before it are archived)", context.Canceled)
	if code := exitCode(err); code != exitPartial {
		t.Errorf("an interrupted import: exit %d, want %d", code, exitPartial)
	}
}
