package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestSanctionSources follows one source through a failure, an applied
// file, a 304 and a refusal: each check keeps what the last applied file
// recorded, and an applied file dates its lists and keeps its counts.
func TestSanctionSources(t *testing.T) {
	db := mustOpen(t)
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }

	if s, err := db.SanctionSource(ctx, sqlite.SourceCSL); err != nil || !s.LastCheck.IsZero() || s.LastResult != "" {
		t.Fatalf("a source never checked = %+v, %v", s, err)
	}
	if err := db.RecordSanctionCheck(ctx, sqlite.SourceCSL, sqlite.ResultFailed, "HTTP 503"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	d := store.Designation{Firm: "biren", List: "meu", Added: "2026-09-30", Status: store.StatusConfirmed, Provenance: "csl:2026-12-01:abc"}
	imp := sqlite.SourceImport{ID: sqlite.SourceCSL, URL: "http://127.0.0.1/consolidated.csv", ETag: `"v1"`,
		FileDate: "2026-12-01", SHA256: "abc", Counts: map[string]int{"meu": 10, "dpl": 3}, Lists: []string{"meu", "dpl"}}
	if err := db.ApplyImport(ctx, []store.DesignationChange{{Kind: "added", Designation: d}}, []sqlite.SourceImport{imp}); err != nil {
		t.Fatal(err)
	}
	applied := clock
	clock = clock.Add(time.Hour)
	if err := db.RecordSanctionCheck(ctx, sqlite.SourceCSL, sqlite.ResultUnchanged, ""); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	if err := db.RecordSanctionCheck(ctx, sqlite.SourceCSL, sqlite.ResultRefused, "meu had 10 entries, now 2"); err != nil {
		t.Fatal(err)
	}
	s, err := db.SanctionSource(ctx, sqlite.SourceCSL)
	if err != nil {
		t.Fatal(err)
	}
	if !s.LastSuccess.Equal(applied) || !s.LastCheck.Equal(clock) || s.LastResult != sqlite.ResultRefused ||
		s.ETag != `"v1"` || s.FileDate != "2026-12-01" || s.Counts["meu"] != 10 || s.Counts["dpl"] != 3 ||
		!s.LastRefusal.Equal(clock) || !strings.Contains(s.RefusalReason, "now 2") {
		t.Errorf("source after the checks = %+v", s)
	}
	counts, date, err := db.LastCSLCounts(ctx)
	if err != nil || date != "2026-12-01" || counts["meu"] != 10 {
		t.Errorf("LastCSLCounts = %v %q %v; want the applied file's", counts, date, err)
	}
	ds, err := db.Designations(ctx, "biren")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, got := range ds {
		if got.List == "meu" && got.Provenance == "csl:2026-12-01:abc" {
			found = true
		}
	}
	if !found {
		t.Errorf("biren's designations %+v lack the applied MEU listing with its own provenance", ds)
	}
	lists, err := db.Lists(ctx)
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
	all, err := db.SanctionSources(ctx)
	if err != nil || len(all) != 1 || all[0].ID != sqlite.SourceCSL {
		t.Errorf("SanctionSources = %+v, %v", all, err)
	}
}
