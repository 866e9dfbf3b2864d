package main

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A workbench open to the network without a token is refused, before
// anything is opened.
func TestServeRefusesNetworkWithoutToken(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("\n"), 0o600)
	// A token every local user can read guards nothing from them.
	readable := filepath.Join(dir, "readable-token")
	os.WriteFile(readable, []byte("0123456789abcdefgh\n"), 0o600)
	os.Chmod(readable, 0o644)
	writable := filepath.Join(dir, "writable-token")
	os.WriteFile(writable, []byte("0123456789abcdefgh\n"), 0o600)
	os.Chmod(writable, 0o620)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"serve all interfaces", []string{"serve", "--db", db, "--addr", "0.0.0.0:0"}, "without a token"},
		{"serve empty host", []string{"serve", "--db", db, "--addr", ":0"}, "without a token"},
		{"serve short token", []string{"serve", "--db", db, "--addr", "0.0.0.0:0", "--token", "abc"}, "too short"},
		{"serve empty token file", []string{"serve", "--db", db, "--addr", "0.0.0.0:0", "--token-file", tokenFile}, "is empty"},
		{"serve both", []string{"serve", "--db", db, "--addr", "0.0.0.0:0", "--token", "0123456789abcdefg", "--token-file", tokenFile}, "not both"},
		{"serve world-readable token file", []string{"serve", "--db", db, "--addr", "0.0.0.0:0", "--token-file", readable}, "chmod 600"},
		{"serve group-writable token file", []string{"serve", "--db", db, "--addr", "0.0.0.0:0", "--token-file", writable}, "chmod 600"},
		{"daemon all interfaces", []string{"daemon", "--config", writeConfig(t, dir, "http://127.0.0.1:1/rss"), "--db", db, "--http", "0.0.0.0:0"}, "without a token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := cli(context.Background(), tt.args...)
			if code != exitFatal || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, tt.want)
			}
		})
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused start created the archive: %v", err)
	}
}

// daemon --http serves the workbench through the daemon's socket while
// it polls, with the pipeline's metrics.
func TestDaemonHTTP(t *testing.T) {
	site := newNewsWeb(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, site.URL+"/rss.xml", site.URL+"/atom.xml")
	db := filepath.Join(dir, "archive.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	derr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"daemon", "--config", cfg, "--db", db, "--http", "127.0.0.1:0"}, nil, io.Discard, derr)
	}()
	re := regexp.MustCompile(`url=http://(127\.0\.0\.1:\d+)/`)
	var base string
	for i := 0; i < 400 && base == ""; i++ {
		if m := re.FindStringSubmatch(derr.String()); m != nil {
			base = "http://" + m[1]
		}
		time.Sleep(25 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("no workbench address; stderr:\n%s", derr.String())
	}
	fetch := func(path string) string {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	// Wait (by tries) for the first polls to be counted.
	var metrics string
	for i := 0; i < 400; i++ {
		metrics = fetch("/metrics")
		if strings.Count(metrics, `feedvault_polls_total{outlet="testtimes",result="ok"} 2`) == 1 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	for _, want := range []string{`feedvault_polls_total{outlet="testtimes",result="ok"} 2`, `feedvault_fetch_duration_seconds_count{kind="feed"} 2`,
		`feedvault_articles_archived_total{outlet="testtimes"}`, `feedvault_fetched_bytes_total{kind="page"}`, `feedvault_archive_articles`, `feedvault_page_fetches_in_flight`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
	if page := fetch("/attention?q=troops&by=day&measure=share"); !strings.Contains(page, `data-outlet="testtimes" data-count="1"`) {
		t.Errorf("attention through the socket lacks the troops article:\n%.2000s", page)
	}
	if page := fetch("/?q=troops"); !strings.Contains(page, "<mark>Troops</mark> gather near the border") {
		t.Errorf("search through the socket:\n%.2000s", page)
	}
	// The export download is the export command's output and manifest.
	zb := fetch("/export?format=jsonl&q=troops")
	zr, err := zip.NewReader(strings.NewReader(zb), int64(len(zb)))
	if err != nil || len(zr.File) != 2 {
		t.Fatalf("export zip: %v", err)
	}
	var m manifest
	rc, _ := zr.File[1].Open()
	json.NewDecoder(rc).Decode(&m)
	rc.Close()
	rc, _ = zr.File[0].Open()
	data, _ := io.ReadAll(rc)
	rc.Close()
	sum := sha256.Sum256(data)
	if m.Articles != 2 || m.PerOutlet["testtimes"] != 2 || m.Query != "troops" || m.Format != "jsonl" || len(m.Files) != 1 ||
		m.Files[0].SHA256 != hex.EncodeToString(sum[:]) || strings.Count(string(data), "\n") != 2 || !strings.Contains(string(data), `"title":"Troops gather near the border"`) {
		t.Errorf("export: manifest %+v, data:\n%s", m, data)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("daemon exit %d; stderr:\n%s", code, derr.String())
	}
}
