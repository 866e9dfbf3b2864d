// Command extract compares feedvault's extractor with go-trafilatura and
// go-readability on the same pages, in one run, scored as the referees in
// ../shared/eval score them. It lives in the bench module so that the main
// module does not depend on the competitors.
//
//	cd bench && go run ./extract                 # every set, every extractor
//	cd bench && go run ./extract -only feedvault -sets 'WCXB tuning' -lost
//
// Sets: scrapinghub dev (shingle F1), WCXB tuning and WCXB validation
// (word F1; the 711 WCXB pages split by site, see quality.Half), appeals
// and the seed page (keep recall, drop leakage). "Lost" counts pages whose
// page F1 is below 0.5: the article thrown away, or buried.
//
// Speed is measured as whole processes over the 181 dev pages, all cores,
// best of -rounds: `feedvault extract --format jsonl FILES…` against this
// command re-run as a batch of go-readability (and go-trafilatura) over the
// same files with as many workers.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "-batch" {
		os.Exit(batch(os.Args[2], os.Args[3:]))
	}
	shared := flag.String("shared", "../../shared", "the shared data directory")
	only := flag.String("only", "", "run only contenders whose name starts with this (feedvault, go-trafilatura, go-readability)")
	sets := flag.String("sets", "", "comma-separated set names to run (default: all)")
	lost := flag.Bool("lost", false, "list the lost pages (and appeal misses) of each set")
	netDump := flag.Bool("net", false, "list, per page where the safety net fires, its effect on page F1")
	perPage := flag.String("pages", "", "write each page's word P, R and F1 (words sets) to this file")
	rounds := flag.Int("rounds", 3, "timing rounds of the process speed test (0: skip it)")
	flag.Parse()

	all, err := loadSets(*shared)
	if err != nil {
		fail(err)
	}
	if *netDump {
		dumpNet(all)
		return
	}
	var chosen []set
	for _, s := range all {
		if *sets == "" || strings.Contains(","+*sets+",", ","+s.name+",") {
			chosen = append(chosen, s)
		}
	}
	var cs []contender
	for _, c := range contenders() {
		if *only == "" || strings.HasPrefix(c.name, *only) {
			cs = append(cs, c)
		}
	}

	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "| set\t| pages\t| extractor\t| F1 / keep\t| P / leak\t| R\t| lost (F1 < 0.5)\t|\n")
	fmt.Fprintf(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|---\t|\n")
	var details, pages []string
	for i := range chosen {
		s := &chosen[i]
		for _, c := range cs {
			r := score(s, c.extract)
			if s.metric == "appeals" {
				fmt.Fprintf(tw, "| %s\t| %d\t| %s\t| %.3f\t| %.3f\t| \t| %d pages imperfect\t|\n", s.name, len(s.pages), c.name,
					ratio(r.keep, r.keeps), ratio(r.leak, r.drops), len(r.lostPages))
			} else {
				fmt.Fprintf(tw, "| %s\t| %d\t| %s\t| %.3f\t| %.3f\t| %.3f\t| %d (%.1f%%)\t|\n", s.name, len(s.pages), c.name,
					r.f1, r.p, r.r, r.lost, 100*ratio(r.lost, len(s.pages)))
			}
			for _, l := range r.perPage {
				pages = append(pages, s.name+"\t"+c.name+"\t"+l)
			}
			if *lost && len(r.lostPages) > 0 {
				details = append(details, fmt.Sprintf("%s, %s: %s", s.name, c.name, strings.Join(r.lostPages, ", ")))
			}
		}
	}
	tw.Flush()
	for _, d := range details {
		fmt.Println(d)
	}
	if *perPage != "" {
		if err := os.WriteFile(*perPage, []byte(strings.Join(pages, "\n")+"\n"), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("\n%s; WCXB split by site (quality.Half)\n", runtime.Version())
	if *rounds > 0 {
		for _, s := range all {
			if s.name == "scrapinghub dev" {
				speed(s.pages, *rounds, *only)
			}
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
