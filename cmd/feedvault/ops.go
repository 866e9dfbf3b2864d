package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/feedvault/feedvault/jsonl"
	"io"
	"maps"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/config"
	"github.com/feedvault/feedvault/extractor"
	"github.com/feedvault/feedvault/pipeline"
	"github.com/feedvault/feedvault/store"
)

// maintenanceOps are the commands that write to the archive: run by the
// CLI on a file it opened, or by a running daemon on its own archive.
// cfg may be nil (no config: reextract uses the generic rules only).
func maintenanceOps(cfg *config.Config) map[string]archiveapi.Op { return maintenanceOpsWith(cfg, nil) }

// maintenanceOpsWith are maintenanceOps that tell prog (nil: nothing)
// how far they are, when the CLI runs them on the file itself.
func maintenanceOpsWith(cfg *config.Config, prog pipeline.Progress) map[string]archiveapi.Op {
	ops := map[string]archiveapi.Op{
		"import": func(ctx context.Context, st *store.Store, params json.RawMessage, body io.Reader) (any, error) {
			var p importParams
			if err := archiveapi.DecodeParams(params, &p); err != nil {
				return nil, err
			}
			return jsonl.Import(ctx, st, body, p.Name)
		},
		"reextract": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p struct{ Outlets []string }
			if err := archiveapi.DecodeParams(params, &p); err != nil {
				return nil, err
			}
			rules, err := outletRules(cfg)
			if err != nil {
				return nil, err
			}
			budget := int64(0) // no config: the default
			if cfg != nil {
				budget = cfg.Defaults.MemoryBudget
			}
			return pipeline.ReextractProgress(ctx, st, rules, p.Outlets, budget, prog)
		},
		"reindex": func(ctx context.Context, st *store.Store, _ json.RawMessage, _ io.Reader) (any, error) {
			n, err := st.Reindex()
			return map[string]int{"articles": n}, err
		},
		"compact": func(ctx context.Context, st *store.Store, _ json.RawMessage, _ io.Reader) (any, error) {
			before, after, err := st.Compact()
			return map[string]int64{"before": before, "after": after}, err
		},
	}
	maps.Copy(ops, analysisOps())
	return ops
}

func outletRules(cfg *config.Config) (map[string]*extractor.CompiledRules, error) {
	out := map[string]*extractor.CompiledRules{}
	if cfg == nil {
		return out, nil
	}
	for _, o := range cfg.Outlets {
		r, err := extractor.Compile(extractor.Rules{Content: o.Extract.Content, Remove: o.Extract.Remove})
		if err != nil {
			return nil, fmt.Errorf("outlet %s: %w", o.Name, err)
		}
		out[o.Name] = r
	}
	return out, nil
}

type importParams struct {
	Name string // the file, for messages
}
