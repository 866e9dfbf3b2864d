package main

import (
	"context"
	"fmt"

	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func cmdVersion(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "version", "Usage: feedvault version\n\nPrints the feedvault, extractor and archive schema versions.")
	if perr := parseNoArgs(e, fs, args); perr != nil {
		return fail(e, perr)
	}
	fmt.Fprintf(e.stdout, "feedvault %s\nextractor %s\narchive schema %d\n", version, extractor.Version, store.SchemaVersion)
	return exitOK
}
