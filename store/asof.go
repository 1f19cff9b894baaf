package store

import (
	"cmp"
	"slices"
)

// CheckedAsOf returns the date as of which list l is known for firm f:
// the list's last imported file (l.AsOf) or the reference dataset's check
// (f.NoneFoundAsOf), whichever is later; "" when neither says. A file
// dated on or before the day the user added f was never matched against
// f, and does not count.
func CheckedAsOf(f Firm, l List) string {
	asOf := l.AsOf
	if f.Added != "" && asOf <= f.Added {
		asOf = ""
	}
	return max(asOf, f.NoneFoundAsOf)
}

// NoneFoundGroup is a set of lists on which a firm has no designation,
// all checked as of the same date.
type NoneFoundGroup struct {
	AsOf  string // YYYY-MM-DD, or "" when unknown
	Lists []List // in the order given
}

// NoneFound groups the lists on which f has no designation (of any
// status, in force or not) by the date each was last checked, newest
// date first: this is the one rule behind "none found as of <date>".
func NoneFound(f Firm, lists []List) []NoneFoundGroup {
	has := map[string]bool{}
	for _, d := range f.Designations {
		has[d.List] = true
	}
	var groups []NoneFoundGroup
	for _, l := range lists {
		if has[l.ID] {
			continue
		}
		date := CheckedAsOf(f, l)
		i := slices.IndexFunc(groups, func(g NoneFoundGroup) bool { return g.AsOf == date })
		if i < 0 {
			groups = append(groups, NoneFoundGroup{AsOf: date})
			i = len(groups) - 1
		}
		groups[i].Lists = append(groups[i].Lists, l)
	}
	slices.SortStableFunc(groups, func(a, b NoneFoundGroup) int { return cmp.Compare(b.AsOf, a.AsOf) })
	return groups
}
