package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// Every CLI call, 'version' and 'query' included, pays for the
// initialisation of every package linked into feedvault: its own inits'
// allocations and the page faults they bring (tens of microseconds each
// on some virtual machines). These tests hold what cmd/feedvault links
// and what its own packages do at init; the time itself is measured by
// the bench module (cd bench && go run ./startup), never asserted here.

// heavyModules were linked once and cost start-up for a feature few calls
// use: Prometheus' client (with procfs and a second YAML library) for
// /metrics, which VictoriaMetrics' metrics package serves. (protobuf came
// with it then; it is linked again now by parquet-go, which the Parquet
// export needs and which imports it in its root package since v0.26. The
// one older version served, v0.25.1, cannot write Row: it refuses a
// timestamp tag on *time.Time, and writes a zero time.Time in an
// optional column as a timestamp of 1754 rather than null.)
var heavyModules = []string{
	"github.com/prometheus/client_golang",
	"github.com/prometheus/procfs",
	"github.com/prometheus/common",
	"go.yaml.in/yaml/v2",
}

func TestStartupLinksNoHeavyModule(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok || len(bi.Deps) == 0 {
		t.Fatal("this test binary has no module information")
	}
	for _, d := range bi.Deps {
		for _, h := range heavyModules {
			if d.Path == h {
				t.Errorf("feedvault links %s %s: its package inits run at every start", d.Path, d.Version)
			}
		}
	}
}

// ownInitBudget is the most a feedvault package may allocate at init.
// Tables (compiled expressions, maps, even small ones: a map literal is
// built at init) are built on first use, as lazyRE and sync.OnceValue
// do; what is left is lazyRE's closures (feedparse: about 2.8 KB).
const ownInitBudget = 4 << 10

func TestStartupOwnInitsAreSmall(t *testing.T) {
	cmd := exec.Command(os.Args[0], "version")
	cmd.Env = append(os.Environ(), "FEEDVAULT_AS_MAIN=1", "GODEBUG=inittrace=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("feedvault version: %v\n%s", err, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "feedvault ") {
		t.Fatalf("feedvault version printed %q", stdout.String())
	}
	seen := 0
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init PKG @T ms, D ms clock, B bytes, A allocs
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != "init" || !strings.HasPrefix(f[1], "github.com/feedvault/feedvault/") {
			continue
		}
		seen++
		n, err := strconv.Atoi(f[7])
		if err != nil {
			t.Fatalf("inittrace line %q: %v", sc.Text(), err)
		}
		if n > ownInitBudget {
			t.Errorf("%s allocates %d bytes (%s allocations) at init, over %d: build it on first use", f[1], n, f[9], ownInitBudget)
		}
	}
	if seen < 5 {
		t.Fatalf("inittrace shows %d feedvault packages; stderr:\n%s", seen, stderr.String())
	}
}
