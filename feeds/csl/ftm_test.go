package csl

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

func TestReadFtM(t *testing.T) {
	f := readFixture(t, "entities.ftm.json")
	if f.Origin != OriginOpenSanctions || f.Date != "2026-12-02" ||
		!reflect.DeepEqual(f.Datasets, map[string]string{"1260h": "us_dod_chinese_milcorps"}) {
		t.Fatalf("file: origin %q, date %q, datasets %v", f.Origin, f.Date, f.Datasets)
	}
	var got []string
	for _, e := range f.Entries {
		got = append(got, e.List+" "+e.Type+" "+e.Name+" ["+strings.Join(e.AltNames, "|")+"] "+e.StartDate)
	}
	want := []string{
		"1260h Entity Hangzhou DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd. [深度求索] 2026-11-20",
		"1260h Entity Aerospace Example Drone Co., Ltd. [] 2024-01-31",
		"1260h Entity Cambricom Corporation [] 2025-01-07",
		"1260h Entity Example Research Institute [Example Old Institute] ",
		"1260h Individual Example Person [] 2024-01-31",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries:\n got %q\nwant %q", got, want)
	}
	if f.Counts["1260h"] != 5 || len(f.Counts) != 1 {
		t.Errorf("counts %v, want 1260h 5", f.Counts)
	}
	e := f.Entries[0]
	if e.Source != "us_dod_chinese_milcorps" || e.SourceListURL != "https://www.opensanctions.org/datasets/us_dod_chinese_milcorps/" ||
		!strings.HasPrefix(e.SourceInfoURL, "https://www.defense.gov/") || !reflect.DeepEqual(e.Programs, []string{"US-DOD-1260H"}) {
		t.Errorf("first entry %+v", e)
	}
	if !f.Covers("1260h") || f.Covers("entity-list") || f.Covers("uflpa") {
		t.Errorf("an export of the 1260H dataset must speak for 1260h only")
	}
	if p := f.Provenance("1260h", "2026-12-02"); p != "opensanctions:us_dod_chinese_milcorps:2026-12-02" {
		t.Errorf("provenance %q", p)
	}
	srcs := f.Sources()
	if len(srcs) != 1 || srcs[0].ID != "opensanctions:us_dod_chinese_milcorps" || srcs[0].Counts["1260h"] != 5 {
		t.Errorf("sources %+v", srcs)
	}
}

func TestReadFtMErrors(t *testing.T) {
	tests := []struct{ name, data, msg string }{
		{"no dataset aiwatch reads", `{"id":"x","schema":"Company","properties":{"name":["X"]},"datasets":["us_ofac_sdn"],"target":true}` + "\n",
			"no entity belongs to a dataset aiwatch reads (us_dhs_uflpa, us_dod_chinese_milcorps, us_fcc_covered_list)"},
		{"broken line", `{"id":"x","schema":"Company","datasets":["us_dhs_uflpa"]}` + "\n{\"id\": 3\n", "line 2: "},
		{"line without schema", `{"id":"x","schema":"Company","datasets":["us_dhs_uflpa"]}` + "\n" + `{"id":"y"}` + "\n", `line 2 has no "id" or "schema"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !errors.Is(err, ErrFormat) {
				t.Errorf("error %v, want one containing %q and wrapping ErrFormat", err, tt.msg)
			}
		})
	}
}

// TestPrepareFtM plans an import of the export against firms: the alias
// match is applied, the near match only listed, and the 1260H listing the
// export no longer carries is removed; the CSL's lists are not touched.
func TestPrepareFtM(t *testing.T) {
	f := readFixture(t, "entities.ftm.json")
	firms := []store.Firm{
		{ID: "deepseek", Name: "DeepSeek", NameZH: "深度求索"},
		{ID: "cambricon", Name: "Cambricon Technologies Corporation Limited", Short: "Cambricon"},
		{ID: "ymtc", Name: "Yangtze Memory Technologies Co., Ltd."},
	}
	current := []store.Designation{
		{ID: 1, Firm: "ymtc", List: "1260h", Added: "2021-06-03", Status: store.StatusConfirmed},
		{ID: 2, Firm: "ymtc", List: "entity-list", Added: "2022-12-16", Status: store.StatusConfirmed},
	}
	im, err := Prepare(f, "", State{Firms: firms, Designations: current})
	if err != nil {
		t.Fatal(err)
	}
	if im.FileDate != "2026-12-02" || im.Refusal != nil {
		t.Fatalf("file date %q, refusal %v", im.FileDate, im.Refusal)
	}
	if len(im.Diff.Added) != 1 || im.Diff.Added[0].Firm != "deepseek" || im.Diff.Added[0].List != "1260h" ||
		im.Diff.Added[0].New.Provenance != "opensanctions:us_dod_chinese_milcorps:2026-12-02" || im.Diff.Added[0].New.Added != "2026-11-20" {
		t.Errorf("added %+v", im.Diff.Added)
	}
	if len(im.Diff.Removed) != 1 || im.Diff.Removed[0].Old.ID != 1 {
		t.Errorf("removed %+v, want ymtc's 1260H listing only", im.Diff.Removed)
	}
	if len(im.Candidates) != 1 || im.Candidates[0].Firm != "cambricon" || im.Candidates[0].Entry.Name != "Cambricom Corporation" {
		t.Errorf("candidates %+v, want the Cambricom near match", im.Candidates)
	}
	changes := im.Changes()
	if len(changes) != 2 || changes[1].Designation.Provenance != "opensanctions:us_dod_chinese_milcorps:2026-12-02" {
		t.Errorf("changes %+v", changes)
	}
	// The drop guard compares each dataset with its own last import.
	im, err = Prepare(f, "", State{Firms: firms, Designations: current, LastCounts: map[string]int{"1260h": 40, "entity-list": 900}})
	if err != nil {
		t.Fatal(err)
	}
	if im.Refusal == nil || !errors.Is(im.Refusal, ErrCountDrop) || !strings.Contains(im.Refusal.Error(), "1260h had 40 entries, now 5") ||
		strings.Contains(im.Refusal.Error(), "entity-list") {
		t.Errorf("refusal %v, want 1260h's drop only", im.Refusal)
	}
}

func TestApplyConfirmations(t *testing.T) {
	near := Match{Firm: "huawei", Entry: Entry{ID: "1", List: "entity-list", Name: "Hua Wei Device", AltNames: []string{"Huawei Device Co., Ltd."}}}
	other := Match{Firm: "huawei", Entry: Entry{ID: "2", List: "entity-list", Name: "Huawie Trading"}}
	elsewhere := Match{Firm: "zte", Entry: Entry{ID: "3", List: "entity-list", Name: "Huawei Device Co., Ltd."}}
	confirmed := []Confirmation{{Name: store.FoldAlias("huawei device co., ltd.", false), Firm: "huawei", Affiliate: true}}
	applied, rest := ApplyConfirmations(nil, []Match{near, other, elsewhere}, confirmed)
	if len(applied) != 1 || applied[0].Entry.ID != "1" || !applied[0].Affiliate || applied[0].Reason != "confirmed by you: Huawei Device Co., Ltd." {
		t.Errorf("applied %+v; want the entry whose alternative name was confirmed, as an affiliate", applied)
	}
	if len(rest) != 2 || rest[0].Entry.ID != "2" || rest[1].Entry.ID != "3" {
		t.Errorf("left %+v; want the unconfirmed name, and the confirmed name for another firm", rest)
	}
}
