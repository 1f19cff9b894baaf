package csl

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

// describeChanges writes changes compactly for comparisons.
func describeChanges(cs []Change) []string {
	out := []string{}
	for _, c := range cs {
		aff := ""
		if c.New.Affiliate {
			aff = " (affiliates)"
		}
		out = append(out, fmt.Sprintf("%s %s %s%s: %s", c.Kind, c.Firm, c.List, aff, c.Detail))
	}
	return out
}

func checkChanges(t *testing.T, what string, got []Change, want []string) {
	t.Helper()
	if g := describeChanges(got); !equalOrEmpty(g, want) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

// imported applies a diff's additions to an empty store, giving IDs.
func imported(d Diff) []store.Designation {
	var out []store.Designation
	for i, c := range d.Added {
		n := c.New
		n.ID = int64(i + 1)
		out = append(out, n)
	}
	return out
}

func planFixture(t *testing.T, name string, current []store.Designation, date string) (*File, Diff) {
	t.Helper()
	f := readFixture(t, name)
	applied, _ := MatchFirms(f.Entries, testFirms())
	d, err := Plan(f, applied, current, date)
	if err != nil {
		t.Fatal(err)
	}
	return f, d
}

func TestPlanFirstImport(t *testing.T) {
	f, d := planFixture(t, "consolidated.csv", nil, "2025-07-26")
	checkChanges(t, "added", d.Added, []string{
		"added biren entity-list: listed on entity-list, added 2023-10-17, 88 FR 71991 (as of 2025-07-26): Biren Technology",
		"added huawei entity-list: listed on entity-list, added 2019-05-16, 84 FR 22961; 85 FR 51603 (as of 2025-07-26): Huawei Technologies Co., Ltd.",
		"added huawei entity-list (affiliates): affiliates listed on entity-list, added 2019-08-19, 84 FR 43493; 85 FR 51603 (as of 2025-07-26): Beijing Huawei Digital Technologies Co., Ltd.; Huawei Cloud Computing Technologies Co., Ltd.",
		"added moore-threads entity-list: listed on entity-list, added 2023-10-17, 88 FR 71991 (as of 2025-07-26): Moore Threads Intelligent Technology (Beijing) Co., Ltd.; Moore Threads Intelligent Technology (Chengdu) Co., Ltd.",
		"added sensetime ns-cmic: listed on ns-cmic, no start date, no FR notice (as of 2025-07-26): SENSETIME GROUP INC.",
		"added sensetime sdn (affiliates): affiliates listed on sdn, no start date, no FR notice (as of 2025-07-26): TIANJIN BRIGHTVIEW IMAGING CO., LTD.",
		"added smic uvl (affiliates): affiliates listed on uvl, no start date, no FR notice (as of 2025-07-26): SMIC Advanced Logistics Center",
		"added sugon entity-list: listed on entity-list, added 2019-06-24, 84 FR 29371 (as of 2025-07-26): Sugon",
	})
	if len(d.Removed)+len(d.Changed) != 0 {
		t.Errorf("first import removes or changes: %q %q", describeChanges(d.Removed), describeChanges(d.Changed))
	}
	prov := "csl:2025-07-26:" + f.SHA256[:12]
	want := map[string]store.Designation{
		"huawei": {Firm: "huawei", List: "entity-list", Added: "2019-05-16", Citation: "84 FR 22961; 85 FR 51603",
			Source: "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
			Status: store.StatusConfirmed, Provenance: prov, Note: "CSL: Huawei Technologies Co., Ltd."},
		"huawei affiliates": {Firm: "huawei", List: "entity-list", Added: "2019-08-19", Citation: "84 FR 43493; 85 FR 51603",
			Source: "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
			Status: store.StatusConfirmed, Affiliate: true, Provenance: prov,
			Note: "CSL, affiliates: Beijing Huawei Digital Technologies Co., Ltd.; Huawei Cloud Computing Technologies Co., Ltd."},
		"sensetime": {Firm: "sensetime", List: "ns-cmic", Program: "CMIC-EO13959",
			Source: "https://ofac.treasury.gov/other-ofac-sanctions-lists", Status: store.StatusConfirmed,
			Provenance: prov, Note: "CSL: SENSETIME GROUP INC."},
	}
	for _, c := range d.Added {
		key := c.Firm
		if c.New.Affiliate {
			key += " affiliates"
		}
		if w, ok := want[key]; ok && !reflect.DeepEqual(c.New, w) {
			t.Errorf("%s designation\n got %+v\nwant %+v", key, c.New, w)
		}
	}
}

func TestPlanIdempotent(t *testing.T) {
	for _, name := range []string{"consolidated.csv", "consolidated.json", "consolidated-later.csv"} {
		t.Run(name, func(t *testing.T) {
			_, first := planFixture(t, name, nil, "2025-07-26")
			if len(first.Added) == 0 {
				t.Fatal("nothing to import")
			}
			_, again := planFixture(t, name, imported(first), "2025-08-01")
			if !again.Empty() {
				t.Errorf("re-planning the same file is not empty:\n%s", strings.Join(append(append(
					describeChanges(again.Added), describeChanges(again.Removed)...), describeChanges(again.Changed)...), "\n"))
			}
		})
	}
}

func TestPlanUsesFileDate(t *testing.T) {
	f, d := planFixture(t, "consolidated.json", nil, "")
	if got, want := d.Added[0].New.Provenance, "csl:2025-07-26:"+f.SHA256[:12]; got != want {
		t.Errorf("Provenance = %q, want %q from the JSON file's date", got, want)
	}
	csv := readFixture(t, "consolidated.csv")
	if _, err := Plan(csv, nil, nil, ""); !errors.Is(err, ErrNoDate) {
		t.Errorf("Plan without a date = %v, want ErrNoDate", err)
	}
}

func TestPlanRemovalsAndChanges(t *testing.T) {
	_, first := planFixture(t, "consolidated.csv", nil, "2025-07-26")
	current := imported(first)
	// The later file drops Biren and the Beijing Huawei affiliate.
	_, d := planFixture(t, "consolidated-later.csv", current, "2025-09-01")
	checkChanges(t, "added", d.Added, nil)
	checkChanges(t, "removed", d.Removed, []string{
		"removed biren entity-list: no longer listed as of 2025-09-01",
	})
	checkChanges(t, "changed", d.Changed, []string{
		"changed huawei entity-list (affiliates): added 2019-08-19 → 2020-08-20; citation 84 FR 43493; 85 FR 51603 → 85 FR 51603",
	})
	r := d.Removed[0]
	if r.Old.ID == 0 || r.New.ID != r.Old.ID || r.New.Removed != "2025-09-01" || r.Old.Removed != "" {
		t.Errorf("removal Old %+v New %+v, want the same row with Removed set", r.Old, r.New)
	}
	c := d.Changed[0]
	if c.New.ID != c.Old.ID || c.New.Added != "2020-08-20" || c.New.Citation != "85 FR 51603" || !strings.HasPrefix(c.New.Provenance, "csl:2025-09-01:") {
		t.Errorf("change New = %+v", c.New)
	}
}

func TestPlanAgainstStore(t *testing.T) {
	ref := func(firm, list, added, citation string) store.Designation {
		return store.Designation{Firm: firm, List: list, Added: added, Citation: citation,
			Status: store.StatusConfirmed, Provenance: store.SourceReference}
	}
	removed := ref("sugon", "entity-list", "2019-06-24", "84 FR 29371")
	removed.Removed = "2024-01-01"
	contested := ref("biren", "entity-list", "", "")
	contested.Status = store.StatusContested
	cambriconContested := ref("cambricon", "meu", "2022-12-16", "")
	cambriconContested.Status = store.StatusContested
	cambriconRemoved := ref("cambricon", "sdn", "2020-01-01", "")
	cambriconRemoved.Removed = "2021-01-01"
	current := []store.Designation{
		ref("huawei", "entity-list", "2019-05-16", "84 FR 22961"),        // citation grows
		ref("moore-threads", "entity-list", "2023-10-19", "88 FR 71991"), // date differs
		ref("sensetime", "ns-cmic", "2021-12-16", "86 FR 71357"),         // the file has neither: no change
		removed,   // re-listed: added again
		contested, // present in the file but contested: left alone
		ref("cambricon", "entity-list", "2022-12-16", "87 FR 77505"), // missing from the file: removed
		cambriconContested,                       // contested: never removed
		cambriconRemoved,                         // already removed: never removed again
		ref("huawei", "1260h", "2021-06-03", ""), // a list the CSL does not carry
		ref("huawei", "fcc-covered", "2021-03-12", ""),
		ref("huawei", "uflpa", "2024-01-01", ""),
		ref("smic", "dpl", "2020-01-01", ""),     // a CSL list absent from this file: not covered
		ref("smic", "uvl", "2020-01-01", ""),     // present in the file only as an affiliate listing
		ref("smic", "ns-cmic", "2021-06-03", ""), // core list: removed
	}
	for i := range current {
		current[i].ID = int64(100 + i)
	}
	_, d := planFixture(t, "consolidated.csv", current, "2025-07-26")
	checkChanges(t, "added", d.Added, []string{
		"added huawei entity-list (affiliates): affiliates listed on entity-list, added 2019-08-19, 84 FR 43493; 85 FR 51603 (as of 2025-07-26): Beijing Huawei Digital Technologies Co., Ltd.; Huawei Cloud Computing Technologies Co., Ltd.",
		"added sensetime sdn (affiliates): affiliates listed on sdn, no start date, no FR notice (as of 2025-07-26): TIANJIN BRIGHTVIEW IMAGING CO., LTD.",
		"added smic uvl (affiliates): affiliates listed on uvl, no start date, no FR notice (as of 2025-07-26): SMIC Advanced Logistics Center",
		"added sugon entity-list: listed on entity-list, added 2019-06-24, 84 FR 29371 (as of 2025-07-26): Sugon",
	})
	checkChanges(t, "removed", d.Removed, []string{
		"removed cambricon entity-list: no longer listed as of 2025-07-26",
		"removed smic ns-cmic: no longer listed as of 2025-07-26",
		"removed smic uvl: no longer listed as of 2025-07-26",
	})
	checkChanges(t, "changed", d.Changed, []string{
		"changed huawei entity-list: citation 84 FR 22961 → 84 FR 22961; 85 FR 51603",
		"changed moore-threads entity-list: added 2023-10-19 → 2023-10-17",
	})
}

func TestPlanDeterministic(t *testing.T) {
	f := readFixture(t, "consolidated.csv")
	applied, _ := MatchFirms(f.Entries, testFirms())
	_, first := planFixture(t, "consolidated.csv", nil, "2025-07-26")
	current := imported(first)
	want, err := Plan(f, applied, current, "2025-09-01")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		a := append([]Match(nil), applied...)
		c := append([]store.Designation(nil), current...)
		rng.Shuffle(len(a), func(i, j int) { a[i], a[j] = a[j], a[i] })
		rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
		got, err := Plan(f, a, c, "2025-09-01")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Plan depends on input order")
		}
	}
}

func TestCheckCounts(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur map[string]int
		msg       string // "" for no error
	}{
		{"first import", nil, map[string]int{"entity-list": 10}, ""},
		{"same", map[string]int{"entity-list": 10}, map[string]int{"entity-list": 10}, ""},
		{"grew", map[string]int{"entity-list": 10}, map[string]int{"entity-list": 30, "dpl": 4}, ""},
		{"exactly half", map[string]int{"entity-list": 10}, map[string]int{"entity-list": 5}, ""},
		{"more than half", map[string]int{"entity-list": 10, "sdn": 8}, map[string]int{"entity-list": 4, "sdn": 8},
			"csl: entry count dropped by more than half: entity-list had 10 entries, now 4"},
		{"vanished lists", map[string]int{"sdn": 8, "meu": 3, "dpl": 0}, map[string]int{},
			"csl: entry count dropped by more than half: meu had 3 entries, now 0; sdn had 8 entries, now 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckCounts(tt.prev, tt.cur)
			switch {
			case tt.msg == "" && err != nil:
				t.Errorf("CheckCounts = %v, want nil", err)
			case tt.msg != "" && (err == nil || err.Error() != tt.msg):
				t.Errorf("CheckCounts = %v, want %q", err, tt.msg)
			case tt.msg != "" && !errors.Is(err, ErrCountDrop):
				t.Errorf("errors.Is(%v, ErrCountDrop) = false", err)
			}
		})
	}
}

func TestCheckCountsFixture(t *testing.T) {
	full := readFixture(t, "consolidated.csv")
	dropped := readFixture(t, "consolidated-dropped.csv")
	later := readFixture(t, "consolidated-later.csv")
	err := CheckCounts(full.Counts, dropped.Counts)
	if !errors.Is(err, ErrCountDrop) || !strings.Contains(err.Error(), "entity-list had 8 entries, now 2") {
		t.Errorf("CheckCounts(full, dropped) = %v, want an entity-list count drop from 8 to 2", err)
	}
	if err := CheckCounts(full.Counts, later.Counts); err != nil {
		t.Errorf("CheckCounts(full, later) = %v, want nil", err)
	}
}
