// Command archive measures feedvault's archive side by side with SQLite
// FTS5 on the same generated articles: import time, query latency as a
// whole process, count by day, file size, and export; and it checks every
// query form against a brute-force reference.
//
//	cd bench && go run -tags sqlite_fts5 ./archive -n 50000
package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/feedvault/feedvault/bench/internal/machine"
	"github.com/feedvault/feedvault/query"
	"github.com/feedvault/feedvault/query/reference"
	_ "github.com/mattn/go-sqlite3"
)

type queryCase struct {
	name, fv, fts string // feedvault query; FTS5 MATCH expression
}

var cases = []queryCase{
	{"words (AND)", "korea troops", "korea troops"},
	{"phrase", `"north korean troops"`, `"north korean troops"`},
	{"OR", "sanctions OR summit", "sanctions OR summit"},
	{"NOT", "russia -ukraine", "russia NOT ukraine"},
	{"prefix", "missil*", "missil*"},
	{"title:", "title:korea", "title:korea"},
	{"author:", "author:kato", "authors:kato"},
	{"outlet:", "outlet:outlet07 korea", "korea"},
	{"Cyrillic word", "пхеньян", "пхеньян"},
	{"Cyrillic phrase", `"северокорейские военные"`, `"северокорейские военные"`},
	{"combined", `"kursk offensive" OR "grain corridor deal" -minister`, `("kursk offensive" OR "grain corridor deal") NOT minister`},
}

func timeCmd(name string, args ...string) (time.Duration, []byte, error) {
	cmd := exec.Command(name, args...)
	start := time.Now()
	out, err := cmd.Output()
	return time.Since(start), out, err
}

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

func main() {
	n := flag.Int("n", 50000, "articles to generate")
	dir := flag.String("dir", "", "work directory (default: a new temporary one)")
	runs := flag.Int("runs", 5, "runs per query (median reported)")
	imports := flag.Int("imports", 1, "import pairs (feedvault, then FTS5) to run, each from an empty file")
	importOnly := flag.Bool("import-only", false, "stop after the imports")
	base := flag.String("base", "", "another feedvault binary (an older build) to import with too, in each pair, for a before-and-after at the same load")
	daemon := flag.Bool("daemon", false, "also time the first pages through a running 'feedvault daemon' on the archive")
	reuse := flag.Bool("reuse", false, "with -dir: keep the archives an earlier run of the same -n left there and time the queries again (no import figures)")
	flag.Parse()
	if *dir == "" {
		d, err := os.MkdirTemp("", "feedvault-archive-bench-")
		must(err)
		*dir = d
	}
	fmt.Printf("work directory %s\nload average at the start: %s\n", *dir, machine.LoadAvg())
	bin := filepath.Join(*dir, "feedvault")
	build := exec.Command("go", "build", "-o", bin, "./cmd/feedvault")
	build.Dir = ".." // the main module
	build.Stderr = os.Stderr
	must(build.Run())

	jsonl := filepath.Join(*dir, "articles.jsonl")
	arts, err := generate(*n, jsonl)
	must(err)
	// The reference's matches for every case, one document at a time (a
	// document's words are not kept: at 500k they would not fit).
	parsed := make([]*query.Node, len(cases))
	wants := make([]map[string]bool, len(cases))
	for i, c := range cases {
		q, err := query.Parse(c.fv)
		must(err)
		parsed[i], wants[i] = q, map[string]bool{}
	}
	for _, a := range arts {
		d := &reference.Doc{Title: a.Title, Text: a.Text, Outlet: a.Outlet, Authors: a.Authors}
		for i, q := range parsed {
			if reference.Match(q, d) {
				wants[i][a.URL] = true
			}
		}
	}

	// feedvault import (a process) and FTS5's (in process), alternately
	// when -imports asks for more than one pair: the ratio of each pair
	// is taken at about the same load.
	db := filepath.Join(*dir, "feedvault.db")
	sdbPath := filepath.Join(*dir, "fts5.db")
	var fvImport, sqlImport time.Duration
	var ratios []float64
	pairs := max(1, *imports)
	if *reuse {
		_, errF := os.Stat(db)
		_, errS := os.Stat(sdbPath)
		if errF != nil || errS != nil {
			fmt.Fprintln(os.Stderr, "archive: -reuse needs feedvault.db and fts5.db in -dir, from a run with the same -n")
			os.Exit(2)
		}
		fmt.Println("archives reused: no import this run")
		pairs = 0
	}
	for r := 0; r < pairs; r++ {
		if *base != "" {
			bw, bCPU := importFeedvault(*base, db+".base", jsonl)
			fmt.Printf("base feedvault import: %s (CPU %s), load average %s\n", bw.Round(10*time.Millisecond), bCPU.Round(10*time.Millisecond), machine.LoadAvg())
			os.Remove(db + ".base")
		}
		fv, fvCPU := importFeedvault(bin, db, jsonl)
		fmt.Printf("feedvault import: %s (CPU %s), load average %s\n", fv.Round(10*time.Millisecond), fvCPU.Round(10*time.Millisecond), machine.LoadAvg())
		sq, sqCPU := importFTS5(sdbPath, arts)
		fmt.Printf("FTS5 import: %s (CPU %s), load average %s\n", sq.Round(10*time.Millisecond), sqCPU.Round(10*time.Millisecond), machine.LoadAvg())
		fmt.Printf("import pair %d: %.2f× FTS5 (CPU %.2f×)\n", r+1, fv.Seconds()/sq.Seconds(), fvCPU.Seconds()/sqCPU.Seconds())
		fvImport, sqlImport = fv, sq
		ratios = append(ratios, fv.Seconds()/sq.Seconds())
	}
	if len(ratios) > 1 {
		sort.Float64s(ratios)
		fmt.Printf("import: median of %d pairs %.2f× FTS5 (least %.2f×, most %.2f×)\n", len(ratios), ratios[len(ratios)/2], ratios[0], ratios[len(ratios)-1])
	}
	if *importOnly {
		return
	}

	fi, _ := os.Stat(db)
	si, _ := os.Stat(sdbPath)
	// Both archives are read once before any query is timed, so that
	// neither side pays for pages an earlier program pushed out of the
	// page cache (this machine's kernel reclaims pages it thinks cold):
	// every figure below is of a warm cache, on both sides.
	start := time.Now()
	must(warm(db, sdbPath))
	fmt.Printf("page cache: both archives read once before timing (%.0f MB in %s)\n", float64(fi.Size()+si.Size())/1e6, time.Since(start).Round(10*time.Millisecond))

	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "| query\t| matches\t| exact\t| first page: feedvault (process)\t| FTS5\t| all URLs: feedvault (process)\t| FTS5\t| ratio\t| count --by day: feedvault (process)\t| FTS5\t|\n|---\t|---\t|---\t|---\t|---\t|---\t|---\t|---\t|---\t|---\t|\n")
	sdb, _ := sql.Open("sqlite3", sdbPath+"?mode=ro")
	allExact := true
	var worst, worstCount time.Duration
	var worstRatio float64
	for ci, c := range cases {
		want := wants[ci]
		var ds []time.Duration
		var got []string
		for r := 0; r < *runs; r++ {
			d, out, err := timeCmd(bin, "query", "--db", db, c.fv, "--limit", "0", "--format", "csv", "--fields", "url")
			if err != nil {
				fail(fmt.Errorf("query %q: %v", c.fv, err))
			}
			ds = append(ds, d)
			got = strings.Split(strings.TrimSpace(string(out)), "\n")[1:]
		}
		var pds []time.Duration
		for r := 0; r < *runs; r++ {
			d, _, err := timeCmd(bin, "query", "--db", db, c.fv, "--format", "jsonl")
			if err != nil {
				fail(fmt.Errorf("query %q: %v", c.fv, err))
			}
			pds = append(pds, d)
		}
		page := median(pds)
		worst = max(worst, page)
		exact := len(got) == len(want)
		for _, u := range got {
			if !want[u] {
				exact = false
			}
		}
		allExact = allExact && exact
		m := median(ds)
		var qcds []time.Duration
		for r := 0; r < *runs; r++ {
			d, _, err := timeCmd(bin, "count", "--db", db, c.fv, "--by", "day", "--format", "jsonl")
			if err != nil {
				fail(fmt.Errorf("count %q: %v", c.fv, err))
			}
			qcds = append(qcds, d)
		}
		// FTS5 in process: the newest 50, every URL, the count by day.
		where, args := `articles MATCH ?`, []any{c.fts}
		if c.name == "outlet:" {
			where += ` AND outlet = ?`
			args = append(args, "outlet07")
		}
		ftsTime := func(sqlq string) (time.Duration, int) {
			var fd []time.Duration
			rows := 0
			for r := 0; r < *runs; r++ {
				s := time.Now()
				rs, err := sdb.Query(sqlq, args...)
				must(err)
				rows = 0
				for rs.Next() {
					var a, b sql.NullString
					must(rs.Scan(&a, &b))
					rows++
				}
				must(rs.Err())
				rs.Close()
				fd = append(fd, time.Since(s))
			}
			return median(fd), rows
		}
		fPage, _ := ftsTime(`SELECT url, published FROM articles WHERE ` + where + ` ORDER BY published DESC LIMIT 50`)
		fAll, ftsN := ftsTime(`SELECT url, '' FROM articles WHERE ` + where)
		fCount, _ := ftsTime(`SELECT substr(published, 1, 10), count(*) FROM articles WHERE ` + where + ` GROUP BY 1`)
		if ftsN != len(want) {
			fmt.Fprintf(os.Stderr, "note: %s: FTS5 finds %d, the reference %d\n", c.name, ftsN, len(want))
		}
		ratio := m.Seconds() / fAll.Seconds()
		worstRatio = max(worstRatio, ratio)
		worstCount = max(worstCount, median(qcds))
		fmt.Fprintf(tw, "| %s `%s`\t| %d\t| %v\t| %s\t| %s\t| %s\t| %s\t| %.1f×\t| %s\t| %s\t|\n", c.name, c.fv, len(got), exact,
			page.Round(time.Millisecond), fPage.Round(100*time.Microsecond), m.Round(time.Millisecond), fAll.Round(100*time.Microsecond), ratio,
			median(qcds).Round(time.Millisecond), fCount.Round(100*time.Microsecond))
	}
	tw.Flush()

	// The first page with a filter, per form: the slowest form of each.
	filters := []struct {
		name string
		args []string
	}{
		{"--outlet outlet07", []string{"--outlet", "outlet07"}},
		{"--seen", []string{"--seen"}},
		{"--since/--until (15 days)", []string{"--since", "2024-09-01", "--until", "2024-09-16"}},
		{"--seen --outlet outlet03", []string{"--seen", "--outlet", "outlet03"}},
	}
	fmt.Printf("\n| first page with a filter (process, jsonl) | slowest form | its time | median over the forms |\n|---|---|---|---|\n")
	var worstFiltered time.Duration
	for _, fl := range filters {
		var slowest string
		var slow time.Duration
		var meds []time.Duration
		for _, c := range cases {
			var ds []time.Duration
			for r := 0; r < *runs; r++ {
				d, _, err := timeCmd(bin, append([]string{"query", "--db", db, c.fv, "--format", "jsonl"}, fl.args...)...)
				if err != nil {
					fail(fmt.Errorf("query %q %v: %v", c.fv, fl.args, err))
				}
				ds = append(ds, d)
			}
			m := median(ds)
			meds = append(meds, m)
			if m > slow {
				slow, slowest = m, c.fv
			}
		}
		worstFiltered = max(worstFiltered, slow)
		fmt.Printf("| %s | `%s` | %s | %s |\n", fl.name, slowest, slow.Round(time.Millisecond), median(meds).Round(time.Millisecond))
	}

	// The same first pages through a daemon that holds the archive (the
	// CLI finds its socket from --db): each query is still a whole
	// process, but the archive's pages are mapped in the daemon already.
	var worstDaemon time.Duration
	if *daemon {
		worstDaemon = daemonPages(bin, db, *dir, *runs)
	}

	// count --by day over everything, as a process
	var cds []time.Duration
	var countOut []byte
	for r := 0; r < *runs; r++ {
		d, out, err := timeCmd(bin, "count", "--db", db, "--by", "day", "--format", "jsonl")
		if err != nil {
			fail(err)
		}
		cds = append(cds, d)
		countOut = out
	}
	perDay := map[string]int{}
	for _, a := range arts {
		perDay[a.Published[:10]]++
	}
	countOK := true
	sc := bufio.NewScanner(strings.NewReader(string(countOut)))
	rows := 0
	for sc.Scan() {
		var row struct {
			Day   string `json:"day"`
			Count int    `json:"count"`
		}
		json.Unmarshal(sc.Bytes(), &row)
		rows++
		if perDay[row.Day] != row.Count {
			countOK = false
		}
	}
	countOK = countOK && rows == len(perDay)

	// export jsonl gives back everything
	exp := filepath.Join(*dir, "export.jsonl")
	os.Remove(exp) // from an earlier run in the same -dir
	os.Remove(exp + ".manifest.json")
	expDur, _, err := timeCmd(bin, "export", "--db", db, "--format", "jsonl", "--out", exp)
	must(err)
	lines := 0
	if f, err := os.Open(exp); err == nil {
		s := bufio.NewScanner(f)
		s.Buffer(nil, 1<<24)
		for s.Scan() {
			lines++
		}
		f.Close()
	}

	fmt.Printf("\n| figure | feedvault | SQLite FTS5 | bar |\n|---|---|---|---|\n")
	if !*reuse {
		fmt.Printf("| import %d articles | %s (process) | %s (in process, one transaction) | ≤ 1.0× → %.2f× |\n", *n, fvImport.Round(10*time.Millisecond), sqlImport.Round(10*time.Millisecond), fvImport.Seconds()/sqlImport.Seconds())
	}
	fmt.Printf("| slowest first page, whole process (newest 50, the default page, jsonl) | %s | | ≤ 50 ms |\n", worst.Round(time.Millisecond))
	fmt.Printf("| slowest first page with --outlet, --seen or a date range (process) | %s | | ≤ 50 ms |\n", worstFiltered.Round(time.Millisecond))
	if *daemon {
		fmt.Printf("| slowest first page, whole process, through a running daemon | %s | | ≤ 50 ms |\n", worstDaemon.Round(time.Millisecond))
	}
	fmt.Printf("| slowest full URL listing against FTS5 in process | %.1f× | | ≤ 3× |\n", worstRatio)
	fmt.Printf("| slowest count --by day of a query form (process) | %s | | |\n", worstCount.Round(time.Millisecond))
	fmt.Printf("| every query form equals the reference | %v | | exact |\n", allExact)
	fmt.Printf("| count --by day over everything | %s (process), matches the reference: %v | | ≤ 100 ms |\n", median(cds).Round(time.Millisecond), countOK)
	fmt.Printf("| file size | %.1f MB | %.1f MB | ≤ 0.7× → %.2f× |\n", float64(fi.Size())/1e6, float64(si.Size())/1e6, float64(fi.Size())/float64(si.Size()))
	fmt.Printf("| export --format jsonl | %d of %d articles in %s | | all |\n", lines, *n, expDur.Round(10*time.Millisecond))
	fmt.Printf("\nload average at the end: %s\n", machine.LoadAvg())
}

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "archive bench:", err)
	os.Exit(1)
}

// warm reads each file once, to the end.
func warm(paths ...string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("warm %s: %w", p, err)
		}
	}
	return nil
}
