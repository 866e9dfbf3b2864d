package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/coverage"
	"github.com/feedvault/feedvault/store"
	"github.com/feedvault/feedvault/stories"
)

// analysisOps are the coverage and story ops: all read, but for the
// stories backfill. A running daemon serves them with the maintenance
// ops; without one the CLI runs them on the file (see analysis).
func analysisOps() map[string]archiveapi.Op {
	return map[string]archiveapi.Op{
		"coverage": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p coverageParams
			if err := json.Unmarshal(params, &p); err != nil {
				return nil, fmt.Errorf("coverage: %w", err)
			}
			return coverage.Compute(st, coverage.Options{Since: p.Since, Until: p.Until, Outlets: p.Outlets})
		},
		"stories": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p storiesParams
			if err := json.Unmarshal(params, &p); err != nil {
				return nil, fmt.Errorf("stories: %w", err)
			}
			return listStories(ctx, st, p)
		},
		"story": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p struct{ ID uint64 }
			if err := json.Unmarshal(params, &p); err != nil {
				return nil, fmt.Errorf("story: %w", err)
			}
			return storyOf(st, p.ID)
		},
		"story-groups": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p struct{ IDs []uint64 }
			if err := json.Unmarshal(params, &p); err != nil {
				return nil, fmt.Errorf("story groups: %w", err)
			}
			out := make(map[uint64]uint64, len(p.IDs))
			for _, id := range p.IDs {
				si, ok, err := st.Story(id)
				if err != nil {
					return nil, err
				}
				if ok {
					out[id] = si.Group
				}
			}
			return out, nil
		},
		"stories-backfill": func(ctx context.Context, st *store.Store, params json.RawMessage, _ io.Reader) (any, error) {
			var p struct{ Rebuild bool }
			json.Unmarshal(params, &p)
			return stories.Backfill(ctx, st, p.Rebuild)
		},
	}
}

// analysis runs a reading op: through the daemon's socket when one
// serves dbPath, else on the file opened read-only (so it works beside
// an open read-only Reader).
func analysis(ctx context.Context, dbPath, name string, params, out any) error {
	if r, err := archiveapi.Dial(ctx, dbPath); err == nil {
		r.Close()
		_, err := archiveapi.RunOp(ctx, nil, dbPath, name, analysisOps()[name], params, nil, out)
		return err
	}
	st, err := store.Open(dbPath, store.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, store.ErrBusy) {
		return heldByOther(dbPath, "try again when it ends")
	}
	if err != nil {
		return err
	}
	defer st.Close()
	pj, err := json.Marshal(params)
	if err != nil {
		return err
	}
	res, err := analysisOps()[name](ctx, st, pj, nil)
	if err != nil {
		return err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

type coverageParams struct {
	Since   time.Time `json:"since,omitzero"`
	Until   time.Time `json:"until,omitzero"`
	Outlets []string  `json:"outlets,omitempty"`
}

type storiesParams struct {
	Query archiveapi.QueryRequest `json:"query"`
	Min   int                     `json:"min"`   // smallest group listed
	Limit int                     `json:"limit"` // 0: all
}

// storyMember is one article of a group, as listed.
type storyMember struct {
	ID         uint64    `json:"id"`
	Outlet     string    `json:"outlet"`
	Title      string    `json:"title"`
	URL        string    `json:"url"`
	Published  time.Time `json:"published,omitzero"`
	FirstSeen  time.Time `json:"first_seen"`
	Similarity float64   `json:"similarity,omitempty"` // to the member it joined by
	Agencies   []string  `json:"agencies,omitempty"`
}

// storyGroup is a group of copies, members in first-seen order.
type storyGroup struct {
	Story    uint64        `json:"story"` // the group's id: its first article's
	Size     int           `json:"size"`
	Outlets  []string      `json:"outlets"` // in first-seen order, each once
	First    time.Time     `json:"first_seen"`
	MinSim   float64       `json:"min_similarity"`
	Agencies []string      `json:"agencies,omitempty"`
	Members  []storyMember `json:"members"`
}

func loadGroup(st *store.Store, group uint64, ids []uint64) (storyGroup, error) {
	g := storyGroup{Story: group, Size: len(ids), MinSim: 1}
	seenOutlet, seenAgency := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		a, err := st.Get(id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return g, err
		}
		si, _, err := st.Story(id)
		if err != nil {
			return g, err
		}
		m := storyMember{ID: id, Outlet: a.Outlet, Title: a.Title, URL: a.URL, Published: a.Published, FirstSeen: a.FirstSeen, Similarity: si.Similarity, Agencies: si.Agencies}
		g.Members = append(g.Members, m)
		if id != group && si.Similarity < g.MinSim {
			g.MinSim = si.Similarity
		}
		for _, ag := range si.Agencies {
			if !seenAgency[ag] {
				seenAgency[ag] = true
				g.Agencies = append(g.Agencies, ag)
			}
		}
	}
	sort.SliceStable(g.Members, func(i, j int) bool { return g.Members[i].FirstSeen.Before(g.Members[j].FirstSeen) })
	for _, m := range g.Members {
		if !seenOutlet[m.Outlet] {
			seenOutlet[m.Outlet] = true
			g.Outlets = append(g.Outlets, m.Outlet)
		}
	}
	if len(g.Members) > 0 {
		g.First = g.Members[0].FirstSeen
	}
	if g.Size < 2 {
		g.MinSim = 0
	}
	return g, nil
}

// listStories lists the groups of at least p.Min articles that have a
// member matching the query, newest first (by their first article).
func listStories(ctx context.Context, st *store.Store, p storiesParams) ([]storyGroup, error) {
	groups, err := st.StoryGroups(max(p.Min, 1))
	if err != nil {
		return nil, err
	}
	q := p.Query
	filtered := q.Query != "" || len(q.Outlets) > 0 || !q.Since.IsZero() || !q.Until.IsZero() || q.Edited
	if filtered {
		f, err := q.Filter()
		if err != nil {
			return nil, err
		}
		f.Limit = 0
		arts, err := st.Query(f)
		if err != nil {
			return nil, err
		}
		match := map[uint64]bool{}
		for _, a := range arts {
			match[a.ID] = true
		}
		for g, ids := range groups {
			keep := false
			for _, id := range ids {
				keep = keep || match[id]
			}
			if !keep {
				delete(groups, g)
			}
		}
	}
	// A group's id is its first article's, and ids grow with time: the
	// newest groups are the highest ids, so only those listed are loaded.
	order := make([]uint64, 0, len(groups))
	for g := range groups {
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] > order[j] })
	if p.Limit > 0 && len(order) > p.Limit {
		order = order[:p.Limit]
	}
	out := make([]storyGroup, 0, len(order))
	for _, g := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sg, err := loadGroup(st, g, groups[g])
		if err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	return out, nil
}

// storyInfo is an article's group, for show.
type storyInfo struct {
	Filed bool            `json:"filed"`
	Info  store.StoryInfo `json:"info"`
	Group storyGroup      `json:"group"`
}

func storyOf(st *store.Store, id uint64) (storyInfo, error) {
	si, ok, err := st.Story(id)
	if err != nil || !ok {
		return storyInfo{}, err
	}
	ids, err := st.StoryMembers(si.Group)
	if err != nil {
		return storyInfo{}, err
	}
	g, err := loadGroup(st, si.Group, ids)
	return storyInfo{Filed: true, Info: si, Group: g}, err
}
