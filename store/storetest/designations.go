package storetest

import (
	"maps"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// cslHistory: ApplyDesignations changes the designations in one go and
// logs each change in the history (DesignationEvents) and, unlike the
// seed's own entries, among the changes (DesignationChanges); an import
// records its counts for the next (LastCSLCounts); events are never
// logged at or before the moment the user last looked (ChangesSeen).
// (sqlite: TestSanctionSources, TestAlertsDesignations, cmd's sanctions
// tests.)
func (s *suite) cslHistory(t *testing.T) {
	ctx := t.Context()
	_, db := s.seeded(t)
	if c, date, err := db.LastCSLCounts(ctx); err != nil || c != nil || date != "" {
		t.Errorf("LastCSLCounts before any import = %v %q %v", c, date, err)
	}
	seedEvents, err := db.DesignationEvents(ctx, "sensetime", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(seedEvents) == 0 {
		t.Fatal("the seed logged no history for sensetime")
	}
	for _, e := range seedEvents {
		if e.Firm != "sensetime" || e.Provenance != store.SourceReference {
			t.Errorf("seed event %+v", e)
		}
	}
	if evs, err := db.DesignationChanges(ctx, time.Time{}); err != nil || len(evs) != 0 {
		t.Fatalf("DesignationChanges of a fresh store = %+v, %v", evs, err)
	}

	// The user looked at what changed "in the future": the import's
	// events come one second after, so that they are not taken as seen.
	seen := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := db.SetChangesSeen(ctx, seen); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ChangesSeen(ctx); err != nil || !got.Equal(seen) {
		t.Fatalf("ChangesSeen = %v, %v; want %v", got, err, seen)
	}
	imp := &store.CSLImport{FileDate: "2026-12-01", SHA256: "0123456789abcdef", Counts: map[string]int{"meu": 10, "dpl": 3}}
	prov := imp.Provenance()
	if prov != "csl:2026-12-01:0123456789ab" {
		t.Fatalf("provenance %q", prov)
	}
	biren := store.Designation{Firm: "biren", List: "meu", Added: "2026-09-30", Citation: "91 FR 70001",
		Source: "https://www.example.org/fr/2026-20001", Status: store.StatusConfirmed}
	huaweiDPL := store.Designation{Firm: "huawei", List: "dpl", Added: "2026-10-01", Source: "https://www.example.org/dpl"}
	if err := db.ApplyDesignations(ctx, []store.DesignationChange{{Kind: "added", Designation: biren}, {Kind: "added", Designation: huaweiDPL}}, imp, prov); err != nil {
		t.Fatal(err)
	}
	at := seen.Add(time.Second)
	type ev struct{ firm, list, action, detail, prov string }
	expect := func(step string, since time.Time, want ...ev) []store.DesignationEvent {
		t.Helper()
		got, err := db.DesignationChanges(ctx, since)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: DesignationChanges = %+v, want %d", step, got, len(want))
		}
		for i, w := range want {
			g := got[i]
			if (ev{g.Firm, g.List, g.Action, g.Detail, g.Provenance}) != w || !g.At.Equal(at) || g.ID == 0 {
				t.Errorf("%s: change %d = %+v, want %+v at %v", step, i, g, w, at)
			}
		}
		return got
	}
	added := ev{"biren", "meu", "added", "2026-09-30, 91 FR 70001", prov}
	dpl := ev{"huawei", "dpl", "added", "2026-10-01", prov}
	expect("import", time.Time{}, added, dpl)
	expect("since the look", seen, added, dpl)
	expect("since the events", at)
	if c, date, err := db.LastCSLCounts(ctx); err != nil || date != "2026-12-01" || !maps.Equal(c, imp.Counts) {
		t.Errorf("LastCSLCounts = %v %q %v; want the import's", c, date, err)
	}
	evs, err := db.DesignationEvents(ctx, "biren", seen)
	if err != nil || len(evs) != 1 || evs[0].List != "meu" || evs[0].Action != "added" {
		t.Errorf("DesignationEvents(biren, since the look) = %+v, %v", evs, err)
	}
	// A list aiwatch does not track by default is added for the import.
	lists, err := db.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range lists {
		if l.ID == "dpl" {
			found = l.Badge == "DPL"
		}
	}
	if !found {
		t.Errorf("lists %+v lack DPL", lists)
	}
	d := designation(t, db, "biren", "meu")
	if d.Provenance != prov || !d.Active() || d.Citation != "91 FR 70001" {
		t.Errorf("biren's MEU listing = %+v", d)
	}

	// The same listing again rewrites it: "changed".
	if err := db.ApplyDesignations(ctx, []store.DesignationChange{{Kind: "added", Designation: biren}}, nil, prov); err != nil {
		t.Fatal(err)
	}
	// A removal with the next import: the row stays, lifted.
	imp2 := &store.CSLImport{FileDate: "2026-12-03", SHA256: "fedcba9876543210", Counts: map[string]int{"meu": 9}}
	prov2 := imp2.Provenance()
	lifted := d
	lifted.Removed = "2026-12-03"
	if err := db.ApplyDesignations(ctx, []store.DesignationChange{{Kind: "removed", Designation: lifted}}, imp2, prov2); err != nil {
		t.Fatal(err)
	}
	expect("removal", time.Time{}, added, dpl,
		ev{"biren", "meu", "changed", "2026-09-30, 91 FR 70001", prov},
		ev{"biren", "meu", "removed", "2026-09-30 – 2026-12-03, 91 FR 70001", prov2})
	if c, date, err := db.LastCSLCounts(ctx); err != nil || date != "2026-12-03" || !maps.Equal(c, imp2.Counts) {
		t.Errorf("LastCSLCounts after the second import = %v %q %v", c, date, err)
	}
	d = designation(t, db, "biren", "meu")
	if d.Removed != "2026-12-03" || d.Active() || d.Provenance != prov2 {
		t.Errorf("biren's lifted MEU listing = %+v", d)
	}
	// Removing it again changes nothing and logs nothing.
	if err := db.ApplyDesignations(ctx, []store.DesignationChange{{Kind: "removed", Designation: lifted}}, nil, prov2); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DesignationChanges(ctx, time.Time{}); len(got) != 4 {
		t.Errorf("a second removal logged: %d changes, want 4", len(got))
	}
	// The seed's history is untouched.
	if evs, err := db.DesignationEvents(ctx, "sensetime", time.Time{}); err != nil || len(evs) != len(seedEvents) {
		t.Errorf("sensetime's history: %d events, %v; want the seed's %d", len(evs), err, len(seedEvents))
	}
}

// designation returns firm's one designation on list.
func designation(t *testing.T, db store.Backend, firm, list string) store.Designation {
	t.Helper()
	ds, err := db.Designations(t.Context(), firm)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Designation
	for _, d := range ds {
		if d.List == list {
			out = append(out, d)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%s on %s: %+v, want one designation", firm, list, out)
	}
	return out[0]
}
