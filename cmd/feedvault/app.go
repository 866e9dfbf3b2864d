package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/redact"
)

// Exit statuses, documented in README.md.
const (
	exitOK      = 0 // everything worked
	exitPartial = 1 // the run finished, but some feeds or pages failed; or a command was interrupted
	exitFatal   = 2 // could not run: bad usage, bad config, archive busy or damaged
)

// env is what every subcommand is handed: its streams and a logger.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"run", "poll every feed once, archive new articles, exit (for cron)", cmdRun},
		{"daemon", "poll on a schedule until SIGINT/SIGTERM; serve reads to the CLI", cmdDaemon},
		{"query", "list archived articles that match a query, newest first", cmdQuery},
		{"count", "count matching articles by day, week, month or outlet", cmdCount},
		{"show", "print one article in full, with revisions and sightings", cmdShow},
		{"feeds", "list each configured feed and its health; import-opml, export-opml", cmdFeeds},
		{"coverage", "how complete the archive is: polls, failures, gaps, silent feeds, daily norms", cmdCoverage},
		{"stories", "groups of articles that are copies of one text, with who had it first", cmdStories},
		{"export", "write matching articles as jsonl, csv, warc or parquet, with a manifest", cmdExport},
		{"serve", "serve the read-only research workbench in the browser", cmdServe},
		{"import", "archive articles from a jsonl file", cmdImport},
		{"extract", "run the extractor on saved pages, no network", cmdExtract},
		{"reextract", "re-run the extractor on stored raw pages", cmdReextract},
		{"reindex", "rebuild the full-text index", cmdReindex},
		{"backup", "write a consistent hot copy of the archive", cmdBackup},
		{"check", "verify the archive's integrity", cmdCheck},
		{"compact", "reclaim free space in the archive file", cmdCompact},
		{"recover", "copy what is readable from a damaged archive into a new one", cmdRecover},
		{"version", "print the feedvault and extractor versions", cmdVersion},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Whatever reaches a terminal has its control characters escaped.
	stdout, stderr = forTerminal(stdout), forTerminal(stderr)
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	e.log = newLogger(stderr, os.Getenv("FEEDVAULT_LOG"))
	if v := os.Getenv("FEEDVAULT_LOG"); v != "" {
		if _, ok := logLevel(v); !ok {
			e.log.Warn("FEEDVAULT_LOG is not a level: logging at info", "FEEDVAULT_LOG", v, "levels", "debug, info, warn, error")
		}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			return run(ctx, []string{args[1], "--help"}, stdin, stdout, stderr)
		}
		usage(stdout)
		if len(args) == 0 {
			return exitCode(errUsage)
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "feedvault: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitCode(errUsage)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `feedvault archives news coverage for researchers.

Usage: feedvault COMMAND [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'feedvault COMMAND --help' for a command's flags and examples.

Defaults: the config is ./feeds.yaml (or $FEEDVAULT_CONFIG), the archive is
./feedvault.db (or $FEEDVAULT_DB). Logs go to stderr; FEEDVAULT_LOG=debug|info|warn|error.
`)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	l, _ := logLevel(level)
	return slog.New(redact.Handler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})))
}

// logLevel reads FEEDVAULT_LOG; ok is false for a value that is not a
// level (it logs at info).
func logLevel(level string) (l slog.Level, ok bool) {
	switch strings.ToLower(level) {
	case "debug":
		return slog.LevelDebug, true
	case "warn":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	case "info", "":
		return slog.LevelInfo, true
	}
	return slog.LevelInfo, false
}

// newFlags makes a subcommand's flag set; help is its usage text, printed
// before the flag list.
func newFlags(e *env, name, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\nFlags:\n", strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// (feedvault query troops --outlet x). An error (errHelp, errUsage) ends
// the command: return fail(e, err).
func parseFlags(e *env, fs *flag.FlagSet, args []string) (positional []string, err error) {
	return parseArgs(e, fs, args, false)
}

// parseNoArgs is parseFlags for a command that takes flags only: an
// argument is an error, never ignored ('feedvault check archive.db'
// would have checked ./feedvault.db).
func parseNoArgs(e *env, fs *flag.FlagSet, args []string) error {
	pos, err := parseFlags(e, fs, args)
	if err != nil || len(pos) == 0 {
		return err
	}
	hint := ""
	if a := pos[0]; fs.Lookup("db") != nil && (strings.HasSuffix(a, ".db") || strings.ContainsRune(a, os.PathSeparator)) {
		hint = " (an archive is given as --db PATH)"
	}
	return fmt.Errorf("%s: unexpected argument %q%s", fs.Name(), pos[0], hint)
}

// parseQueryFlags is parseFlags for the commands that take a query
// (query, count, export, stories): a word that starts with a single '-'
// and is not one of the command's flags is a query word, so
// 'feedvault query -korea' excludes korea instead of failing on an unknown
// flag. '--' still ends the flags; an unknown --double-dash flag is still
// an error (a typo, not a query).
func parseQueryFlags(e *env, fs *flag.FlagSet, args []string) (positional []string, err error) {
	return parseArgs(e, fs, args, true)
}

func parseArgs(e *env, fs *flag.FlagSet, args []string, queryWords bool) (positional []string, err error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(e.stdout) // asked-for help goes to stdout, exit 0
			fs.Usage()
			return nil, errHelp
		}
	}
	for {
		for queryWords && len(args) > 0 && isQueryWord(fs, args[0]) {
			positional = append(positional, args[0])
			args = args[1:]
		}
		cut := flagsEnd(fs, args, queryWords)
		if err := parseQuiet(fs, args[:cut]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, fmt.Errorf("%w: %w", errUsage, err)
		}
		rest := slices.Concat(fs.Args(), args[cut:])
		if len(rest) == 0 {
			return positional, emptyDB(fs)
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), emptyDB(fs)
		}
		if !queryWords || !isQueryWord(fs, rest[0]) {
			positional = append(positional, rest[0])
			rest = rest[1:]
		}
		args = rest
	}
}

// parseQuiet parses args with fs, and on a bad flag prints the flag
// package's error and a hint (the closest flag's name, and where the
// command's flags are listed) instead of the whole usage, which buried
// the one line that mattered under sixty.
func parseQuiet(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	defer func() { fs.Usage = usage }()
	fs.Usage = func() {}
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	hint := ""
	if _, name, ok := strings.Cut(err.Error(), "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if c := config.Closest(name, names); c != "" {
			hint = fmt.Sprintf("did you mean --%s? ", c)
		}
	}
	fmt.Fprintf(fs.Output(), "feedvault %s: %s'feedvault %s --help' lists its flags\n", fs.Name(), hint, fs.Name())
	return err
}

// emptyDB refuses an empty --db, which would name no file ("no archive at
// :"): an unset variable in a script, most likely.
func emptyDB(fs *flag.FlagSet) error {
	if f := fs.Lookup("db"); f != nil && f.Value.String() == "" {
		return fmt.Errorf("%s: --db is empty: give the archive's path, or leave --db out for %s", fs.Name(), defaultDB())
	}
	return nil
}

// isQueryWord tells a query word that starts with '-' (-korea, or
// '-"north korea"') from a flag: it has one dash, and it is not the name
// of one of fs's flags, or it holds a space.
func isQueryWord(fs *flag.FlagSet, a string) bool {
	if len(a) < 2 || a[0] != '-' || a[1] == '-' {
		return false
	}
	if strings.ContainsAny(a, " \t") {
		return true
	}
	name, _, _ := strings.Cut(a[1:], "=")
	return fs.Lookup(name) == nil && name != "h" && name != "help"
}

// flagsEnd is where the flags that begin args end: at '--' or, with
// queryWords, at the first query word; len(args) otherwise (fs.Parse
// stops at the first positional argument by itself). It steps over
// flags' values.
func flagsEnd(fs *flag.FlagSet, args []string, queryWords bool) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || (queryWords && isQueryWord(fs, a)) {
			return i
		}
		if len(a) < 2 || a[0] != '-' {
			return len(args)
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			return len(args) // an unknown --flag: fs.Parse says so
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			i++ // the flag's value, even one that starts with '-'
		}
	}
	return len(args)
}

func defaultDB() string {
	if p := os.Getenv("FEEDVAULT_DB"); p != "" {
		return p
	}
	return "feedvault.db"
}

func defaultConfig() string {
	if p := os.Getenv("FEEDVAULT_CONFIG"); p != "" {
		return p
	}
	return "feeds.yaml"
}

// Errors that end a command without a message of their own: the flag
// package has printed the usage or the flag error already.
var (
	errHelp  = errors.New("help shown")
	errUsage = errors.New("bad usage")
)

// partialError is a command that finished but not fully: some feeds,
// pages or files failed, or check found problems.
type partialError struct{ err error }

func (p *partialError) Error() string { return p.err.Error() }
func (p *partialError) Unwrap() error { return p.err }

// partial ends a command that did its work but not all of it (status 1):
// msg is printed as fail prints any error.
func partial(e *env, format string, args ...any) int {
	return fail(e, &partialError{fmt.Errorf(format, args...)})
}

// exitCode is the one place where errors become exit statuses (see the
// table in README.md): none or help 0; partial 1; anything else, bad
// usage, bad config, an archive busy or damaged, 2.
func exitCode(err error) int {
	var partial *partialError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &partial):
		return exitPartial
	case errors.Is(err, context.Canceled):
		// Stopped by SIGINT or SIGTERM: what it finished is kept.
		return exitPartial
	}
	return exitFatal
}

// fail ends a command on err: it prints err once, prefixed, unless the
// flag package said it already, and returns err's exit status.
func fail(e *env, err error) int {
	if !errors.Is(err, errHelp) && !errors.Is(err, errUsage) {
		fmt.Fprintf(e.stderr, "feedvault: %s\n", userMessage(err))
	}
	return exitCode(err)
}

// userMessage is err's text for the terminal: a request the archive
// refused says what was wrong with it, without the API's own prefix
// ("archiveapi: bad request: query: at character 7: …" reads
// "query: at character 7: …").
func userMessage(err error) string {
	msg := err.Error()
	if errors.Is(err, archiveapi.ErrBadRequest) {
		msg = strings.Replace(msg, archiveapi.ErrBadRequest.Error()+": ", "", 1)
	}
	// Stopped by SIGINT or SIGTERM, with nothing more said about it.
	if errors.Is(err, context.Canceled) && strings.HasSuffix(msg, context.Canceled.Error()) {
		msg = strings.TrimSuffix(msg, context.Canceled.Error()) + "interrupted"
	}
	if h := fsHint(err); h != "" {
		msg += " (" + h + ")"
	}
	return msg
}
