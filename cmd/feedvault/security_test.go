package main

import (
	"context"
	"strings"
	"testing"
)

// A password in a feed URL is used to fetch, and appears in no log line
// and no output.
func TestFeedPasswordNeverShown(t *testing.T) {
	const secret = "hunter2"
	web := newNewsWeb(t)
	dir := t.TempDir()
	withPass := strings.Replace(web.URL, "http://", "http://alice:"+secret+"@", 1)
	cfg := writeConfig(t, dir, withPass+"/rss.xml", withPass+"/missing.xml")
	db := dir + "/a.db"
	t.Setenv("FEEDVAULT_LOG", "debug")
	ctx := context.Background()
	code, out, errs := cli(ctx, "run", "--config", cfg, "--db", db)
	if code == 0 || !strings.Contains(errs, "missing.xml") {
		t.Fatalf("run: exit %d, want a failed feed in the log:\n%s", code, errs)
	}
	outputs := map[string]string{"run stdout": out, "run log": errs}
	for _, args := range [][]string{
		{"feeds", "--config", cfg, "--db", db},
		{"feeds", "--config", cfg, "--db", db, "--format", "jsonl"},
		{"show", "--db", db, "--observations", "1"},
		{"show", "--db", db, "--observations", "--format", "json", "1"},
	} {
		code, out, errs := cli(ctx, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", args, code, errs)
		}
		outputs[strings.Join(args, " ")] = out + errs
	}
	for name, s := range outputs {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows the password:\n%s", name, s)
		}
	}
	if !strings.Contains(outputs["feeds --config "+cfg+" --db "+db], "xxxxx@") {
		t.Errorf("feeds does not list the redacted feed:\n%s", outputs["feeds --config "+cfg+" --db "+db])
	}
}
