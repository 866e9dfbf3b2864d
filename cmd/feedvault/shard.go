package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
)

// shardHelp is the --shard paragraph of run's and daemon's help.
const shardHelp = `With --shard k/N it polls only the feeds of shard k of N: those whose
URL hashes there (SHA-256 of the URL, mod N; see README, "Scaling past
one machine", and 'feedvault feeds --shard k/N' for the list). Each shard
fills an archive of its own: feedvault-shardKofN.db (e.g.
feedvault-shard2of4.db) unless --db or $FEEDVAULT_DB names one. The
archive records its shard and refuses to be filled by another, or
without --shard.`

// addShardFlag adds --shard to a command's flags.
func addShardFlag(fs *flag.FlagSet, usage string) *string {
	return fs.String("shard", "", usage)
}

// shardFlags reads --shard, and gives the archive path for it: the one
// named by --db or $FEEDVAULT_DB, else the default with the shard's
// suffix (feedvault-shard2of4.db).
func shardFlags(fs *flag.FlagSet, spec, db string) (config.Shard, string, error) {
	sh, err := config.ParseShard(spec)
	if err != nil {
		return sh, db, err
	}
	return sh, shardDB(sh, db, flagSet(fs, "db") || os.Getenv("FEEDVAULT_DB") != ""), nil
}

func shardDB(sh config.Shard, db string, named bool) string {
	if sh.IsZero() || named {
		return db
	}
	ext := filepath.Ext(db)
	return strings.TrimSuffix(db, ext) + "-" + sh.Label() + ext
}

// archiveShard is the shard an archive records (the zero Shard when
// none).
func archiveShard(ctx context.Context, r archiveapi.Reader) (config.Shard, error) {
	st, err := r.Status(ctx)
	if err != nil {
		return config.Shard{}, err
	}
	return config.ParseShard(st.Stats.Shard)
}
