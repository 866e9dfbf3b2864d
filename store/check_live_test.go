package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Check beside a writer reports nothing on a sound file, and races with
// nothing (go test -race). bbolt's own check, in a read, compares what
// the read sees with the live freelist, where a writer that committed
// meanwhile has put pages the read still holds ("reachable freed"); it
// runs in a writable transaction instead.
func TestCheckBesideWriter(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	body := strings.Repeat("Words of the article, again and again. ", 200)
	for i := range 200 {
		if _, _, err := s.Put(&Article{URL: fmt.Sprintf("https://x.org/seed/%d", i), Outlet: "x", Text: body, FirstSeen: day(1)}, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, _, err := s.Put(&Article{URL: fmt.Sprintf("https://x.org/live/%d", i), Outlet: "x", Text: body, FirstSeen: day(2)}, []byte(body)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 30 {
		problems, err := s.Check()
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			t.Errorf("a sound file checked beside a writer: %v", problems[:min(3, len(problems))])
			break
		}
	}
	close(stop)
	wg.Wait()
}
