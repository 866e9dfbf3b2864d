package main

import (
	"context"
)

const daemonHelp = `
Usage: feedvault daemon [--config FILE] [--db PATH]

Polls each feed on its own schedule (the outlet's interval, with jitter;
backing off on failures; honouring Retry-After) until SIGINT or SIGTERM,
then lets in-flight work finish or abandons it cleanly, closes the archive
and exits 0.

It holds the archive for as long as it runs and answers reads on the
socket DB.sock beside the archive's real file (symbolic links resolved),
so 'feedvault query', 'show' and 'feeds' work while it runs with nothing
to configure: they find it from --db alone, through any link to the
archive. When that path is too long for a socket, the socket goes in
$XDG_RUNTIME_DIR/feedvault, or /tmp/feedvault-UID (mode 0700). Only
processes of the daemon's own user are answered, and the CLI talks only
to a daemon of its own user. A 'feedvault run' against the same archive
exits with "busy".

Examples:
  feedvault daemon
  FEEDVAULT_LOG=debug feedvault daemon --db /srv/news/feedvault.db
`

func cmdDaemon(ctx context.Context, e *env, args []string) int {
	s, p, dbPath, code := startWriter(ctx, e, "daemon", daemonHelp, args)
	if code >= 0 {
		return code
	}
	e.log.Info("daemon started", "db", dbPath)
	p.Daemon(ctx) // returns once every poll has stopped
	if err := s.close(); err != nil {
		return fail(e, err)
	}
	e.log.Info("daemon stopped cleanly")
	return exitOK
}
