package postgres_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// TestCSLHistory applies a screening list's changes over three imports and
// reads the history back: each change logged once with its action, and a
// failed batch writes nothing.
func TestCSLHistory(t *testing.T) {
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	db := seededStoreAt(t, "alice", clock.Add(-time.Hour))
	db.Now = func() time.Time { return clock }
	seedEvents := countRows(t, db, `SELECT count(*) FROM designation_events`)

	if c, date, err := db.LastCSLCounts(uctx); err != nil || c != nil || date != "" {
		t.Fatalf("LastCSLCounts before any import = %v, %q, %v", c, date, err)
	}
	d := store.Designation{Firm: "biren", List: "dpl", Added: "2026-09-30", Citation: "90 FR 1", Source: "https://example.org/a"}
	imp := &store.CSLImport{FileDate: "2026-12-01", SHA256: "abc", Counts: map[string]int{"dpl": 3, "entity-list": 900}}
	if err := db.ApplyDesignations(uctx, []store.DesignationChange{{Kind: "added", Designation: d}}, imp, imp.Provenance()); err != nil {
		t.Fatal(err)
	}
	c, date, err := db.LastCSLCounts(uctx)
	if err != nil || date != "2026-12-01" || c["dpl"] != 3 || c["entity-list"] != 900 {
		t.Errorf("LastCSLCounts = %v, %q, %v", c, date, err)
	}
	// A list the CSL names that aiwatch does not track is added, last.
	ls, _ := db.Lists(uctx)
	if l := ls[len(ls)-1]; l.ID != "dpl" || l.Badge != "DPL" {
		t.Errorf("the new list = %+v, want dpl last", l)
	}

	// The same listing again with another citation: changed; a contested
	// one: contested.
	clock = clock.Add(time.Hour)
	d.Citation = "90 FR 2"
	if err := db.ApplyDesignations(uctx, []store.DesignationChange{
		{Kind: "added", Designation: d},
		{Kind: "added", Designation: store.Designation{Firm: "biren", List: "1260h", Added: "2026-10-01", Status: store.StatusContested}},
	}, nil, "csl:2026-12-01:abc"); err != nil {
		t.Fatal(err)
	}
	ds, err := db.Designations(uctx, "biren")
	if err != nil {
		t.Fatal(err)
	}
	var dpl store.Designation
	for _, x := range ds {
		if x.List == "dpl" {
			dpl = x
		}
	}
	if dpl.Citation != "90 FR 2" || dpl.Status != store.StatusConfirmed || dpl.Provenance != "csl:2026-12-01:abc" {
		t.Errorf("biren's dpl listing = %+v", dpl)
	}
	// Designations come in badge order: the reference lists before dpl.
	var order []string
	for _, x := range ds {
		order = append(order, x.List)
	}
	if i, j := slices.Index(order, "1260h"), slices.Index(order, "dpl"); i < 0 || j < 0 || i > j {
		t.Errorf("biren's designations in the order %q, want badge order", order)
	}

	// Removal: kept, dated and handed over; a second removal is no event.
	clock = clock.Add(time.Hour)
	dpl.Removed = "2026-12-02"
	for range 2 {
		if err := db.ApplyDesignations(uctx, []store.DesignationChange{{Kind: "removed", Designation: dpl}}, nil, "csl:2026-12-02:def"); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ = db.Designations(uctx, "biren")
	for _, x := range ds {
		if x.ID == dpl.ID && (x.Removed != "2026-12-02" || x.Provenance != "csl:2026-12-02:def" || !strings.Contains(x.Note, "No longer listed as of 2026-12-02 (csl:2026-12-02:def).")) {
			t.Errorf("the removed listing = %+v", x)
		}
	}

	// A batch with a bad change writes nothing.
	before := countRows(t, db, `SELECT count(*) FROM designation_events`)
	err = db.ApplyDesignations(uctx, []store.DesignationChange{
		{Kind: "added", Designation: store.Designation{Firm: "biren", List: "sdn", Added: "2026-12-03"}},
		{Kind: "renamed", Designation: d},
	}, nil, "csl:x")
	if err == nil || !strings.Contains(err.Error(), `unknown change "renamed"`) {
		t.Errorf("a bad change: %v", err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM designation_events`); n != before {
		t.Error("a failed batch logged events")
	}
	if n := countRows(t, db, `SELECT count(*) FROM designations WHERE firm_id = 'biren' AND list_id = 'sdn'`); n != 0 {
		t.Error("a failed batch wrote a designation")
	}

	evs, err := db.DesignationEvents(uctx, "biren", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs[len(evs)-4:] {
		got = append(got, e.List+" "+e.Action+" "+e.At.Format("15:04"))
	}
	want := []string{"dpl added 08:00", "dpl changed 09:00", "1260h contested 09:00", "dpl removed 10:00"}
	if !slices.Equal(got, want) {
		t.Errorf("biren's history ends %q, want %q", got, want)
	}
	if evs[len(evs)-1].Detail != "2026-09-30 – 2026-12-02, 90 FR 2" {
		t.Errorf("the removal's detail = %q", evs[len(evs)-1].Detail)
	}
	since, err := db.DesignationEvents(uctx, "", clock.Add(-30*time.Minute))
	if err != nil || len(since) != 1 || since[0].Action != "removed" {
		t.Errorf("events after 09:30 = %+v, %v", since, err)
	}
	changes, err := db.DesignationChanges(uctx, time.Time{})
	if err != nil || len(changes) != 4 {
		t.Errorf("DesignationChanges = %d events (%v), want the 4 since the seed", len(changes), err)
	}
	if all := countRows(t, db, `SELECT count(*) FROM designation_events`); all != seedEvents+4 {
		t.Errorf("%d events in all, want %d", all, seedEvents+4)
	}
}

// TestEventsAfterChangesSeen: a change made in the second a user looked
// at what changed is logged after the look, so that it is shown to them;
// the events are shared, so any user's look counts.
func TestEventsAfterChangesSeen(t *testing.T) {
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	db := seededStoreAt(t, "alice", at.Add(-time.Hour))
	db.Now = func() time.Time { return at }
	look := func(user string, when time.Time) {
		t.Helper()
		if _, err := db.Pool().Exec(uctx, `INSERT INTO user_meta (username, key, value) VALUES ($1, 'changes_seen', $2)
			ON CONFLICT (username, key) DO UPDATE SET value = excluded.value`, user, strconv.FormatInt(when.Unix(), 10)); err != nil {
			t.Fatal(err)
		}
	}
	add := func(list string) store.DesignationEvent {
		t.Helper()
		if err := db.ApplyDesignations(uctx, []store.DesignationChange{{Kind: "added", Designation: store.Designation{Firm: "biren", List: list, Added: "2026-12-04"}}}, nil, "user"); err != nil {
			t.Fatal(err)
		}
		evs, err := db.DesignationEvents(uctx, "biren", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return evs[len(evs)-1]
	}
	look("alice", at.Add(-time.Minute))
	if e := add("sdn"); !e.At.Equal(at) {
		t.Errorf("a change after every look is logged at %v, want the clock's %v", e.At, at)
	}
	look("alice", at)
	if e := add("meu"); !e.At.Equal(at.Add(time.Second)) {
		t.Errorf("a change in the second alice looked is logged at %v, want a second later", e.At)
	}
	look("bob", at.Add(3*time.Second)) // bob's clock runs ahead
	if e := add("uflpa"); !e.At.Equal(at.Add(4 * time.Second)) {
		t.Errorf("a change before bob's look is logged at %v, want a second after it", e.At)
	}
}

func TestConfirmCSLName(t *testing.T) {
	db := seededStore(t, "alice")
	if err := db.ConfirmCSLName(uctx, "Beijing Biren Technology Co., Ltd.", "biren", false); err != nil {
		t.Fatal(err)
	}
	if err := db.ConfirmCSLName(uctx, "Biren Holdings", "biren", false); err != nil {
		t.Fatal(err)
	}
	// A second confirmation of the same name updates it.
	if err := db.ConfirmCSLName(uctx, "BIREN HOLDINGS", "biren", true); err != nil {
		t.Fatal(err)
	}
	if err := db.ConfirmCSLName(uctx, "x", "nosuch", false); !errors.Is(err, store.ErrNotFound) || !strings.HasPrefix(err.Error(), "postgres: firm \"nosuch\"") {
		t.Errorf("confirming for an unknown firm: %v", err)
	}
	cs, err := db.CSLConfirmations(uctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("confirmations = %+v", cs)
	}
	for _, c := range cs {
		if c.Firm != "biren" || c.Name != store.FoldAlias(c.Name, false) {
			t.Errorf("confirmation %+v is not folded", c)
		}
	}
	if !slices.IsSortedFunc(cs, func(a, b store.Confirmation) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("confirmations not in name order: %+v", cs)
	}
	if c := cs[1]; c.Name != store.FoldAlias("Biren Holdings", false) || !c.Affiliate {
		t.Errorf("the updated confirmation = %+v", c)
	}
}

// TestSanctionSources follows one source through a failure, an applied
// file, a 304 and a refusal: each check keeps what the last applied file
// recorded, and an applied file dates its lists and keeps its counts.
func TestSanctionSources(t *testing.T) {
	db := seededStore(t, "alice")
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }

	if s, err := db.SanctionSource(uctx, store.SourceCSL); err != nil || !s.LastCheck.IsZero() || s.LastResult != "" || s.ID != store.SourceCSL || s.Counts == nil {
		t.Fatalf("a source never checked = %+v, %v", s, err)
	}
	if err := db.RecordSanctionCheck(uctx, store.SourceCSL, store.ResultFailed, "HTTP 503"); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.SanctionSource(uctx, store.SourceCSL); s.LastError != "HTTP 503" || s.LastResult != store.ResultFailed || !s.LastSuccess.IsZero() {
		t.Errorf("after a failure: %+v", s)
	}
	clock = clock.Add(time.Hour)
	d := store.Designation{Firm: "biren", List: "meu", Added: "2026-09-30", Status: store.StatusConfirmed, Provenance: "csl:2026-12-01:abc"}
	imp := store.SourceImport{ID: store.SourceCSL, URL: "http://127.0.0.1/consolidated.csv", ETag: `"v1"`,
		FileDate: "2026-12-01", SHA256: "abc", Counts: map[string]int{"meu": 10, "dpl": 3}, Lists: []string{"meu", "dpl"}}
	if err := db.ApplyImport(uctx, []store.DesignationChange{{Kind: "added", Designation: d}}, []store.SourceImport{imp}); err != nil {
		t.Fatal(err)
	}
	applied := clock
	if s, _ := db.SanctionSource(uctx, store.SourceCSL); s.LastError != "" || s.LastResult != store.ResultApplied {
		t.Errorf("after an applied file: %+v", s)
	}
	clock = clock.Add(time.Hour)
	if err := db.RecordSanctionCheck(uctx, store.SourceCSL, store.ResultUnchanged, ""); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	if err := db.RecordSanctionCheck(uctx, store.SourceCSL, store.ResultRefused, "meu had 10 entries, now 2"); err != nil {
		t.Fatal(err)
	}
	s, err := db.SanctionSource(uctx, store.SourceCSL)
	if err != nil {
		t.Fatal(err)
	}
	if !s.LastSuccess.Equal(applied) || !s.LastCheck.Equal(clock) || s.LastResult != store.ResultRefused ||
		s.ETag != `"v1"` || s.FileDate != "2026-12-01" || s.Counts["meu"] != 10 || s.Counts["dpl"] != 3 ||
		!s.LastRefusal.Equal(clock) || !strings.Contains(s.RefusalReason, "now 2") {
		t.Errorf("source after the checks = %+v", s)
	}
	if err := db.RecordSanctionCheck(uctx, store.SourceCSL, "maybe", ""); err == nil {
		t.Error("an unknown check result was recorded")
	}
	counts, date, err := db.LastCSLCounts(uctx)
	if err != nil || date != "2026-12-01" || counts["meu"] != 10 {
		t.Errorf("LastCSLCounts = %v %q %v; want the applied file's", counts, date, err)
	}
	ds, err := db.Designations(uctx, "biren")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(ds, func(x store.Designation) bool { return x.List == "meu" && x.Provenance == "csl:2026-12-01:abc" }) {
		t.Errorf("biren's designations %+v lack the applied MEU listing with its own provenance", ds)
	}
	lists, err := db.Lists(uctx)
	if err != nil {
		t.Fatal(err)
	}
	asOf := map[string]string{}
	for _, l := range lists {
		asOf[l.ID] = l.AsOf
	}
	if asOf["meu"] != "2026-12-01" || asOf["dpl"] != "2026-12-01" || asOf["1260h"] != "" || asOf["entity-list"] != "" {
		t.Errorf("list dates = %v; want meu and dpl dated by the file, others not", asOf)
	}
	// A second source sorts after the CSL.
	if err := db.RecordSanctionCheck(uctx, "opensanctions:us_ofac_sdn", store.ResultFailed, "offline"); err != nil {
		t.Fatal(err)
	}
	all, err := db.SanctionSources(uctx)
	if err != nil || len(all) != 2 || all[0].ID != store.SourceCSL || all[1].ID != "opensanctions:us_ofac_sdn" {
		t.Errorf("SanctionSources = %+v, %v", all, err)
	}
}
