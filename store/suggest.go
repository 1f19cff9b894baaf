package store

import (
	"cmp"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"
)

// Suggest is aiwatch's one "did you mean" ranker. It returns up to n IDs
// whose spellings are close to s, best first: within 1 edit of a short s,
// 2 of one up to six characters and 3 of a longer one, or (for an s of two
// characters or more) starting with s or holding it, which counts as the
// largest distance allowed. Spellings are compared folded by FoldAlias;
// ties go to the smaller ID.
// spellings yields (spelling, ID) pairs.
func Suggest(s string, n int, spellings iter.Seq2[string, string]) []string {
	q := FoldAlias(s, false)
	runes := utf8.RuneCountInString(q)
	if runes == 0 || n <= 0 {
		return nil
	}
	maxDist := 3
	switch {
	case runes <= 2:
		maxDist = 1
	case runes <= 6:
		maxDist = 2
	}
	rq := []rune(q)
	best := map[string]int{}
	for sp, id := range spellings {
		k := FoldAlias(sp, false)
		d := maxDist + 1
		if rk := []rune(k); len(rk) <= 64 && len(rq) <= 64 { // long text is no misspelt name
			d = EditDistance(rq, rk, maxDist, nil)
		}
		if d > maxDist && runes >= 2 && strings.Contains(k, q) {
			d = maxDist
		}
		if d > maxDist {
			continue
		}
		if old, ok := best[id]; !ok || d < old {
			best[id] = d
		}
	}
	ids := make([]string, 0, len(best))
	for id := range best {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(best[a], best[b]), cmp.Compare(a, b))
	})
	return ids[:min(len(ids), n)]
}

// SuggestID is Suggest over candidates spelt as their IDs.
func SuggestID(s string, n int, ids []string) []string {
	return Suggest(s, n, func(yield func(string, string) bool) {
		for _, id := range ids {
			if !yield(id, id) {
				return
			}
		}
	})
}
