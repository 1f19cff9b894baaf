package csl

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aiwatch/aiwatch/store"
)

// Change kinds.
const (
	KindAdded   = "added"
	KindRemoved = "removed"
	KindChanged = "changed"
)

// Change is one planned change to the store's designations.
type Change struct {
	Kind string // KindAdded, KindRemoved or KindChanged
	Firm string
	List string
	// Old is the designation in the store (zero for an addition); New is
	// what it becomes: for a removal, Old with Removed set to the file date.
	Old, New store.Designation
	Detail   string
}

// Diff is the plan of an import, each part sorted by firm, list, the
// affiliate flag and the old designation's ID.
type Diff struct {
	Added, Removed, Changed []Change
}

// Empty reports whether the diff changes nothing.
func (d Diff) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Changed) == 0 }

// Sentinel errors of planning and the import guard.
var (
	// ErrNoDate is returned by Plan when neither the caller nor the file
	// gives the file's date.
	ErrNoDate = errors.New("csl: the file's date is unknown")
	// ErrCountDrop is returned by CheckCounts when a list shrank by more
	// than half since the last import; the caller may allow it with --force.
	ErrCountDrop = errors.New("csl: entry count dropped by more than half")
)

// uncoveredLists are lists the CSL does not carry: an import never touches
// their designations.
var uncoveredLists = map[string]bool{"1260h": true, "fcc-covered": true, "uflpa": true}

// Covers reports whether an import of f speaks for the list. A CSL file
// speaks for coreLists and any other list with entries in it, never for
// the lists the CSL does not carry; an OpenSanctions file speaks for the
// lists of the datasets it holds.
func (f *File) Covers(list string) bool {
	if f.Origin == OriginOpenSanctions {
		_, ok := f.Datasets[list]
		return ok
	}
	if uncoveredLists[list] {
		return false
	}
	return slices.Contains(coreLists, list) || f.Counts[list] > 0
}

// CoveredLists returns the lists the file speaks for, sorted.
func (f *File) CoveredLists() []string {
	var out []string
	if f.Origin == OriginOpenSanctions {
		out = sortedKeys(f.Datasets)
	} else {
		out = slices.Clone(coreLists)
		for l := range f.Counts {
			if !slices.Contains(out, l) && f.Covers(l) {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Provenance is the provenance of the designations an import of f
// writes on list: "csl:<file date>:<first 12 hex digits of the file's
// SHA-256>", or "opensanctions:<dataset>:<file date>".
func (f *File) Provenance(list, fileDate string) string {
	if f.Origin == OriginOpenSanctions {
		return "opensanctions:" + f.Datasets[list] + ":" + fileDate
	}
	return "csl:" + fileDate + ":" + f.SHA256[:min(12, len(f.SHA256))]
}

// notePrefix starts the note of a designation from f on list.
func (f *File) notePrefix(list string, affiliate bool) string {
	name := "CSL"
	if f.Origin == OriginOpenSanctions {
		name = "OpenSanctions " + f.Datasets[list]
	}
	if affiliate {
		return name + ", affiliates: "
	}
	return name + ": "
}

// groupKey is what one designation stands for.
type groupKey struct {
	firm, list string
	affiliate  bool
}

func compareKeys(a, b groupKey) int {
	return cmp.Or(cmp.Compare(a.firm, b.firm), cmp.Compare(a.list, b.list), cmpBool(a.affiliate, b.affiliate))
}

// Plan compares the file's applied matches with the store's current
// designations and returns what an import would change. fileDate
// (YYYY-MM-DD) dates the import; when it is "", f.Date is used.
//
// The applied matches are grouped by firm, list and affiliate flag; each
// group stands for one designation: Added is the earliest start date of
// its entries, Citation the distinct Federal Register notices in entry
// order, Program the distinct programs, Source the distinct source URLs,
// Provenance as File.Provenance says.
// Then, for each group:
//
//   - no designation in the store for its firm, list and flag, or only
//     removed ones: Added (a listing, or a re-listing);
//   - an active designation with the same Added and Citation: nothing;
//   - otherwise the earliest active one is Changed when the file gives a
//     different, non-empty start date or citation (an empty value in the
//     file never erases one in the store); other active rows of the same
//     group are left alone;
//   - only contested designations: nothing, for the user to settle.
//
// Every active designation of a list that the file covers (see
// File.Covers) whose group has no entry in the file is Removed: "no longer
// listed as of <file date>". Designations are never deleted; contested and
// already removed ones are never removed again; lists the file does not
// speak for (for the CSL: 1260h, fcc-covered, uflpa) are never touched.
func Plan(f *File, applied []Match, current []store.Designation, fileDate string) (Diff, error) {
	if fileDate == "" {
		fileDate = f.Date
	}
	if fileDate == "" {
		return Diff{}, ErrNoDate
	}
	groups := map[groupKey][]Entry{}
	type member struct {
		k  groupKey
		id string
	}
	seen := map[member]bool{}
	for _, m := range applied {
		k := groupKey{m.Firm, m.Entry.List, m.Affiliate}
		if f.Covers(k.list) && !seen[member{k, m.Entry.ID}] {
			seen[member{k, m.Entry.ID}] = true
			groups[k] = append(groups[k], m.Entry)
		}
	}
	inStore := map[groupKey][]store.Designation{}
	for _, d := range current {
		k := groupKey{d.Firm, d.List, d.Affiliate}
		inStore[k] = append(inStore[k], d)
	}
	for _, ds := range inStore {
		slices.SortStableFunc(ds, func(a, b store.Designation) int {
			return cmp.Or(cmp.Compare(a.Added, b.Added), cmp.Compare(a.ID, b.ID))
		})
	}

	var diff Diff
	for _, k := range slices.SortedFunc(maps.Keys(groups), compareKeys) {
		proposed := designation(k, groups[k], f.Provenance(k.list, fileDate), f.notePrefix(k.list, k.affiliate))
		var active, contested []store.Designation
		for _, d := range inStore[k] {
			switch {
			case d.Active():
				active = append(active, d)
			case d.Removed == "" && d.Status == store.StatusContested:
				contested = append(contested, d)
			}
		}
		switch {
		case len(active) == 0 && len(contested) > 0:
			// A contested designation is the user's to settle.
		case len(active) == 0:
			diff.Added = append(diff.Added, Change{
				Kind: KindAdded, Firm: k.firm, List: k.list, New: proposed,
				Detail: addedDetail(k, proposed, fileDate, groups[k]),
			})
		case slices.ContainsFunc(active, func(d store.Designation) bool { return same(d, proposed) }):
		default:
			if c, ok := change(active[0], proposed); ok {
				diff.Changed = append(diff.Changed, c)
			}
		}
	}
	for _, k := range slices.SortedFunc(maps.Keys(inStore), compareKeys) {
		if len(groups[k]) > 0 || !f.Covers(k.list) {
			continue
		}
		for _, d := range inStore[k] {
			if !d.Active() {
				continue
			}
			n := d
			n.Removed = fileDate
			diff.Removed = append(diff.Removed, Change{
				Kind: KindRemoved, Firm: k.firm, List: k.list, Old: d, New: n,
				Detail: "no longer listed as of " + fileDate,
			})
		}
	}
	for _, part := range [][]Change{diff.Added, diff.Removed, diff.Changed} {
		slices.SortStableFunc(part, func(a, b Change) int {
			return cmp.Or(
				compareKeys(groupKey{a.Firm, a.List, a.New.Affiliate}, groupKey{b.Firm, b.List, b.New.Affiliate}),
				cmp.Compare(a.Old.ID, b.Old.ID))
		})
	}
	return diff, nil
}

func listedAs(k groupKey) string {
	if k.affiliate {
		return "affiliates listed on " + k.list
	}
	return "listed on " + k.list
}

// addedDetail says what an addition is: the list, the listing's date and
// Federal Register notice as the file gives them, the file's date and the
// entries' names, e.g. "listed on meu, added 2026-09-30, 91 FR 12345 (as
// of 2026-11-01): Biren Technology Co., Ltd.".
func addedDetail(k groupKey, d store.Designation, fileDate string, entries []Entry) string {
	added, citation := "no start date", "no FR notice"
	if d.Added != "" {
		added = "added " + d.Added
	}
	if d.Citation != "" {
		citation = d.Citation
	}
	return fmt.Sprintf("%s, %s, %s (as of %s): %s", listedAs(k), added, citation, fileDate, entryNames(entries))
}

// designation builds the designation that a group of entries stands for.
func designation(k groupKey, entries []Entry, provenance, note string) store.Designation {
	slices.SortStableFunc(entries, func(a, b Entry) int {
		return cmp.Or(compareDates(a.StartDate, b.StartDate), cmp.Compare(a.ID, b.ID))
	})
	var programs, citations, sources []string
	added := ""
	for _, e := range entries {
		if e.StartDate != "" && (added == "" || e.StartDate < added) {
			added = e.StartDate
		}
		programs = appendNew(programs, e.Programs...)
		citations = appendNew(citations, split(e.FRNotice)...)
		url := e.SourceInfoURL
		if url == "" {
			url = e.SourceListURL
		}
		sources = appendNew(sources, url)
	}
	slices.Sort(programs)
	return store.Designation{
		Firm:       k.firm,
		List:       k.list,
		Program:    strings.Join(programs, "; "),
		Added:      added,
		Citation:   strings.Join(citations, "; "),
		Source:     strings.Join(sources, "; "),
		Status:     store.StatusConfirmed,
		Affiliate:  k.affiliate,
		Provenance: provenance,
		Note:       note + entryNames(entries),
	}
}

// compareDates orders dates with the empty date last.
func compareDates(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return cmp.Compare(a, b)
}

func appendNew(list []string, vals ...string) []string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

func entryNames(entries []Entry) string {
	var names []string
	for _, e := range entries {
		names = appendNew(names, e.Name)
	}
	return strings.Join(names, "; ")
}

// same reports whether a designation in the store already says what the
// file says: the same start date and citation, where the file gives them.
func same(d, proposed store.Designation) bool {
	return (proposed.Added == "" || d.Added == proposed.Added) &&
		(proposed.Citation == "" || normCitation(d.Citation) == normCitation(proposed.Citation))
}

// change returns the change that brings d in line with the file, if any.
func change(d, proposed store.Designation) (Change, bool) {
	n := d
	var details []string
	if proposed.Added != "" && d.Added != proposed.Added {
		details = append(details, fmt.Sprintf("added %s → %s", orNone(d.Added), proposed.Added))
		n.Added = proposed.Added
	}
	if proposed.Citation != "" && normCitation(d.Citation) != normCitation(proposed.Citation) {
		details = append(details, fmt.Sprintf("citation %s → %s", orNone(d.Citation), proposed.Citation))
		n.Citation = proposed.Citation
	}
	if len(details) == 0 {
		return Change{}, false
	}
	if proposed.Source != "" {
		n.Source = proposed.Source
	}
	n.Provenance = proposed.Provenance
	return Change{Kind: KindChanged, Firm: d.Firm, List: d.List, Old: d, New: n, Detail: strings.Join(details, "; ")}, true
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// normCitation compares citations without regard to spacing, case or the
// dots of "F.R.".
func normCitation(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, ".", ""))
	return strings.Join(strings.Fields(strings.ReplaceAll(s, ";", " ; ")), " ")
}

// CheckCounts compares the per-list entry counts of this file with those
// of the last import. It returns an error wrapping ErrCountDrop, naming
// each list and both counts, when any list lost more than half its entries.
func CheckCounts(prev, cur map[string]int) error {
	var drops []string
	for _, list := range sortedKeys(prev) {
		if p, c := prev[list], cur[list]; p > 0 && 2*c < p {
			drops = append(drops, fmt.Sprintf("%s had %d entries, now %d", list, p, c))
		}
	}
	if len(drops) > 0 {
		return fmt.Errorf("%w: %s", ErrCountDrop, strings.Join(drops, "; "))
	}
	return nil
}
