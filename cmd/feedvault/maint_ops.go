package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
)

// runOp runs a maintenance op through the daemon when one holds the
// archive, else on the file. cfg may be nil.
func runOp(ctx context.Context, dbPath, name string, cfg *config.Config, params any, body io.Reader, out any) (string, error) {
	ops := maintenanceOps(cfg)
	via, err := archiveapi.RunOp(ctx, dbPath, name, ops[name], params, body, out)
	if errors.Is(err, archiveapi.ErrBusy) {
		return via, fmt.Errorf("busy: %s is held by a process that does not answer on %s; try again when it ends", dbPath, archiveapi.SocketPath(dbPath))
	}
	return via, err
}
