package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/pipeline"
)

// runOp runs a maintenance op through the daemon when one holds the
// archive, else on the file. cfg may be nil.
func runOp(ctx context.Context, log *slog.Logger, dbPath, name string, cfg *config.Config, params any, body io.Reader, out any) (string, error) {
	return runOpWith(ctx, log, dbPath, name, cfg, nil, params, body, out)
}

// runOpWith is runOp telling prog (nil: nothing) how far the op is when
// it runs on the file here; through the daemon only its end is known.
func runOpWith(ctx context.Context, log *slog.Logger, dbPath, name string, cfg *config.Config, prog pipeline.Progress, params any, body io.Reader, out any) (string, error) {
	ops := maintenanceOpsWith(cfg, prog)
	via, err := archiveapi.RunOp(ctx, log, dbPath, name, ops[name], params, body, out)
	if errors.Is(err, archiveapi.ErrBusy) {
		return via, heldByOther(dbPath, "try again when it ends")
	}
	return via, err
}
