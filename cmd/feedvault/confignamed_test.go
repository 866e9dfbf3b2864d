package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// A config file that does not exist says who named it, and what to do;
// $FEEDVAULT_CONFIG set in a profile and forgotten was not named.
func TestMissingConfigSaysWhoNamedIt(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.yaml")
	tests := []struct {
		name, env string
		args      []string
		want      string
	}{
		{"flag", "", []string{"run", "--db", filepath.Join(dir, "a.db"), "--config", missing}, "give --config an existing file"},
		{"env", missing, []string{"run", "--db", filepath.Join(dir, "a.db")}, "$FEEDVAULT_CONFIG names it: correct or unset it, or give --config FILE"},
		{"env, feeds", missing, []string{"feeds", "--db", filepath.Join(dir, "a.db")}, "$FEEDVAULT_CONFIG names it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FEEDVAULT_CONFIG", tt.env)
			code, _, errs := cli(context.Background(), tt.args...)
			if code != exitFatal || !strings.Contains(errs, missing) || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q\nwant %q", code, errs, tt.want)
			}
		})
	}
}

// A FEEDVAULT_LOG that is not a level is said, not silently taken as info.
func TestLogLevel(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{{"debug", true}, {"WARN", true}, {"", true}, {"info", true}, {"verbose", false}} {
		if _, ok := logLevel(tt.in); ok != tt.ok {
			t.Errorf("logLevel(%q) ok = %v", tt.in, ok)
		}
	}
}
