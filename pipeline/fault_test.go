package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/fetcher"
	"github.com/feedvault/feedvault/store"
)

// The fault tests run `RunOnce` in a child process (this test binary,
// re-run with faultChildEnv set), so that a file-size limit
// (RLIMIT_FSIZE) fills "the disk" of that process only.
const faultChildEnv = "FEEDVAULT_FAULT_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(faultChildEnv) != "" {
		os.Exit(faultChild())
	}
	os.Exit(m.Run())
}

// faultChild runs one pass over the feeds in FEEDVAULT_FAULT_FEEDS into
// the archive FEEDVAULT_FAULT_DB, under a file-size limit of
// FEEDVAULT_FAULT_FSIZE bytes (none when unset), and prints its report.
func faultChild() int {
	if n, err := strconv.ParseUint(os.Getenv("FEEDVAULT_FAULT_FSIZE"), 10, 64); err == nil {
		// Go ignores SIGXFSZ: a write past the limit fails with EFBIG.
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			return 3
		}
	}
	st, err := store.Open(os.Getenv("FEEDVAULT_FAULT_DB"), store.Options{NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 3
	}
	rules, _ := extractor.Compile(extractor.Rules{})
	fc := fetcher.New(fetcher.Options{UserAgent: "feedvault-test", Timeout: 10 * time.Second})
	p := New(st, fc, Options{Outlets: []Outlet{{Name: "o", Interval: time.Hour, Rules: rules,
		Feeds: strings.Split(os.Getenv("FEEDVAULT_FAULT_FEEDS"), ",")}}})
	rep := p.RunOnce(context.Background())
	if err := st.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "close:", err)
	}
	json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

// faultSite serves feeds that answer 304 to their own ETag, and article
// pages of hardly compressible text.
func faultSite(t *testing.T, feeds, perFeed int) (srv *httptest.Server, feedURLs []string, articles []string) {
	t.Helper()
	return faultSiteCounting(t, feeds, perFeed, nil)
}

// faultSiteCounting is faultSite counting the article pages it serves in
// pages (nil: none).
func faultSiteCounting(t *testing.T, feeds, perFeed int, pages *atomic.Int64) (srv *httptest.Server, feedURLs []string, articles []string) {
	t.Helper()
	words := make([]string, 4000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range words {
		b := make([]byte, 3+r.IntN(8))
		for j := range b {
			b[j] = byte('a' + r.IntN(26))
		}
		words[i] = string(b)
	}
	para := func(seed uint64) string {
		r := rand.New(rand.NewPCG(seed, 7))
		var sb strings.Builder
		for p := 0; p < 12; p++ {
			sb.WriteString("<p>")
			for w := 0; w < 90; w++ {
				sb.WriteString(words[r.IntN(len(words))])
				sb.WriteByte(' ')
			}
			sb.WriteString("</p>\n")
		}
		return sb.String()
	}
	mux := http.NewServeMux()
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/feed/{f}", func(w http.ResponseWriter, r *http.Request) {
		f := r.PathValue("f")
		etag := `"feed-` + f + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>`+srv.URL+`/</link>`)
		for i := 0; i < perFeed; i++ {
			fmt.Fprintf(w, `<item><title>Story %s-%d</title><link>%s/a/%s-%d</link><guid>%s-%d</guid><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate></item>`,
				f, i, srv.URL, f, i, f, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/a/{id}", func(w http.ResponseWriter, r *http.Request) {
		if pages != nil {
			pages.Add(1)
		}
		id := r.PathValue("id")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>Story %s</title></head><body><article><h1>Story %s</h1>%s</article></body></html>`,
			id, id, para(uint64(len(id))*1000+uint64(id[len(id)-1])))
	})
	for f := 0; f < feeds; f++ {
		feedURLs = append(feedURLs, fmt.Sprintf("%s/feed/%d", srv.URL, f))
		for i := 0; i < perFeed; i++ {
			articles = append(articles, fmt.Sprintf("%s/a/%d-%d", srv.URL, f, i))
		}
	}
	return srv, feedURLs, articles
}

func runFaultChild(t *testing.T, db string, feeds []string, fsize int64) Report {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), faultChildEnv+"=1", "FEEDVAULT_FAULT_DB="+db,
		"FEEDVAULT_FAULT_FEEDS="+strings.Join(feeds, ","))
	if fsize > 0 {
		cmd.Env = append(cmd.Env, "FEEDVAULT_FAULT_FSIZE="+strconv.FormatInt(fsize, 10))
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child run: %v\n%s", err, stderr.String())
	}
	var rep Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("child report %q: %v\n%s", out, err, stderr.String())
	}
	return rep
}

// TestFullDiskLosesNothing fills the disk in the middle of a run, then
// gives it room again: every article the feeds listed must end up
// archived, with its page, and none twice. Before the fix the feeds kept
// their ETag after the failed run, answered 304, and the articles the
// full disk refused were never archived.
func TestFullDiskLosesNothing(t *testing.T) {
	_, feeds, listed := faultSite(t, 3, 40)
	dir := t.TempDir()

	// How big the whole archive gets, to set the limit at about half.
	full := filepath.Join(dir, "full.db")
	runFaultChild(t, full, feeds, 0)
	fi, err := os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	limit := fi.Size() / 5

	db := filepath.Join(dir, "a.db")
	start := time.Now()
	first := runFaultChild(t, db, feeds, limit)
	if first.NotArchived == 0 {
		t.Fatalf("the limit of %d bytes (archive %d) refused nothing: %+v", limit, fi.Size(), first)
	}
	// The report says why, so that run's summary can (a full disk).
	if !strings.Contains(first.ArchiveError, "file too large") {
		t.Errorf("report of the refused items: %q, want the store's error", first.ArchiveError)
	}
	// Then room again: runs until one archives nothing new and fails nothing.
	runs := 1
	for extra := 0; extra < 3; extra++ {
		rep := runFaultChild(t, db, feeds, 0)
		runs++
		if rep.NotArchived == 0 && rep.New == 0 {
			break
		}
	}
	t.Logf("first run (file size limit %d of %d bytes): new %d, not archived %d; %d runs in all (the last archived nothing new), %s",
		limit, fi.Size(), first.New, first.NotArchived, runs, time.Since(start).Round(time.Millisecond))

	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := map[string]int{}
	noPage := 0
	err = st.ForEach(nil, func(a *store.Article) error {
		got[a.URL]++
		if a.FetchError != "" || a.Text == "" {
			noPage++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, u := range listed {
		switch got[u] {
		case 0:
			missing++
		case 1:
		default:
			t.Errorf("%s archived %d times", u, got[u])
		}
	}
	total := 0
	for _, n := range got {
		total += n
	}
	t.Logf("listed %d, archived %d, missing %d, without page %d", len(listed), total, missing, noPage)
	if missing > 0 || total != len(listed) {
		t.Errorf("listed %d articles, archived %d (%d missing)", len(listed), total, missing)
	}
	if noPage > 0 {
		t.Errorf("%d articles archived without their page", noPage)
	}
}
