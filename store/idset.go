package store

// Sets of article ids as sorted slices: what the evaluator combines.

func dedupSorted(ids []uint64) []uint64 {
	if len(ids) < 2 {
		return ids
	}
	out := ids[:1]
	for _, id := range ids[1:] {
		if id != out[len(out)-1] {
			out = append(out, id)
		}
	}
	return out
}

// skewed is how many times longer one list must be than the other for
// a merge to skip through it (seek) rather than step through it.
const skewed = 32

// seek returns the first index of b at or after j whose id is at least
// x, by galloping from j: a short list merged with a long one costs
// log(len(b)/len(a)) steps per id, not len(b)/len(a).
func seek(b []uint64, j int, x uint64) int {
	if j >= len(b) || b[j] >= x {
		return j
	}
	step := 1
	for j+step < len(b) && b[j+step] < x {
		j += step
		step *= 2
	}
	// b[j] < x, and b[j+step] >= x or past the end.
	hi := min(j+step, len(b))
	for lo := j + 1; lo < hi; {
		mid := int(uint(lo+hi) >> 1)
		if b[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return hi
}

func intersect(a, b []uint64) []uint64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b) > skewed*len(a) {
		out := make([]uint64, 0, len(a))
		j := 0
		for _, x := range a {
			if j = seek(b, j, x); j == len(b) {
				break
			}
			if b[j] == x {
				out = append(out, x)
			}
		}
		return out
	}
	out := make([]uint64, 0, min(len(a), len(b)))
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return out
}

func unionIDs(a, b []uint64) []uint64 {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]uint64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		default:
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// minus returns the ids of a not in b: a itself when b is empty (the
// sets are not changed once made; a copy of a long list would cost its
// pages again).
func minus(a, b []uint64) []uint64 {
	if len(b) == 0 || len(a) == 0 {
		return a
	}
	// Room for all of a at once: growing a list of 400,000 ids step by
	// step copies it a dozen times; the room it leaves unused is not
	// touched, so costs no pages.
	out := make([]uint64, 0, len(a))
	gallop := len(b) > skewed*len(a)
	j := 0
	for _, x := range a {
		if gallop {
			j = seek(b, j, x)
		}
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			continue
		}
		out = append(out, x)
	}
	return out
}
