package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/feedvault/feedvault/query"
)

// TestMain lets the crash tests run this binary as a writer child.
func TestMain(m *testing.M) {
	switch os.Getenv("STORE_TEST_CHILD") {
	case "writer":
		os.Exit(childWriter(os.Getenv("STORE_TEST_DB"), 0))
	case "fsize":
		limit, _ := strconv.ParseUint(os.Getenv("STORE_TEST_FSIZE"), 10, 64)
		os.Exit(childWriter(os.Getenv("STORE_TEST_DB"), limit))
	case "compact":
		limit, _ := strconv.ParseUint(os.Getenv("STORE_TEST_FSIZE"), 10, 64)
		os.Exit(childCompact(os.Getenv("STORE_TEST_DB"), limit))
	case "salvage":
		limit, _ := strconv.ParseUint(os.Getenv("STORE_TEST_FSIZE"), 10, 64)
		os.Exit(childSalvage(os.Getenv("STORE_TEST_DB"), os.Getenv("STORE_TEST_DST"), limit))
	}
	os.Exit(m.Run())
}

// childWriter archives articles until killed (or, with a file-size limit,
// until a write fails), printing "ok N" after each Put returns: the
// promise that article N is committed.
func childWriter(db string, fsize uint64) int {
	if fsize > 0 {
		signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG instead
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: fsize, Max: fsize}); err != nil {
			fmt.Println("setrlimit:", err)
			return 3
		}
	}
	st, err := Open(db, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println("open:", err)
		return 2
	}
	start, _ := st.Stats()
	out := bufio.NewWriter(os.Stdout)
	for i := start.Articles; ; i++ {
		a := &Article{URL: fmt.Sprintf("https://crash.example/%d", i), Outlet: "c", Title: fmt.Sprintf("Article %d", i),
			Text: strings.Repeat(fmt.Sprintf("crashword%d filler text for the page ", i%7), 40), FirstSeen: time.Now(), Fetched: time.Now()}
		if _, _, err := st.Put(a, []byte(strings.Repeat("<p>raw page bytes</p>", 200))); err != nil {
			fmt.Fprintf(out, "error %v\n", err)
			out.Flush()
			st.Close()
			return 0
		}
		if i%50 == 49 {
			st.FlushIndex(0)
		}
		fmt.Fprintf(out, "ok %d\n", i)
		out.Flush()
	}
}

func startChild(t *testing.T, kind, db string, env ...string) (*exec.Cmd, *bufio.Scanner) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{"STORE_TEST_CHILD=" + kind, "STORE_TEST_DB=" + db}, env...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// TestKillNineLosesNothingCommitted kills a writer at random points, many
// times, and checks after each kill that the archive reopens clean and
// holds every article the writer reported as archived.
func TestKillNineLosesNothingCommitted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "crash.db")
	r := rand.New(rand.NewPCG(1, 2))
	promised := map[int]bool{}
	rounds := 25
	if testing.Short() {
		rounds = 5
	}
	for round := 0; round < rounds; round++ {
		cmd, sc := startChild(t, "writer", db)
		killAfter := 1 + r.IntN(40) // reported articles before the kill
		seen := 0
		for sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "ok "); ok {
				v, _ := strconv.Atoi(n)
				promised[v] = true
				seen++
				if seen >= killAfter {
					break
				}
			} else {
				t.Fatalf("round %d: child says %q", round, line)
			}
		}
		// Let it run on a random moment into the next write, then SIGKILL.
		time.Sleep(time.Duration(r.IntN(3000)) * time.Microsecond)
		cmd.Process.Kill()
		for sc.Scan() { // what it printed before dying was committed too
			if n, ok := strings.CutPrefix(sc.Text(), "ok "); ok {
				v, _ := strconv.Atoi(n)
				promised[v] = true
			}
		}
		cmd.Wait()

		st, err := Open(db, Options{Timeout: time.Second})
		if err != nil {
			t.Fatalf("round %d: reopen after kill -9: %v", round, err)
		}
		problems, err := st.Check()
		if err != nil || len(problems) > 0 {
			t.Fatalf("round %d: check: %v %v", round, err, problems)
		}
		for n := range promised {
			if _, err := st.GetByURL(fmt.Sprintf("https://crash.example/%d", n)); err != nil {
				t.Fatalf("round %d: article %d was reported archived but is gone: %v", round, n, err)
			}
		}
		// Found by text too, whether or not its words reached the index.
		q, _ := query.Parse("crashword3")
		got, err := st.Query(Filter{Query: q})
		want := 0
		for n := range promised {
			if n%7 == 3 {
				want++
			}
		}
		if err != nil || len(got) < want {
			t.Fatalf("round %d: text query found %d, want at least %d: %v", round, len(got), want, err)
		}
		st.Close()
	}
	t.Logf("%d rounds, %d articles reported archived, all present", rounds, len(promised))
}

// TestFullDiskKeepsArchive makes writes fail (a file-size limit, as a full
// disk does): the writer gets an error, and the archive stays intact and
// usable.
func TestFullDiskKeepsArchive(t *testing.T) {
	db := filepath.Join(t.TempDir(), "full.db")
	st, err := Open(db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	fi, _ := os.Stat(db)
	limit := fi.Size() + 2<<20
	cmd, sc := startChild(t, "fsize", db, fmt.Sprintf("STORE_TEST_FSIZE=%d", limit))
	promised := 0
	var failure string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "ok "):
			promised++
		case strings.HasPrefix(line, "error "):
			failure = line
		default:
			t.Fatalf("child: %q", line)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child exit: %v", err)
	}
	if failure == "" || promised == 0 {
		t.Fatalf("no write failed (promised %d)", promised)
	}
	t.Logf("after %d articles: %s", promised, failure)
	st, err = Open(db, Options{})
	if err != nil {
		t.Fatalf("reopen after failed writes: %v", err)
	}
	defer st.Close()
	if problems, err := st.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", err, problems)
	}
	for i := 0; i < promised; i++ {
		if _, err := st.GetByURL(fmt.Sprintf("https://crash.example/%d", i)); err != nil {
			t.Fatalf("article %d lost: %v", i, err)
		}
	}
	// Still usable: with room again, writes work.
	if _, _, err := st.Put(&Article{URL: "https://crash.example/after", Outlet: "c", Text: "x"}, nil); err != nil {
		t.Errorf("write after the disk had room again: %v", err)
	}
}
