package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An article with no publication date is never counted on the day it was
// imported or seen: count shows it in an "undated" row (none with
// --seen), and query says so in the table and leaves published null.
func TestUndatedArticles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	lines := []importLine{
		{URL: "https://x.example/a", Outlet: "x", Title: "Dated", Published: "2024-10-28T09:00:00Z", Text: "Some text."},
		{URL: "https://x.example/b", Outlet: "x", Title: "Undated one", Text: "Some text."},
		{URL: "https://x.example/c", Outlet: "x", Title: "Undated two", Text: "Some text."},
	}
	var b strings.Builder
	for _, l := range lines {
		j, _ := json.Marshal(l)
		b.Write(j)
		b.WriteByte('\n')
	}
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli(ctx, "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	tests := []struct {
		name string
		args []string
		want func(string) bool
	}{
		{"count by day", []string{"count", "--by", "day", "--format", "csv"}, func(s string) bool { return s == "day,count\n2024-10-28,1\nundated,2\n" }},
		{"count by day --seen", []string{"count", "--by", "day", "--seen", "--format", "csv"}, func(s string) bool {
			return !strings.Contains(s, "undated") && strings.Count(s, "\n") == 2
		}},
		{"count table", []string{"count", "--by", "month", "--format", "table"}, func(s string) bool {
			return strings.Contains(s, "undated") && strings.Contains(s, "total")
		}},
		{"query table", []string{"query", "--format", "table", "--fields", "title,published"}, func(s string) bool {
			return strings.Count(s, "undated, seen ") == 2
		}},
		{"query jsonl", []string{"query", "--format", "jsonl", "--fields", "title,published"}, func(s string) bool {
			return strings.Count(s, `"published":null`) == 2
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := cli(ctx, append(tt.args, "--db", db)...)
			if code != 0 || !tt.want(out) {
				t.Errorf("exit %d, stderr %q, output:\n%s", code, errs, out)
			}
		})
	}
}
