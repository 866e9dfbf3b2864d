package main

import (
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"
	"testing"
)

// TestMain lets a test run this test binary as feedvault itself, in a
// child process (FEEDVAULT_AS_MAIN=1), to measure a real process's time
// and memory. FEEDVAULT_CPUPROFILE=FILE profiles that child;
// FEEDVAULT_TEST_FSIZE=N limits the size of the files it writes.
func TestMain(m *testing.M) {
	if os.Getenv("FEEDVAULT_AS_MAIN") == "1" {
		if n, err := strconv.ParseUint(os.Getenv("FEEDVAULT_TEST_FSIZE"), 10, 64); err == nil {
			// A full disk for this process: a write past n bytes of a
			// file fails with EFBIG (SIGXFSZ ignored).
			signal.Ignore(syscall.SIGXFSZ)
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
				panic(err)
			}
		}
		if p := os.Getenv("FEEDVAULT_CPUPROFILE"); p != "" {
			f, err := os.Create(p)
			if err == nil {
				pprof.StartCPUProfile(f)
				code := runMain()
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
		}
		main()
	}
	os.Exit(m.Run())
}
