package store

import (
	"os"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// parallelReads is the fewest lookups readAll spreads over the cores: a
// worker costs a goroutine and a reader of its own (its first lookup
// reads the pages near the root again), a lookup 3–5 µs. (1,024 before:
// at 128, the combined form's listing of 253 articles at 500,000 took
// 19.1 ms against 20.0, medians of 21 interleaved processes.)
const parallelReads = 128

// readAll calls fn(i, v) with the value of key ids[i] in bucket b (nil
// when it has none), for every i. v is valid only during the call.
//
// With pread (f not nil) and enough ids, the lookups are spread over
// the cores: each worker reads a contiguous run of ids with a reader of
// its own (pread.go), so ids in key order read each page once per
// worker, and fn may run on several goroutines at once, for distinct i.
// A lookup a worker's reader could not make (a page it did not expect)
// is left, with the rest of that worker's run, to bbolt's own Get on the
// caller's goroutine after the workers are done: a transaction's bucket
// is not for several goroutines.
func readAll(b *bolt.Bucket, f *os.File, pageSize int, ids []uint64, fn func(i int, v []byte)) {
	if b == nil {
		for i := range ids {
			fn(i, nil)
		}
		return
	}
	left := ids // what the caller's goroutine still reads, from where
	var unread []int
	if workers := runtime.GOMAXPROCS(0); workers > 1 && len(ids) >= parallelReads && preadOf(b, f, pageSize) != nil {
		left = nil
		firstUnread := make([]int, workers) // per worker: its first id not read
		chunk := (len(ids) + workers - 1) / workers
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := min(w*chunk, len(ids)), min((w+1)*chunk, len(ids))
			firstUnread[w] = hi
			wg.Go(func() {
				r := preadOf(b, f, pageSize)
				if r == nil {
					firstUnread[w] = lo
					return
				}
				for i := lo; i < hi; i++ {
					v, err := r.get(u64(ids[i]))
					if err != nil {
						firstUnread[w] = i
						return
					}
					fn(i, v)
				}
			})
		}
		wg.Wait()
		for w := range workers {
			for i := firstUnread[w]; i < min((w+1)*chunk, len(ids)); i++ {
				unread = append(unread, i)
			}
		}
	} else if r := preadOf(b, f, pageSize); r != nil {
		for i, id := range ids {
			fn(i, r.Get(u64(id)))
		}
		return
	}
	for i, id := range left {
		fn(i, b.Get(u64(id)))
	}
	for _, i := range unread {
		fn(i, b.Get(u64(ids[i])))
	}
}
