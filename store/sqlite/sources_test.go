package sqlite_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
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

// TestSourcesMigrationCarriesLastImport checks that migration 0008 carries
// a store's last CSL import over: its source row, and the dates of the
// lists it spoke for.
func TestSourcesMigrationCarriesLastImport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	undoAfter9(t, db)
	// Undo 0008 and record two imports, as a store of schema 7 would have.
	for _, q := range []string{
		`DROP TABLE sanction_sources`,
		`ALTER TABLE lists DROP COLUMN as_of`,
		`INSERT INTO csl_imports (at, file_date, sha256, counts) VALUES (1764000000, '2025-11-20', 'aaa', '{"entity-list": 3}')`,
		`INSERT INTO csl_imports (at, file_date, sha256, counts) VALUES (1764300000, '2025-11-24', 'bbb', '{"entity-list": 4, "dpl": 2, "uvl": 0}')`,
		`INSERT INTO lists (id, name, badge) VALUES ('dpl', 'DPL', 'DPL'), ('uvl', 'UVL', 'UVL')`,
		`PRAGMA user_version = 7`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	db, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.SanctionSource(ctx, sqlite.SourceCSL)
	if err != nil {
		t.Fatal(err)
	}
	if s.FileDate != "2025-11-24" || s.SHA256 != "bbb" || s.Counts["dpl"] != 2 || s.LastResult != sqlite.ResultApplied ||
		s.LastSuccess.Unix() != 1764300000 {
		t.Errorf("carried-over source %+v", s)
	}
	lists, err := db.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range lists {
		got[l.ID] = l.AsOf
	}
	for id, want := range map[string]string{"entity-list": "2025-11-24", "meu": "2025-11-24", "sdn": "2025-11-24", "ns-cmic": "2025-11-24",
		"dpl": "2025-11-24", "uvl": "", "1260h": "", "uflpa": ""} {
		if got[id] != want {
			t.Errorf("list %s dated %q after the migration, want %q", id, got[id], want)
		}
	}
}

// TestSourcesMigrationWithoutImports checks that 0008 on a store that
// never imported leaves every list undated and no source.
func TestSourcesMigrationWithoutImports(t *testing.T) {
	db := mustOpen(t)
	if n := count(t, db, `SELECT count(*) FROM sanction_sources`); n != 0 {
		t.Errorf("%d sources in a fresh store", n)
	}
	if n := count(t, db, `SELECT count(*) FROM lists WHERE as_of != ''`); n != 0 {
		t.Errorf("%d dated lists in a fresh store", n)
	}
}
