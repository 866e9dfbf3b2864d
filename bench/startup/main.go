// Command startup measures how long a feedvault process takes to start
// and exit, against a hello world built by the same toolchain with the
// same flags, in the same run (interleaved, so both see the same load):
//
//	cd bench && go run ./startup            # 50 runs each after 5 warm-ups
//	cd bench && go run ./startup -n 100 -inittrace 15
//	cd bench && go run ./startup -anchors   # and hello worlds linking more
//
// Per binary it prints wall time (mean, median, min), CPU time (user +
// system, from the kernel's accounting of the child) and minor page
// faults, then the ratio to the hello world and the load average before
// and after. On a loaded or virtualised machine the CPU time and the
// faults are steadier than the wall time; a page fault costs tens of
// microseconds on some virtual machines, so the faults are most of a
// short process's time there. -bin A,B compares binaries built elsewhere
// (before and after a change) in the same run. -inittrace N adds the N
// package inits that take longest (GODEBUG=inittrace=1, one run of the
// last binary) and what they allocate. -anchors adds hello worlds that
// link net/http, the fixed choices, and every package feedvault links
// (none of its own), to show the floor in the same run.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"github.com/feedvault/feedvault/bench/internal/machine"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const hello = `package main

import "fmt"

func main() { fmt.Println("hello") }
`

type target struct {
	name string
	argv []string
	runs []run
}

type run struct {
	wall, cpu time.Duration
	faults    int64
}

func main() {
	n := flag.Int("n", 50, "measured runs of each binary")
	warm := flag.Int("w", 5, "warm-up runs of each binary, not counted")
	bin := flag.String("bin", "", "feedvault binaries to measure, comma-separated, in the same run (default: build ../cmd/feedvault)")
	ldflags := flag.String("ldflags", "", "-ldflags for both builds")
	args := flag.String("args", "version", "feedvault's arguments (space-separated)")
	inittrace := flag.Int("inittrace", 0, "also list the N slowest package inits of one feedvault run")
	withAnchors := flag.Bool("anchors", false, "also measure hello worlds linking net/http, the fixed choices, and every package feedvault links")
	flag.Parse()
	if err := main1(*n, *warm, *bin, *ldflags, strings.Fields(*args), *inittrace, *withAnchors); err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
}

func main1(n, warm int, bin, ldflags string, args []string, inittrace int, withAnchors bool) error {
	tmp, err := os.MkdirTemp("", "startup")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	build := func(dir, out, pkg string) error {
		cmd := exec.Command("go", "build", "-ldflags="+ldflags, "-o", out, pkg)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
		}
		return nil
	}
	if bin == "" {
		bin = filepath.Join(tmp, "feedvault")
		if err := build("..", bin, "./cmd/feedvault"); err != nil {
			return err
		}
	}
	hdir := filepath.Join(tmp, "hello")
	if err := os.MkdirAll(hdir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(hdir, "go.mod"), []byte("module hello\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(hdir, "main.go"), []byte(hello), 0o644); err != nil {
		return err
	}
	hbin := filepath.Join(tmp, "hello-bin")
	if err := build(hdir, hbin, "."); err != nil {
		return err
	}
	targets := []*target{{name: "hello world", argv: []string{hbin}}}
	if withAnchors {
		a, err := buildAnchors(tmp, "..", build)
		if err != nil {
			return err
		}
		targets = append(targets, a...)
	}
	for _, b := range strings.Split(bin, ",") {
		targets = append(targets, &target{name: filepath.Base(b) + " " + strings.Join(args, " "), argv: append([]string{b}, args...)})
	}
	load0 := machine.LoadAvg()
	for i := range warm + n {
		for _, t := range targets {
			r, err := once(t.argv)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			if i >= warm {
				t.runs = append(t.runs, r)
			}
		}
	}
	load1 := machine.LoadAvg()
	h := summarise(targets[0].runs)
	fmt.Printf("%-24s %8s %8s %8s %8s %8s %7s   %s\n", "binary", "mean ms", "med ms", "min ms", "cpu ms", "cpu min", "faults", "÷ hello: wall mean, min; cpu; faults")
	for _, t := range targets {
		f := summarise(t.runs)
		fmt.Printf("%-24s %8.2f %8.2f %8.2f %8.2f %8.2f %7.0f   %.2f× %.2f× %.2f× %.2f×\n", t.name, f.mean, f.median, f.min, f.cpu, f.cpuMin, f.faults,
			f.mean/h.mean, f.min/h.min, f.cpu/h.cpu, f.faults/h.faults)
	}
	fmt.Printf("runs: %d each after %d warm-ups; load average before %s, after %s\n", n, warm, load0, load1)
	if inittrace > 0 {
		return traceInits(targets[len(targets)-1].argv, inittrace)
	}
	return nil
}

// once runs argv to completion, output discarded.
func once(argv []string) (run, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return run{}, err
	}
	wall := time.Since(start)
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := run{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru != nil {
		r.faults = ru.Minflt + ru.Majflt
	}
	return r, nil
}

type summary struct{ mean, median, min, cpu, cpuMin, faults float64 }

func summarise(rs []run) summary {
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	var s summary
	walls := make([]float64, len(rs))
	s.min, s.cpuMin = 1e18, 1e18
	for i, r := range rs {
		walls[i] = ms(r.wall)
		s.mean += ms(r.wall)
		s.cpu += ms(r.cpu)
		s.faults += float64(r.faults)
		s.min = min(s.min, ms(r.wall))
		s.cpuMin = min(s.cpuMin, ms(r.cpu))
	}
	k := float64(len(rs))
	s.mean, s.cpu, s.faults = s.mean/k, s.cpu/k, s.faults/k
	slices.Sort(walls)
	s.median = walls[len(walls)/2]
	return s
}

// traceInits runs the binary once with GODEBUG=inittrace=1 and lists the
// slowest package inits, with the sum over all of them.
func traceInits(argv []string, top int) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("inittrace run: %w", err)
	}
	type initLine struct {
		pkg          string
		ms           float64
		bytes, alloc int64
	}
	var inits []initLine
	var sum initLine
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init PKG @T ms, D ms clock, B bytes, A allocs
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != "init" {
			continue
		}
		l := initLine{pkg: f[1]}
		l.ms, _ = strconv.ParseFloat(f[4], 64)
		l.bytes, _ = strconv.ParseInt(f[7], 10, 64)
		l.alloc, _ = strconv.ParseInt(f[9], 10, 64)
		inits = append(inits, l)
		sum.ms += l.ms
		sum.bytes += l.bytes
		sum.alloc += l.alloc
	}
	slices.SortFunc(inits, func(a, b initLine) int { return int((b.ms - a.ms) * 1e6) })
	fmt.Printf("\npackage inits: %d, %.2f ms clock, %d bytes in %d allocations; slowest:\n", len(inits), sum.ms, sum.bytes, sum.alloc)
	for _, l := range inits[:min(top, len(inits))] {
		fmt.Printf("  %6.2f ms %8d B %5d allocs  %s\n", l.ms, l.bytes, l.alloc, l.pkg)
	}
	return nil
}
