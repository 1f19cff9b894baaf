package store

import (
	"sort"
	"strings"
)

// EditDistance is the Levenshtein distance between a and b, or max+1 once
// it is known to exceed max. scratch, when it has room for two rows of
// len(b)+1, is used instead of allocating; pass nil otherwise. Suggestions
// of close names (CLI, query language) and near matches of screening-list
// entries all measure with it.
func EditDistance(a, b []rune, max int, scratch []int) int {
	if len(a)-len(b) > max || len(b)-len(a) > max {
		return max + 1
	}
	n := len(b) + 1
	if cap(scratch) < 2*n {
		scratch = make([]int, 2*n)
	}
	prev, cur := scratch[:n], scratch[n:2*n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j < n; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Suggest returns up to three of candidates close to s, for "did you
// mean": prefix or substring matches first, then small edit distances.
// Case is ignored. Every "did you mean" of the command line and the config
// file ranks with it.
func Suggest(s string, candidates []string) []string {
	s = strings.ToLower(s)
	type scored struct {
		c     string
		score int
	}
	var out []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if seen[lc] {
			continue
		}
		seen[lc] = true
		switch {
		case lc == s:
			continue
		case strings.HasPrefix(lc, s) || strings.HasPrefix(s, lc):
			out = append(out, scored{c, 0})
		case strings.Contains(lc, s) || strings.Contains(s, lc):
			out = append(out, scored{c, 1})
		default:
			if d := EditDistance([]rune(s), []rune(lc), 3, nil); d <= 2 || (len(s) > 6 && d <= 3) {
				out = append(out, scored{c, 1 + d})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score < out[j].score })
	var res []string
	for i := 0; i < len(out) && i < 3; i++ {
		res = append(res, out[i].c)
	}
	return res
}
