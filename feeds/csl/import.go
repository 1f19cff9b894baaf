package csl

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/aiwatch/aiwatch/store"
)

// Confirmation is the user's decision that entries of a name are listings
// of a firm (aiwatch sanctions confirm).
type Confirmation struct {
	Name      string // the entry's name folded with store.FoldAlias(name, false)
	Firm      string
	Affiliate bool
}

// State is what an import needs to know of the store.
type State struct {
	Firms        []store.Firm
	Confirmed    []Confirmation
	Designations []store.Designation
	// LastCounts holds the entries per list of the last applied import
	// of the lists' source: the CSL's, or each dataset's.
	LastCounts map[string]int
	// LastDate is the date of that import, for the refusal's message.
	LastDate string
}

// Import is a prepared import: what applying the file would change.
type Import struct {
	File     *File
	FileDate string
	Diff     Diff
	// Applied are the matches the diff rests on; Candidates are near
	// matches, listed for the user and never applied.
	Applied, Candidates []Match
	// Refusal is set when a list lost more than half its entries since
	// the last import; it wraps ErrCountDrop and names each list with both
	// counts. The caller applies the import anyway only when told to.
	Refusal error
}

// Prepare matches the file's entries to the firms, moves near matches the
// user confirmed to the applied ones, checks the entry counts against the
// last import, and plans the diff. fileDate dates the file; when "", the
// file's own date is used.
func Prepare(f *File, fileDate string, st State) (*Import, error) {
	if fileDate == "" {
		fileDate = f.Date
	}
	applied, candidates := MatchFirms(f.Entries, st.Firms)
	applied, candidates = ApplyConfirmations(applied, candidates, st.Confirmed)
	diff, err := Plan(f, applied, st.Designations, fileDate)
	if err != nil {
		return nil, err
	}
	im := &Import{File: f, FileDate: fileDate, Diff: diff, Applied: applied, Candidates: candidates}
	prev := st.LastCounts
	if f.Origin == OriginOpenSanctions {
		// Each dataset's guard compares with that dataset's last import.
		prev = maps.Clone(prev)
		maps.DeleteFunc(prev, func(list string, _ int) bool { return !f.Covers(list) })
	}
	if err := CheckCounts(prev, f.Counts); err != nil {
		against := ""
		if st.LastDate != "" {
			against = " (against the import of " + st.LastDate + ")"
		}
		im.Refusal = fmt.Errorf("%w%s", err, against)
	}
	return im, nil
}

// Changes returns the diff as the store's changes: additions, then
// removals, then changes, each carrying the designation's provenance.
func (im *Import) Changes() []store.DesignationChange {
	var out []store.DesignationChange
	for _, group := range [][]Change{im.Diff.Added, im.Diff.Removed, im.Diff.Changed} {
		for _, c := range group {
			d := c.New
			if c.Kind != KindAdded {
				d.ID = c.Old.ID
			}
			if d.Provenance == "" || c.Kind == KindRemoved {
				d.Provenance = im.File.Provenance(c.List, im.FileDate)
			}
			out = append(out, store.DesignationChange{Kind: c.Kind, Designation: d, Detail: c.Detail})
		}
	}
	return out
}

// ApplyConfirmations moves the candidates whose entry name (or one of its
// alternative names) the user confirmed for that firm into applied, with
// the confirmation's affiliate flag, and returns both lists.
func ApplyConfirmations(applied, candidates []Match, confirmed []Confirmation) ([]Match, []Match) {
	ok := map[string]Confirmation{}
	for _, c := range confirmed {
		ok[c.Name+"\x00"+c.Firm] = c
	}
	var rest []Match
	for _, m := range candidates {
		names := append([]string{m.Entry.Name}, m.Entry.AltNames...)
		done := false
		for _, n := range names {
			if c, found := ok[store.FoldAlias(n, false)+"\x00"+m.Firm]; found {
				m.Affiliate, m.Reason = c.Affiliate, "confirmed by you: "+n
				applied = append(applied, m)
				done = true
				break
			}
		}
		if !done {
			rest = append(rest, m)
		}
	}
	sortMatches(applied)
	return applied, rest
}

// Source is one source of sanctions data that a file updates: the CSL, or
// one OpenSanctions dataset.
type Source struct {
	ID     string         // "csl" or "opensanctions:<dataset>", as the store keys sources
	Lists  []string       // the lists the file speaks for, for this source
	Counts map[string]int // the file's entries per list, for this source
}

// Sources returns the sources the file updates, sorted by ID.
func (f *File) Sources() []Source {
	if f.Origin != OriginOpenSanctions {
		return []Source{{ID: OriginCSL, Lists: f.CoveredLists(), Counts: f.Counts}}
	}
	var out []Source
	for _, list := range f.CoveredLists() {
		out = append(out, Source{ID: SourceID(f.Datasets[list]), Lists: []string{list}, Counts: map[string]int{list: f.Counts[list]}})
	}
	slices.SortFunc(out, func(a, b Source) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// SourceID is the source ID of an OpenSanctions dataset.
func SourceID(dataset string) string { return OriginOpenSanctions + ":" + dataset }
