package main

import (
	"context"
	"strings"
	"testing"
)

// A misspelt flag is said in two lines, with the closest flag and where
// the flags are listed; the whole usage (sixty lines for query) buried it.
func TestBadFlagSaysWhatToDo(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"query", "--limt", "3"}, "feedvault query: did you mean --limit? 'feedvault query --help' lists its flags"},
		{[]string{"run", "--conifg", "x.yaml"}, "feedvault run: did you mean --config? 'feedvault run --help' lists its flags"},
		{[]string{"check", "--zzz"}, "feedvault check: 'feedvault check --help' lists its flags"},
		{[]string{"query", "--limit", "abc"}, "feedvault query: 'feedvault query --help' lists its flags"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := cli(context.Background(), tt.args...)
			if code != exitFatal {
				t.Errorf("exit %d, want %d", code, exitFatal)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q\nwant %q", errs, tt.want)
			}
			if strings.Contains(errs, "Examples:") || strings.Count(errs, "\n") > 2 || out != "" {
				t.Errorf("the whole usage is printed:\n%s%s", out, errs)
			}
		})
	}
	// --help still prints it all, to standard output.
	if code, out, _ := cli(context.Background(), "query", "--help"); code != 0 || !strings.Contains(out, "Examples:") {
		t.Errorf("query --help: exit %d, %d bytes", code, len(out))
	}
}
