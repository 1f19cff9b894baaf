package csl

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return f
}

func TestReadCSVAndJSONAgree(t *testing.T) {
	c := readFixture(t, "consolidated.csv")
	j := readFixture(t, "consolidated.json")
	if len(c.Entries) != 17 {
		t.Fatalf("CSV has %d entries, want 17", len(c.Entries))
	}
	if !reflect.DeepEqual(c.Entries, j.Entries) {
		for i := range min(len(c.Entries), len(j.Entries)) {
			if !reflect.DeepEqual(c.Entries[i], j.Entries[i]) {
				t.Errorf("entry %d differs:\n CSV %+v\nJSON %+v", i, c.Entries[i], j.Entries[i])
			}
		}
		t.Fatalf("CSV has %d entries, JSON %d", len(c.Entries), len(j.Entries))
	}
	wantCounts := map[string]int{"entity-list": 8, "meu": 1, "ns-cmic": 1, "sdn": 5, "uvl": 1, "isn": 1}
	if !reflect.DeepEqual(c.Counts, wantCounts) {
		t.Errorf("Counts = %v, want %v", c.Counts, wantCounts)
	}
	if c.Date != "" {
		t.Errorf("CSV Date = %q, want \"\" (the CSV does not say)", c.Date)
	}
	if j.Date != "2025-07-26" {
		t.Errorf("JSON Date = %q, want the latest sources_used import, 2025-07-26", j.Date)
	}
	if len(c.SHA256) != 64 || c.SHA256 == j.SHA256 {
		t.Errorf("SHA256 = %q and %q, want two different hex digests", c.SHA256, j.SHA256)
	}
}

func TestReadEntryFields(t *testing.T) {
	f := readFixture(t, "consolidated.csv")
	byName := map[string]Entry{}
	for _, e := range f.Entries {
		byName[e.Name] = e
	}
	huawei := byName["Huawei Technologies Co., Ltd."]
	want := Entry{
		ID:            "2c1f0c7a9e5d4b3f8a61d0e2b7c4a9f1e3d5b7c9a1e3f5d7b9c1a3e5",
		Source:        "Entity List (EL) - Bureau of Industry and Security",
		List:          "entity-list",
		Name:          "Huawei Technologies Co., Ltd.",
		AltNames:      []string{"Huawei", "华为技术有限公司"},
		FRNotice:      "84 FR 22961; 85 FR 51603",
		StartDate:     "2019-05-16",
		Addresses:     []string{"Bantian Huawei Base, Longgang District, Shenzhen, Guangdong, 518129, CN"},
		SourceListURL: "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
		SourceInfoURL: "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
	}
	if !reflect.DeepEqual(huawei, want) {
		t.Errorf("Huawei entry\n got %+v\nwant %+v", huawei, want)
	}
	rim := byName["RIM, Ryong Nam"]
	if rim.List != "sdn" || rim.Type != "Individual" || rim.EntityNumber != "52291" ||
		!reflect.DeepEqual(rim.Programs, []string{"NPWMD"}) || len(rim.Addresses) != 2 {
		t.Errorf("SDN entry read as %+v", rim)
	}
	if e := byName["SENSETIME GROUP INC."]; e.List != "ns-cmic" || e.AltNames[1] != "商汤集团股份有限公司" {
		t.Errorf("CMIC entry read as %+v", e)
	}
}

func TestReadVariants(t *testing.T) {
	legacy := "source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n" +
		"Entity List (EL) - Bureau of Industry and Security,,,,Biren Technology,,CN,88 FR 71991,2023-10-17,,,,,,,,,,,,u,壁仞科技; and Biren,,,,,u,\n"
	tsv := strings.ReplaceAll(strings.Join(header, ","), ",", "\t") + "\n" +
		"x1\tEL\t\t\t\tBiren Technology\t\t\t88 FR 71991\t2023-10-17\t\t\t\t\t\t\t\t\t\t\t\t\t壁仞科技\t\t\t\t\t\t\n"
	jsonCodes := `{"results":[{"id":"x1","source":"EL","name":"Biren Technology","alt_names":"壁仞科技; and Biren","entity_number":123,"programs":null,"addresses":["CN"]}]}`
	tests := []struct {
		name, data string
		want       Entry
	}{
		{"legacy CSV without _id", "\ufeff" + legacy, Entry{
			Source: "Entity List (EL) - Bureau of Industry and Security", List: "entity-list", Name: "Biren Technology",
			AltNames: []string{"壁仞科技", "Biren"}, Addresses: []string{"CN"}, FRNotice: "88 FR 71991", StartDate: "2023-10-17",
			SourceListURL: "u", SourceInfoURL: "u"}},
		{"TSV with short source code", tsv, Entry{ID: "x1", Source: "EL", List: "entity-list", Name: "Biren Technology",
			AltNames: []string{"壁仞科技"}, FRNotice: "88 FR 71991", StartDate: "2023-10-17"}},
		{"JSON with codes, strings and numbers", jsonCodes, Entry{ID: "x1", Source: "EL", List: "entity-list", Name: "Biren Technology",
			AltNames: []string{"壁仞科技", "Biren"}, EntityNumber: "123", Addresses: []string{"CN"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Entries) != 1 {
				t.Fatalf("read %d entries, want 1", len(f.Entries))
			}
			got := f.Entries[0]
			if tt.want.ID == "" {
				if len(got.ID) != 28 {
					t.Errorf("derived ID %q, want 28 hex digits", got.ID)
				}
				tt.want.ID = got.ID
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	fixture := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	headerLine := strings.Join(header, ",")
	tests := []struct {
		name, data, msg string
	}{
		{"empty", " \n", "csl: unable to read file: the file is empty"},
		{"renamed required column", fixture("wrong-header.csv"), `csl: unable to read CSV: the header lacks the required column alt_names (it has 29 columns: _id,source,entity_number,`},
		{"too few columns", "_id,source,name\n1,EL,x\n", "csl: unable to read CSV: the header lacks the required columns type, alt_names, remarks, start_date, federal_register_notice (it has 3 columns: _id,source,name)"},
		{"not a CSL at all", "hello world", "the header lacks the required columns source, name, type, alt_names, remarks, start_date, federal_register_notice (it has 1 columns: hello world)"},
		{"short record", headerLine + "\n" + `"1","EL","","","","x"` + "\n", "csl: unable to read CSV: record on line 2: wrong number of fields"},
		{"record without source", headerLine + "\n" + strings.Repeat(",", 28) + "\n", "csl: unable to read CSV: record on line 2 has no source"},
		{"wrong JSON shape", fixture("wrong-shape.json"), `csl: unable to read JSON: no "results" array at the top level`},
		{"top-level array", `[{"source":"EL"}]`, "csl: unable to read JSON: the top level is an array"},
		{"results is an object", `{"results":{}}`, "csl: unable to read JSON: cannot unmarshal object"},
		{"broken JSON", `{"results":[`, "csl: unable to read JSON: unexpected end of JSON input"},
		{"entry without source", `{"results":[{"id":"1","source":"EL","name":"a"},{"id":"2","name":"b"}]}`, `csl: unable to read JSON: results[1] has no "source"`},
		{"entry with an array name", `{"results":[{"id":"1","source":"EL","name":["a"]}]}`, "csl: unable to read JSON: results[0]: want a string, got an array"},
		{"entry with an object alt name list", `{"results":[{"id":"1","source":"EL","name":"a","alt_names":{}}]}`, "csl: unable to read JSON: results[0]: want an array, got an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(tt.data))
			if err == nil {
				t.Fatalf("Read = %d entries, want an error", len(f.Entries))
			}
			if f != nil {
				t.Errorf("Read returned a file with its error")
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to contain %q", err, tt.msg)
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("errors.Is(%v, ErrFormat) = false", err)
			}
		})
	}
}

func TestListID(t *testing.T) {
	tests := []struct{ source, want string }{
		{"Entity List (EL) - Bureau of Industry and Security", "entity-list"},
		{"Military End User (MEU) List - Bureau of Industry and Security", "meu"},
		{"Specially Designated Nationals (SDN) - Treasury Department", "sdn"},
		{"Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", "ns-cmic"},
		{"Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "ns-mbs"},
		{"Unverified List (UVL) - Bureau of Industry and Security", "uvl"},
		{"Denied Persons List (DPL) - Bureau of Industry and Security", "dpl"},
		{"ITAR Debarred (DTC) - State Department", "dtc"},
		{"Nonproliferation Sanctions (ISN) - State Department", "isn"},
		{"EL", "entity-list"},
		{"cmic", "ns-cmic"},
		{"SSI", "ssi"},
		{"Some New List - Department of Things", "some-new-list-department-of-things"},
	}
	for _, tt := range tests {
		if got := ListID(tt.source); got != tt.want {
			t.Errorf("ListID(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}

func TestReadCleansText(t *testing.T) {
	data := `{"results":[{"id":"1","source":"SDN","name":" EVIL\u001b[31m\u202eCO ","alt_names":["a\u0007b"]}]}`
	f, err := Read(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	e := f.Entries[0]
	if e.Name != "EVILCO" || e.AltNames[0] != "ab" {
		t.Errorf("read %q / %q, want escape sequences, controls and bidi overrides removed", e.Name, e.AltNames[0])
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"consolidated.csv", "consolidated.json", "wrong-header.csv", "wrong-shape.json", "entities.ftm.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "{}", "[]", `{"results":null}`, `{"results":[{}]}`, `{"results":[{"source":"(X)"}]}`,
		strings.Join(header, ",") + "\n", strings.Join(header[1:], ",") + "\n\"EL\"" + strings.Repeat(",", 27) + "\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(bytes.NewReader(data))
		if err != nil {
			if file != nil {
				t.Fatal("file returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "csl: ") {
				t.Fatalf("error %q lacks the csl: prefix", err)
			}
			return
		}
		total := 0
		for _, n := range file.Counts {
			total += n
		}
		if total != len(file.Entries) {
			t.Fatalf("counts add up to %d, want %d entries", total, len(file.Entries))
		}
		for _, e := range file.Entries {
			if e.ID == "" || e.Source == "" || e.List == "" {
				t.Fatalf("entry without ID, source or list: %+v", e)
			}
			if file.Origin == OriginOpenSanctions && !file.Covers(e.List) {
				t.Fatalf("an export's entry on %s, a list it does not speak for", e.List)
			}
		}
		// Matching must cope with whatever names the file holds.
		MatchFirms(file.Entries, testFirms())
	})
}

// TestReadColumnsByName checks that columns are read by their header
// names: the fixture with its columns reversed and a new column added
// reads the same entries.
func TestReadColumnsByName(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "consolidated.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for i, rec := range recs {
		out := []string{"new column " + strconv.Itoa(i)}
		for j := len(rec) - 1; j >= 0; j-- {
			out = append(out, rec[j])
		}
		if i == 0 {
			out[0] = "added_later"
		}
		w.Write(out)
	}
	w.Flush()
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != len(want.Entries) || len(got.Entries) == 0 {
		t.Fatalf("read %d entries, want %d", len(got.Entries), len(want.Entries))
	}
	for i := range want.Entries {
		if !reflect.DeepEqual(got.Entries[i], want.Entries[i]) {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, got.Entries[i], want.Entries[i])
		}
	}
}
