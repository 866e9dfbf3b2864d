package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/feedvault/feedvault/config"
)

const configFlagHelp = "config file (default: $FEEDVAULT_CONFIG, else ./feeds.yaml, else feeds.yaml beside --db)"

// addConfigFlag registers --config for a command that finds its config
// with findConfig: run, daemon, feeds, reextract and the OPML commands.
func addConfigFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", configFlagHelp)
}

// findConfig is the one way commands find feeds.yaml: --config when
// given; else $FEEDVAULT_CONFIG; else ./feeds.yaml; else feeds.yaml in
// the archive's directory, so that 'feedvault feeds --db
// /srv/news/feedvault.db' run from elsewhere reads the config the daemon
// there was started with. A path given explicitly is returned whether or
// not it exists (its error names it); tried lists what was looked at
// when nothing was found.
func findConfig(flagValue, dbPath string) (path string, tried []string) {
	if flagValue != "" {
		return flagValue, nil
	}
	if p := os.Getenv("FEEDVAULT_CONFIG"); p != "" {
		return p, nil
	}
	cands := []string{"feeds.yaml"}
	if dbPath != "" {
		if beside := filepath.Join(filepath.Dir(dbPath), "feeds.yaml"); filepath.Clean(beside) != "feeds.yaml" {
			cands = append(cands, beside)
		}
	}
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", cands
}

// loadConfig finds (findConfig) and loads the config; none found is an
// error that says where it looked.
func loadConfig(flagValue, dbPath string) (*config.Config, error) {
	path, tried := findConfig(flagValue, dbPath)
	if path == "" {
		return nil, fmt.Errorf("config: no feeds.yaml found (looked for %s); give --config FILE or set FEEDVAULT_CONFIG", quoteList(tried))
	}
	cfg, err := config.Load(path)
	return cfg, namedBy(err, flagValue)
}

// namedBy says, of a config file that does not exist, who named it: the
// flag, or $FEEDVAULT_CONFIG (set in a profile and forgotten, the one a
// stranger does not think of).
func namedBy(err error, flagValue string) error {
	if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if flagValue == "" && os.Getenv("FEEDVAULT_CONFIG") != "" {
		return fmt.Errorf("%w ($FEEDVAULT_CONFIG names it: correct or unset it, or give --config FILE)", err)
	}
	return fmt.Errorf("%w (give --config an existing file, or leave --config out to use ./feeds.yaml)", err)
}

// loadOptionalConfig loads the config when there is one (nil, nil when
// findConfig finds none): maintenance commands use outlets' rules when
// there are some. A --config that does not exist is an error.
func loadOptionalConfig(flagValue, dbPath string) (*config.Config, error) {
	path, _ := findConfig(flagValue, dbPath)
	if path == "" {
		return nil, nil
	}
	cfg, err := config.Load(path)
	if flagValue == "" && os.Getenv("FEEDVAULT_CONFIG") == "" && errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return cfg, namedBy(err, flagValue)
}

func quoteList(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " and "
		}
		out += fmt.Sprintf("%q", x)
	}
	return out
}
