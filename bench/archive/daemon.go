package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// daemonPages starts 'feedvault daemon' on db (its one feed is a closed
// port on loopback: the poll fails at once and nothing else runs), waits
// for its socket, times each form's first page as a whole process (the
// form's first query apart: it maps the form's pages in the daemon), and
// stops it. It returns the slowest median.
func daemonPages(bin, db, dir string, runs int) time.Duration {
	cfg := filepath.Join(dir, "daemon-feeds.yaml")
	must(os.WriteFile(cfg, []byte("defaults:\n  interval: 24h\noutlets:\n  - name: local\n    feeds: [http://127.0.0.1:9/feed.xml]\n"), 0o600))
	cmd := exec.Command(bin, "daemon", "--config", cfg, "--db", db)
	log, err := os.Create(filepath.Join(dir, "daemon.log"))
	must(err)
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	must(cmd.Start())
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	sock := db + ".sock"
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if i > 600 {
			fail(fmt.Errorf("daemon: no socket at %s after 60 s (see %s)", sock, log.Name()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Printf("\n| first page through the daemon (process, jsonl) | the form's first query | median of the %d after it |\n|---|---|---|\n", runs)
	var worst time.Duration
	for _, c := range cases {
		var ds []time.Duration
		var first time.Duration
		for r := 0; r < runs+1; r++ { // the first maps the form's pages in the daemon: reported apart
			d, _, err := timeCmd(bin, "query", "--db", db, c.fv, "--format", "jsonl")
			if err != nil {
				fail(fmt.Errorf("query %q through the daemon: %v", c.fv, err))
			}
			if r == 0 {
				first = d
			} else {
				ds = append(ds, d)
			}
		}
		m := median(ds)
		worst = max(worst, m)
		fmt.Printf("| %s `%s` | %s | %s |\n", c.name, c.fv, first.Round(time.Millisecond), m.Round(time.Millisecond))
	}
	return worst
}
