package jsonl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func line(i int, text string) string {
	return fmt.Sprintf(`{"url":"https://x.org/%d","outlet":"x","title":"T%d","text":%q}`, i, i, text)
}

func TestImportEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		maxLine  int
		wantErr  string // "" for none
		wantArts int    // archived, also on error
	}{
		{"good", line(1, "a") + "\n" + line(2, "b") + "\n", 0, "", 2},
		{"two objects on a line", line(1, "a") + "\n" + line(2, "b") + line(3, "c") + "\n", 0, "t.jsonl:2: a second JSON object", 1},
		{"trailing garbage", line(1, "a") + "\n" + line(2, "b") + " xyz\n", 0, `t.jsonl:2: unexpected "xyz"`, 1},
		{"unknown field", `{"url":"https://x.org/1","outlet":"x","colour":"red"}` + "\n", 0, `t.jsonl:1: not an article object`, 0},
		{"long line keeps the good lines before it", line(1, "a") + "\n" + line(2, "b") + "\n" + line(3, strings.Repeat("x", 3000)) + "\n" + line(4, "d") + "\n",
			1024, "t.jsonl:3: line longer than 1024 bytes", 2},
		{"blank lines", "\n" + line(1, "a") + "\n\n", 0, "", 1},
		// The outlet names feeds.yaml forbids are refused here too, with
		// the line (config.Load and Import share outlet.CheckName).
		{"upper-case outlet", line(1, "a") + "\n" + `{"url":"https://x.org/2","outlet":"Meduza"}` + "\n", 0, `t.jsonl:2: outlet "Meduza": use lower-case letters`, 1},
		{"outlet with a space", `{"url":"https://x.org/1","outlet":"the times"}` + "\n", 0, `t.jsonl:1: outlet "the times"`, 0},
		{"outlet with a slash", `{"url":"https://x.org/1","outlet":"a/b"}` + "\n", 0, `t.jsonl:1: outlet "a/b"`, 0},
		{"outlet starting with a dot", `{"url":"https://x.org/1","outlet":".x"}` + "\n", 0, `t.jsonl:1: outlet ".x"`, 0},
		{"outlet with a control character", `{"url":"https://x.org/1","outlet":"x\u001b[31m"}` + "\n", 0, `t.jsonl:1: outlet "x\x1b[31m"`, 0},
		// The store orders by 64-bit nanoseconds: 1677 to 2262.
		{"published in 3000", line(1, "a") + "\n" + `{"url":"https://x.org/2","outlet":"x","published":"3000-01-01T00:00:00Z"}` + "\n", 0, `t.jsonl:2: published "3000-01-01T00:00:00Z" is outside the dates the archive orders by (1677-09-21 to 2262-04-11)`, 1},
		{"first seen in 1500", `{"url":"https://x.org/1","outlet":"x","first_seen":"1500-01-01T00:00:00Z"}` + "\n", 0, `t.jsonl:1: first_seen "1500-01-01T00:00:00Z" is outside`, 0},
		{"good outlet names", `{"url":"https://x.org/1","outlet":"the-times.co_uk2"}` + "\n" + `{"url":"https://x.org/2","outlet":"9news"}` + "\n", 0, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			max := tt.maxLine
			if max == 0 {
				max = MaxLine
			}
			_, err := importLines(context.Background(), st, strings.NewReader(tt.input), "t.jsonl", max)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
			}
			stats, err := st.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if stats.Articles != tt.wantArts {
				t.Errorf("%d articles archived, want %d", stats.Articles, tt.wantArts)
			}
		})
	}
}

// Re-importing an article with another text keeps the earlier version as
// a revision, as a re-fetch does; the same text again makes none.
func TestReimportMakesRevision(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	for i, text := range []string{"first text", "first text", "second text"} {
		if _, err := Import(ctx, st, strings.NewReader(line(1, text)+"\n"), "t.jsonl"); err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
	}
	a, err := st.GetByURL("https://x.org/1")
	if err != nil {
		t.Fatal(err)
	}
	revs, err := st.Revisions(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != "second text" || a.Revisions != 1 || !a.Edited || len(revs) != 1 || revs[0].Text != "first text" {
		t.Errorf("article %+v, revisions %+v", a, revs)
	}
}

func FuzzParseLine(f *testing.F) {
	f.Add([]byte(line(1, "a")))
	f.Add([]byte(line(1, "a") + line(2, "b")))
	f.Add([]byte(`{"url":"https://x.org/1","outlet":"x","published":"2024-10-28T09:00:00Z","revision_history":[{"rev":1,"text":"t"}],"raw":"aGVsbG8="}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, _, err := ParseLine(b, time.Unix(0, 0))
		if err == nil && (a == nil || a.Outlet == "" || a.URL == "") {
			t.Errorf("accepted %q as %+v", b, a)
		}
	})
}

// cancelAfter serves lines of input and cancels the import's context
// once it has served n of them, as a SIGINT would.
type cancelAfter struct {
	lines  []string
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if len(c.lines) == 0 {
		return 0, io.EOF
	}
	if c.n--; c.n == 0 {
		c.cancel()
	}
	l := c.lines[0] + "\n"
	if len(l) > len(p) {
		c.n++
		return 0, io.ErrShortBuffer
	}
	c.lines = c.lines[1:]
	return copy(p, l), nil
}

// TestImportInterruptedSaysWhere: an import stopped by a signal said only
// "context canceled". It must say where it stopped and how many articles
// are archived (exactly those in the archive), and that importing again
// carries on.
func TestImportInterruptedSaysWhere(t *testing.T) {
	st := openStore(t)
	var lines []string
	for i := 0; i < 6000; i++ {
		lines = append(lines, line(i, "words of the article"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := Import(ctx, st, &cancelAfter{lines: lines, n: 3000, cancel: cancel}, "t.jsonl")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("import cancelled at line 3000 of 6000: %v (%+v)", err, rep)
	}
	stats, _ := st.Stats()
	for _, want := range []string{"t.jsonl: stopped at line ", linesBefore(stats.Articles), "importing the file again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if rep.Lines != stats.Articles {
		t.Errorf("report %d lines, archive %d articles", rep.Lines, stats.Articles)
	}
	rep, err = Import(context.Background(), st, strings.NewReader(strings.Join(lines, "\n")), "t.jsonl")
	if err != nil || rep.New != 6000-stats.Articles {
		t.Errorf("import again: %+v %v, want %d new", rep, err, 6000-stats.Articles)
	}
}

func TestLinesBeforeAgreesInNumber(t *testing.T) {
	for n, want := range map[int]string{0: "nothing before it is archived", 1: "the 1 article before it is archived", 26000: "the 26000 articles before it are archived"} {
		if got := linesBefore(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
