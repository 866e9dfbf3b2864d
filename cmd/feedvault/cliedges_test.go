package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// TestParseQueryFlags: a query word that starts with '-' is a query
// word, not a flag, wherever it stands; flags and their values still
// parse, '--' still ends the flags, and a --typo is still an error.
func TestParseQueryFlags(t *testing.T) {
	tests := []struct {
		args    []string
		pos     []string
		outlet  string
		limit   int
		seen    bool
		wantErr bool
	}{
		{args: []string{"-korea"}, pos: []string{"-korea"}, limit: 50},
		{args: []string{"-korea", "--outlet", "meduza"}, pos: []string{"-korea"}, outlet: "meduza", limit: 50},
		{args: []string{"--outlet", "meduza", "-korea"}, pos: []string{"-korea"}, outlet: "meduza", limit: 50},
		{args: []string{"--outlet=meduza", "-korea", "troops", "-limit", "3"}, pos: []string{"-korea", "troops"}, outlet: "meduza", limit: 3},
		{args: []string{"--seen", "-korea"}, pos: []string{"-korea"}, seen: true, limit: 50},
		{args: []string{"--outlet", "-odd", "x"}, pos: []string{"x"}, outlet: "-odd", limit: 50}, // a flag's value may start with '-'
		{args: []string{"--", "-korea", "--outlet"}, pos: []string{"-korea", "--outlet"}, limit: 50},
		{args: []string{`-"north korea" troops`}, pos: []string{`-"north korea" troops`}, limit: 50},
		{args: []string{"-outlet x"}, pos: []string{"-outlet x"}, limit: 50}, // holds a space: a query
		{args: []string{"korea", "--outlte", "x"}, wantErr: true},
		{args: []string{"--limit"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			e := &env{stdout: &stderr, stderr: &stderr}
			fs := newFlags(e, "query", "help")
			var outlet string
			fs.StringVar(&outlet, "outlet", "", "")
			limit := fs.Int("limit", 50, "")
			seen := fs.Bool("seen", false, "")
			pos, err := parseQueryFlags(e, fs, tt.args)
			if tt.wantErr {
				if !errors.Is(err, errUsage) {
					t.Fatalf("err %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pos, tt.pos) || outlet != tt.outlet || *limit != tt.limit || *seen != tt.seen {
				t.Errorf("pos %q outlet %q limit %d seen %v; want %q %q %d %v", pos, outlet, *limit, *seen, tt.pos, tt.outlet, tt.limit, tt.seen)
			}
		})
	}
	// Commands without a query keep reporting an unknown flag as one.
	var stderr bytes.Buffer
	e := &env{stdout: &stderr, stderr: &stderr}
	fs := newFlags(e, "run", "help")
	if _, err := parseFlags(e, fs, []string{"-korea"}); !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), "-korea") {
		t.Errorf("run -korea: %v %q", err, stderr.String())
	}
	if pos, err := parseFlags(e, newFlags(e, "backup", "help"), []string{"--", "-a.db", "-b"}); err != nil || !slices.Equal(pos, []string{"-a.db", "-b"}) {
		t.Errorf("backup -- -a.db -b: %q %v", pos, err)
	}
}

// TestQueryStartingWithDash runs 'feedvault query -korea' end to end.
func TestQueryStartingWithDash(t *testing.T) {
	ctx := context.Background()
	db := importedFixture(ctx, t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-korea"}, "kyiv.example/d1 yna.example/c1 meduza.example/b1"},
		{[]string{"-korea", "--outlet", "meduza"}, "meduza.example/b1"},
		{[]string{"--", "-korea"}, "kyiv.example/d1 yna.example/c1 meduza.example/b1"},
		{[]string{"-korea -troops"}, "yna.example/c1 meduza.example/b1"},
	}
	for _, tt := range tests {
		if got := ids(t, ctx, db, tt.args...); got != tt.want {
			t.Errorf("query %q: %s, want %s", tt.args, got, tt.want)
		}
	}
	code, out, errs := cli(ctx, "count", "-korea", "--db", db, "--by", "outlet", "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") != 3 || strings.Contains(out, "themoscowtimes") {
		t.Errorf("count -korea --by outlet: %d %q %q", code, out, errs)
	}
}

// A refused query prints what was wrong with it, as the parser says it,
// without the archive API's prefix, and exits 2.
func TestBadQuerySaysWhatWasWrong(t *testing.T) {
	ctx := context.Background()
	db := importedFixture(ctx, t)
	for _, cmd := range []string{"query", "count"} {
		t.Run(cmd, func(t *testing.T) {
			code, _, errs := cli(ctx, cmd, "--db", db, "korea AND")
			want := "feedvault: query: at character 7: AND needs a word after it\n"
			if code != exitFatal || errs != want {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, errs, exitFatal, want)
			}
		})
	}
}

func TestErrorCause(t *testing.T) {
	tests := []struct{ in, want string }{
		{`fetcher: network: http://127.0.0.1:1/feed: Get "http://127.0.0.1:1/feed": dial tcp 127.0.0.1:1: connect: connection refused`,
			"network: dial tcp 127.0.0.1:1: connect: connection refused"},
		{`fetcher: http_status: https://x.example/rss: HTTP 503 Service Unavailable`, "http_status: HTTP 503 Service Unavailable"},
		{`fetcher: timeout: https://x.example/a%20b: Get "https://x.example/a%20b": context deadline exceeded`, "timeout: context deadline exceeded"},
		{"feedparse: not a feed: the body is HTML", "feedparse: not a feed: the body is HTML"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := errorCause(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWriteTableFits: on a terminal of width w every line fits in w
// cells, the long columns cut with "…"; piped (width 0), cells are whole.
func TestWriteTableFits(t *testing.T) {
	long := "https://news.example.com/section/world/rss/feed.xml?format=full&lang=" + strings.Repeat("x", 40)
	errText := "network: dial tcp 10.0.0.1:443: connect: connection refused by a very long chain of causes, Пхеньян"
	cols := []column{{"OUTLET", 0, 0}, {"FEED", 24, 0}, {"STATUS", 0, 0}, {"LAST ERROR", 20, 0}}
	rows := [][]string{{"meduza", long, "failing", errText}, {"yonhap", "https://yna.example/rss", "ok", ""}}
	for _, width := range []int{70, 80, 120, 400} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			var b strings.Builder
			if err := writeTable(&b, width, cols, rows); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if len(lines) != 3 || !strings.HasPrefix(lines[0], "OUTLET  FEED") {
				t.Fatalf("table:\n%s", b.String())
			}
			for _, l := range lines {
				if n := uniseg.StringWidth(l); n > width {
					t.Errorf("line of %d cells > %d: %q", n, width, l)
				}
			}
			if width < 200 && !strings.Contains(lines[1], "…") {
				t.Errorf("nothing cut at width %d: %q", width, lines[1])
			}
			if width == 400 && (!strings.Contains(lines[1], long) || !strings.Contains(lines[1], errText)) {
				t.Errorf("cut though it fits: %q", lines[1])
			}
		})
	}
	// Too narrow for the least widths: the columns keep them, the
	// terminal wraps.
	var narrow strings.Builder
	writeTable(&narrow, 40, cols, rows)
	if got := strings.Split(narrow.String(), "\n")[1]; !strings.Contains(got, "  "+clipWidth(long, 24)+"  ") {
		t.Errorf("width 40: %q", got)
	}
	// A droppable column goes when shrinking is not enough, and comes
	// back when there is room.
	dcols := append(slices.Clone(cols), column{"NEXT POLL", 0, 1})
	drows := [][]string{append(slices.Clone(rows[0]), "in 12m"), append(slices.Clone(rows[1]), "in 3m")}
	for width, shown := range map[int]bool{72: false, 400: true} {
		var d strings.Builder
		writeTable(&d, width, dcols, drows)
		if strings.Contains(d.String(), "NEXT POLL") != shown || strings.Contains(d.String(), "in 12m") != shown {
			t.Errorf("width %d: NEXT POLL shown %v, want %v:\n%s", width, !shown, shown, d.String())
		}
		for _, l := range strings.Split(strings.TrimSuffix(d.String(), "\n"), "\n") {
			if uniseg.StringWidth(l) > width {
				t.Errorf("width %d: line of %d cells: %q", width, uniseg.StringWidth(l), l)
			}
		}
	}
	var b strings.Builder
	writeTable(&b, 0, cols, rows)
	if !strings.Contains(b.String(), long) || !strings.Contains(b.String(), errText) {
		t.Errorf("piped table cut its cells:\n%s", b.String())
	}
}

// TestFeedsFindsConfigLikeRun: run and feeds, given only --db, both read
// the feeds.yaml beside the archive; with none anywhere both say where
// they looked. A failed feed shows its cause, and the run's summary
// names the feeds command.
func TestFeedsFindsConfigLikeRun(t *testing.T) {
	t.Setenv("FEEDVAULT_CONFIG", "")
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	for _, cmd := range []string{"run", "feeds"} {
		code, _, errs := cli(ctx, cmd, "--db", db)
		if code != exitFatal || !strings.Contains(errs, "no feeds.yaml found") || !strings.Contains(errs, filepath.Join(dir, "feeds.yaml")) {
			t.Errorf("%s without a config: %d %q", cmd, code, errs)
		}
	}
	writeConfig(t, dir, "http://127.0.0.1:1/feed") // nothing listens on port 1
	code, out, errs := cli(ctx, "run", "--db", db)
	if code != exitPartial || !strings.Contains(out, "failed 1") {
		t.Fatalf("run: %d %q %q", code, out, errs)
	}
	if want := "1 of 1 feeds failed; 'feedvault feeds --db " + db + "' shows which"; !strings.Contains(errs, want) {
		t.Errorf("run's summary does not point to feeds: %q", errs)
	}
	code, out, errs = cli(ctx, "feeds", "--db", db, "--format", "table")
	if code != 0 || !strings.Contains(out, "http://127.0.0.1:1/feed") || strings.Count(out, "127.0.0.1:1/feed") != 1 ||
		!strings.Contains(out, "network: ") || !strings.Contains(out, "connection refused") {
		t.Errorf("feeds: %d %q %q", code, out, errs)
	}
}

// TestFilterFlagsSayWhatTheySelect: --until an instant takes the articles
// published at it ("on or before"); an empty --outlet is an error, not
// every outlet; an --outlet name no article is from gets a note (names
// are exact), one that is found none.
func TestFilterFlagsSayWhatTheySelect(t *testing.T) {
	ctx := context.Background()
	db := importedFixture(ctx, t)
	for _, tt := range []struct {
		args     []string
		code     int
		ids      string // with code 0
		inStderr string // "" : stderr empty
	}{
		{args: []string{"--until", "2024-10-29T09:00:00Z"}, ids: "mt.example/a2 mt.example/a1"},
		{args: []string{"--since", "2024-10-29T09:00:00Z", "--until", "2024-10-29T09:00:00Z"}, ids: "mt.example/a2"},
		{args: []string{"--since", "2024-10-29T12:00:01+03:00", "--until", "2024-10-29T12:00:00+03:00"}, code: 2, inStderr: "is before --since"},
		{args: []string{"--outlet", ""}, code: 2, inStderr: `no name in ""`},
		{args: []string{"--outlet", " , "}, code: 2, inStderr: `no name in " , "`},
		{args: []string{"--outlet", "meduza"}, ids: "meduza.example/b1"},
		{args: []string{"--outlet", "Meduza,yonhap"}, ids: "yna.example/c1", inStderr: `outlet "Meduza" (names are exact: "meduza")`},
		{args: []string{"--outlet", "nosuch"}, ids: "", inStderr: `outlet "nosuch" (see 'feedvault count --by outlet')`},
		{args: []string{"korea or troops"}, ids: "", inStderr: `note: query: at character 7: "or" is a word to search; the operator is OR, in capitals`},
		{args: []string{"korea OR troops"}, ids: "kyiv.example/d1 mt.example/a2 mt.example/a1"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := cli(ctx, append([]string{"query", "--db", db, "--format", "csv", "--fields", "url"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.inStderr) || tt.inStderr == "" && errs != "" {
				t.Fatalf("exit %d, stderr %q; want %d, …%s…", code, errs, tt.code, tt.inStderr)
			}
			if code != 0 {
				return
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
				got = append(got, strings.TrimPrefix(strings.TrimSpace(l), "https://"))
			}
			if g := strings.Join(got, " "); g != tt.ids {
				t.Fatalf("got %s, want %s", g, tt.ids)
			}
		})
	}
	code, _, errs := cli(ctx, "count", "--db", db, "--outlet", "Yonhap", "--by", "outlet")
	if code != 0 || !strings.Contains(errs, `outlet "Yonhap" (names are exact: "yonhap")`) {
		t.Errorf("count --outlet Yonhap: exit %d, stderr %q", code, errs)
	}
}

// importedFixture imports importFixture's articles into a new archive
// and returns its path.
func importedFixture(ctx context.Context, t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if code, _, errs := cli(ctx, "import", "--db", db, importFixture(t, dir)); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	return db
}

// A command that takes flags only refuses an argument instead of
// ignoring it ('check archive.db' checked ./feedvault.db), and an empty
// --db is refused by name, not looked for as the file "".
func TestStrayArgumentsAndEmptyDB(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"version", "extra"}, `version: unexpected argument "extra"`},
		{[]string{"check", "archive.db"}, `check: unexpected argument "archive.db" (an archive is given as --db PATH)`},
		{[]string{"compact", "x"}, `compact: unexpected argument "x"`},
		{[]string{"reindex", "/srv/a.db"}, `reindex: unexpected argument "/srv/a.db" (an archive is given as --db PATH)`},
		{[]string{"feeds", "import-opm"}, `feeds: unexpected argument "import-opm"`},
		{[]string{"query", "--db", "", "korea"}, `query: --db is empty`},
		{[]string{"count", "--db=", "korea"}, `count: --db is empty`},
		{[]string{"check", "--db", ""}, `check: --db is empty`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := cli(ctx, tt.args...)
			if code != exitFatal || !strings.Contains(errs, "feedvault: "+tt.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errs, exitFatal, tt.want)
			}
		})
	}
}

// An archive's file name among the query words is searched for as words,
// and the query says how to ask that archive instead.
func TestArchiveNameAmongQueryWordsIsNoted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	if err := os.WriteFile(other, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := importedFixture(ctx, t)
	_, _, errs := cli(ctx, "query", "--db", db, other, "korea")
	if want := fmt.Sprintf("feedvault: note: %q is searched for as words; to ask that archive, give --db %s", other, other); !strings.Contains(errs, want) {
		t.Errorf("stderr %q lacks %q", errs, want)
	}
	if _, _, errs := cli(ctx, "query", "--db", db, "missing.db", "korea"); strings.Contains(errs, "is searched for as words") {
		t.Errorf("a name that is no file is noted: %q", errs)
	}
}
