package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// importFeedvault imports jsonl into a new archive at db with a
// feedvault process: its wall time and its CPU time (user and system).
func importFeedvault(bin, db, jsonl string) (wall, cpu time.Duration) {
	os.Remove(db)
	cmd := exec.Command(bin, "import", "--db", db, jsonl)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall = time.Since(start)
	if err != nil {
		fail(fmt.Errorf("feedvault import: %v: %s", err, out))
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// importFTS5 fills a new FTS5 table at path with arts in one
// transaction, in process: its wall time and the CPU time this process
// spent meanwhile.
func importFTS5(path string, arts []article) (wall, cpu time.Duration) {
	os.Remove(path)
	sdb, err := sql.Open("sqlite3", path)
	must(err)
	defer sdb.Close()
	cpu0 := selfCPU()
	start := time.Now()
	_, err = sdb.Exec(`CREATE VIRTUAL TABLE articles USING fts5(url UNINDEXED, outlet UNINDEXED, title, published UNINDEXED, text, authors, tokenize = "unicode61 remove_diacritics 0")`)
	must(err)
	tx, err := sdb.Begin()
	must(err)
	stmt, err := tx.Prepare(`INSERT INTO articles(url, outlet, title, published, text, authors) VALUES (?, ?, ?, ?, ?, ?)`)
	must(err)
	for _, a := range arts {
		_, err := stmt.Exec(a.URL, a.Outlet, a.Title, a.Published, a.Text, strings.Join(a.Authors, "; "))
		must(err)
	}
	must(tx.Commit())
	return time.Since(start), selfCPU() - cpu0
}

// selfCPU is the CPU time (user and system) this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
