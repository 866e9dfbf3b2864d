package main

import (
	"os"
	"runtime/debug"
)

// memoryLimitSlack is the room above the memory budget (feeds.yaml's
// memory_budget) left to what the budget does not count: the runtime,
// feed items, the store's buffers, garbage not yet collected.
const memoryLimitSlack = 96 << 20

// setMemoryLimit sets the Go runtime's soft memory limit of run and
// daemon from the memory budget, unless GOMEMLIMIT says otherwise. It is
// a second net, not the bound: the budget makes work wait for room; past
// the limit the collector only runs harder.
func setMemoryLimit(budget int64) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(budget + memoryLimitSlack)
	}
}
