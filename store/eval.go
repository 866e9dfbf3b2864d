package store

import "github.com/feedvault/feedvault/query"

// within narrows an evaluation to the ids a caller will keep: those in
// in (nil: any) and not in out. A phrase checks the text of only these
// candidates, so the cheap parts of an AND (words, outlets, negated
// words) are evaluated first and narrow its phrases.
type within struct {
	in  []uint64 // sorted; nil: no bound
	out []uint64 // sorted
}

// keep returns the ids of ids (sorted) that w keeps.
func (w *within) keep(ids []uint64) []uint64 {
	if w == nil {
		return ids
	}
	if w.in != nil {
		ids = intersect(ids, w.in)
	}
	if len(w.out) > 0 {
		ids = minus(ids, w.out)
	}
	return ids
}

// and is w narrowed further to in (nil: no bound) and away from out.
func (w *within) and(in, out []uint64) *within {
	n := &within{in: in, out: out}
	if w == nil {
		return n
	}
	switch {
	case w.in == nil:
	case in == nil:
		n.in = w.in
	default:
		n.in = intersect(w.in, in)
	}
	n.out = unionIDs(w.out, out)
	return n
}

// eval returns the ids of the articles that match n, sorted.
func (e *evaluator) eval(n *query.Node) []uint64 { return e.evalIn(n, nil) }

// evalIn returns a sorted set S with match(n) ∩ W ⊆ S ⊆ match(n), where
// W is what w keeps (everything when w is nil): every match a caller
// keeping W needs, and nothing that does not match.
func (e *evaluator) evalIn(n *query.Node, w *within) []uint64 {
	switch n.Op {
	case query.OpTerm:
		return e.term(n)
	case query.OpPhrase:
		return e.phrase(n, w)
	case query.OpOr:
		var out []uint64
		for _, k := range n.Kids {
			out = unionIDs(out, e.evalIn(k, w))
		}
		return out
	case query.OpNot:
		// all but a subset of the kid's matches: kept to W, so that no
		// id outside W that the kid matches slips in.
		return w.keep(minus(e.all(), e.evalIn(n.Kids[0], w)))
	case query.OpAnd:
		return e.and(n.Kids, w)
	}
	return nil
}

// and evaluates the kids of an AND: those without a phrase first, then
// the phrases, each narrowed to what the others leave.
func (e *evaluator) and(kids []*query.Node, w *within) []uint64 {
	var cheap, cheapNeg, dear, dearNeg []*query.Node
	for _, k := range kids {
		neg := k.Op == query.OpNot
		if neg {
			k = k.Kids[0]
		}
		switch {
		case !hasPhrase(k) && neg:
			cheapNeg = append(cheapNeg, k)
		case !hasPhrase(k):
			cheap = append(cheap, k)
		case neg:
			dearNeg = append(dearNeg, k)
		default:
			dear = append(dear, k)
		}
	}
	var out []uint64 // nil: no positive kid evaluated yet
	for _, k := range cheap {
		ids := e.evalIn(k, w)
		if out == nil {
			out = ids
		} else {
			out = intersect(out, ids)
		}
		if len(out) == 0 {
			return []uint64{}
		}
	}
	var drop []uint64 // the cheap negated kids' matches
	for _, k := range cheapNeg {
		ids := e.evalIn(k, w.and(out, nil))
		if out != nil {
			out = minus(out, ids)
		} else {
			drop = unionIDs(drop, ids)
		}
	}
	for _, k := range dear {
		ids := e.evalIn(k, w.and(out, drop))
		if out == nil {
			out = minus(ids, drop)
		} else {
			out = intersect(out, ids)
		}
		if len(out) == 0 {
			return []uint64{}
		}
	}
	if out == nil { // no positive kid: everything but the negated ones
		out = minus(e.all(), drop)
	}
	for _, k := range dearNeg {
		out = minus(out, e.evalIn(k, w.and(out, nil)))
	}
	// A negated kid was evaluated within W and out only: an id of out
	// outside W that it matches (through a NOT of its own, narrowed to
	// W) may still be in out. Kept to W, out matches n.
	return w.keep(out)
}
