package main

import (
	"os"
	"runtime/pprof"
	"testing"
)

// TestMain lets a test run this test binary as feedvault itself, in a
// child process (FEEDVAULT_AS_MAIN=1), to measure a real process's time
// and memory. FEEDVAULT_CPUPROFILE=FILE profiles that child.
func TestMain(m *testing.M) {
	if os.Getenv("FEEDVAULT_AS_MAIN") == "1" {
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
