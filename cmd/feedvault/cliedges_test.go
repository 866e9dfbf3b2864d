package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestParseQueryFlags: a query word that starts with '-' is a query
// word, not a flag, wherever it stands; flags and their values still
// parse, '--' still ends the flags, and a --typo is still an error.
func TestParseQueryFlags(t *testing.T) {
	tests := []struct {
		args    []string
		pos     []string
		outlet  string
		limit   int
		seen    bool
		wantErr bool
	}{
		{args: []string{"-korea"}, pos: []string{"-korea"}, limit: 50},
		{args: []string{"-korea", "--outlet", "meduza"}, pos: []string{"-korea"}, outlet: "meduza", limit: 50},
		{args: []string{"--outlet", "meduza", "-korea"}, pos: []string{"-korea"}, outlet: "meduza", limit: 50},
		{args: []string{"--outlet=meduza", "-korea", "troops", "-limit", "3"}, pos: []string{"-korea", "troops"}, outlet: "meduza", limit: 3},
		{args: []string{"--seen", "-korea"}, pos: []string{"-korea"}, seen: true, limit: 50},
		{args: []string{"--outlet", "-odd", "x"}, pos: []string{"x"}, outlet: "-odd", limit: 50}, // a flag's value may start with '-'
		{args: []string{"--", "-korea", "--outlet"}, pos: []string{"-korea", "--outlet"}, limit: 50},
		{args: []string{`-"north korea" troops`}, pos: []string{`-"north korea" troops`}, limit: 50},
		{args: []string{"-outlet x"}, pos: []string{"-outlet x"}, limit: 50}, // holds a space: a query
		{args: []string{"korea", "--outlte", "x"}, wantErr: true},
		{args: []string{"--limit"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			e := &env{stdout: &stderr, stderr: &stderr}
			fs := newFlags(e, "query", "help")
			var outlet string
			fs.StringVar(&outlet, "outlet", "", "")
			limit := fs.Int("limit", 50, "")
			seen := fs.Bool("seen", false, "")
			pos, err := parseQueryFlags(e, fs, tt.args)
			if tt.wantErr {
				if !errors.Is(err, errUsage) {
					t.Fatalf("err %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pos, tt.pos) || outlet != tt.outlet || *limit != tt.limit || *seen != tt.seen {
				t.Errorf("pos %q outlet %q limit %d seen %v; want %q %q %d %v", pos, outlet, *limit, *seen, tt.pos, tt.outlet, tt.limit, tt.seen)
			}
		})
	}
	// Commands without a query keep reporting an unknown flag as one.
	var stderr bytes.Buffer
	e := &env{stdout: &stderr, stderr: &stderr}
	fs := newFlags(e, "run", "help")
	if _, err := parseFlags(e, fs, []string{"-korea"}); !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), "-korea") {
		t.Errorf("run -korea: %v %q", err, stderr.String())
	}
	if pos, err := parseFlags(e, newFlags(e, "backup", "help"), []string{"--", "-a.db", "-b"}); err != nil || !slices.Equal(pos, []string{"-a.db", "-b"}) {
		t.Errorf("backup -- -a.db -b: %q %v", pos, err)
	}
}

// TestQueryStartingWithDash runs 'feedvault query -korea' end to end.
func TestQueryStartingWithDash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if code, _, errs := cli(ctx, "import", "--db", db, importFixture(t, dir)); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-korea"}, "kyiv.example/d1 yna.example/c1 meduza.example/b1"},
		{[]string{"-korea", "--outlet", "meduza"}, "meduza.example/b1"},
		{[]string{"--", "-korea"}, "kyiv.example/d1 yna.example/c1 meduza.example/b1"},
		{[]string{"-korea -troops"}, "yna.example/c1 meduza.example/b1"},
	}
	for _, tt := range tests {
		if got := ids(t, ctx, db, tt.args...); got != tt.want {
			t.Errorf("query %q: %s, want %s", tt.args, got, tt.want)
		}
	}
	code, out, errs := cli(ctx, "count", "-korea", "--db", db, "--by", "outlet", "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") != 3 || strings.Contains(out, "themoscowtimes") {
		t.Errorf("count -korea --by outlet: %d %q %q", code, out, errs)
	}
}
