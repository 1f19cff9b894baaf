package reference_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store/reference"
)

// snapshotItem mirrors one object of snapshot.json. The test reads the
// file itself, strictly, so a misspelt field fails here rather than
// silently loading as empty.
type snapshotItem struct {
	Key       string   `json:"key"`
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	URL       string   `json:"url"`
	Published string   `json:"published"`
	Lang      string   `json:"lang"`
	Firms     []string `json:"firms"`
	Alliances []string `json:"alliances"`
	Sanctions bool     `json:"sanctions"`
}

// refDesignation is the part of a reference designation row the snapshot
// depends on.
type refDesignation struct {
	List    string `json:"list"`
	Listed  *bool  `json:"listed"`
	Date    string `json:"date"`
	Removed string `json:"removed"`
	Source  string `json:"source"`
}

type refData struct {
	Meta struct {
		AsOf string `json:"as_of"`
	} `json:"meta"`
	Alliances []struct {
		ID      string   `json:"id"`
		Sources []string `json:"sources"`
	} `json:"alliances"`
	Firms []struct {
		ID           string           `json:"id"`
		Designations []refDesignation `json:"designations"`
	} `json:"firms"`

	raw []byte
}

// listIDs maps the reference's list names to the list IDs used in keys.
var listIDs = map[string]string{
	"BIS Entity List":   "entity-list",
	"OFAC SDN":          "sdn",
	"Treasury NS-CMIC":  "ns-cmic",
	"DoD 1260H":         "1260h",
	"FCC Covered List":  "fcc-covered",
	"UFLPA Entity List": "uflpa",
}

const waicKeyPrefix = "snapshot/waic2025-alliances-"

func loadSnapshot(t *testing.T) []snapshotItem {
	t.Helper()
	b, err := os.ReadFile("snapshot.json")
	if err != nil {
		t.Fatalf("read snapshot: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var items []snapshotItem
	if err := dec.Decode(&items); err != nil {
		t.Fatalf("parse snapshot: %v", err)
	}
	if len(items) == 0 {
		t.Fatal("snapshot is empty")
	}
	return items
}

// loadReference reads the reference facts the snapshot is written from:
// the package's embedded copy, else shared/ beside the repository root
// (where CI keeps it). Tests that need it skip when neither exists.
func loadReference(t *testing.T) *refData {
	t.Helper()
	candidates := []string{
		filepath.Join("data", "reference-data.json"),
		filepath.Join("..", "..", "..", "shared", "reference", "reference-data.json"),
	}
	for _, p := range candidates {
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		rd := &refData{raw: b}
		if err := json.Unmarshal(b, rd); err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		return rd
	}
	t.Skip("reference-data.json not found; skipping the cross-check against the reference")
	return nil
}

// urls returns every http(s) URL anywhere in the reference, splitting the
// "; "-joined source strings.
func (rd *refData) urls(t *testing.T) map[string]bool {
	t.Helper()
	var doc any
	if err := json.Unmarshal(rd.raw, &doc); err != nil {
		t.Fatalf("parse reference: %v", err)
	}
	set := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case string:
			for _, s := range strings.Split(v, "; ") {
				if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
					set[s] = true
				}
			}
		}
	}
	walk(doc)
	return set
}

// eventDate is the date an item about the designation carries: the
// removal date for a removal, else the designation date, a YYYY-MM date
// read as the first of the month.
func eventDate(d refDesignation) string {
	date := d.Date
	if d.Removed != "" {
		date = d.Removed
	}
	if len(date) == len("2006-01") {
		date += "-01"
	}
	return date + "T00:00:00Z"
}

func knownIDs(t *testing.T) (firms, alliances map[string]bool) {
	t.Helper()
	ds, err := reference.Load()
	if err != nil {
		t.Fatalf("reference.Load: %v", err)
	}
	firms, alliances = map[string]bool{}, map[string]bool{}
	for _, f := range ds.Firms {
		firms[f.ID] = true
	}
	for _, a := range ds.Alliances {
		alliances[a.ID] = true
	}
	return firms, alliances
}

func TestSnapshotItemsWellFormed(t *testing.T) {
	items := loadSnapshot(t)
	firms, alliances := knownIDs(t)
	langs := map[string]bool{"en": true, "zh": true, "ar": true}

	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.Key] {
			t.Errorf("duplicate key %q", it.Key)
		}
		seen[it.Key] = true
	}

	for _, it := range items {
		t.Run(it.Key, func(t *testing.T) {
			if !strings.HasPrefix(it.Key, "snapshot/") {
				t.Errorf("key %q lacks the snapshot/ prefix", it.Key)
			}
			if strings.TrimSpace(it.Title) == "" || strings.TrimSpace(it.Summary) == "" {
				t.Errorf("title or summary is empty")
			}
			u, err := url.Parse(it.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				t.Errorf("url %q is not an absolute http(s) URL", it.URL)
			}
			p, err := time.Parse(time.RFC3339, it.Published)
			if err != nil {
				t.Errorf("published %q: %v", it.Published, err)
			} else if _, off := p.Zone(); off != 0 {
				t.Errorf("published %q is not UTC", it.Published)
			}
			if !langs[it.Lang] {
				t.Errorf("lang %q not in {en, zh, ar}", it.Lang)
			}
			for _, f := range it.Firms {
				if !firms[f] {
					t.Errorf("unknown firm ID %q", f)
				}
			}
			for _, a := range it.Alliances {
				if !alliances[a] {
					t.Errorf("unknown alliance ID %q", a)
				}
			}
			if !slices.IsSorted(it.Firms) || len(slices.Compact(slices.Clone(it.Firms))) != len(it.Firms) {
				t.Errorf("firms %v are not sorted and unique", it.Firms)
			}
			if !slices.IsSorted(it.Alliances) || len(slices.Compact(slices.Clone(it.Alliances))) != len(it.Alliances) {
				t.Errorf("alliances %v are not sorted and unique", it.Alliances)
			}
		})
	}
}

func TestSnapshotURLsComeFromReference(t *testing.T) {
	items := loadSnapshot(t)
	rd := loadReference(t)
	known := rd.urls(t)
	asOf, err := time.Parse(time.DateOnly, rd.Meta.AsOf)
	if err != nil {
		t.Fatalf("reference as_of %q: %v", rd.Meta.AsOf, err)
	}
	for _, it := range items {
		if !known[it.URL] {
			t.Errorf("%s: url %q does not appear in the reference", it.Key, it.URL)
		}
		if p, err := time.Parse(time.RFC3339, it.Published); err == nil && p.After(asOf) {
			t.Errorf("%s: published %s is after the reference date %s", it.Key, it.Published, rd.Meta.AsOf)
		}
	}
}

func TestSnapshotWAICItems(t *testing.T) {
	items := loadSnapshot(t)
	rd := loadReference(t)
	allianceSources := map[string]bool{}
	for _, a := range rd.Alliances {
		for _, s := range a.Sources {
			allianceSources[s] = true
		}
	}

	byLang := map[string]snapshotItem{}
	for _, it := range items {
		if !strings.HasPrefix(it.Key, waicKeyPrefix) {
			continue
		}
		if _, dup := byLang[it.Lang]; dup {
			t.Errorf("two WAIC items in %q", it.Lang)
		}
		byLang[it.Lang] = it
	}
	for _, lang := range []string{"ar", "en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			it, ok := byLang[lang]
			if !ok {
				t.Fatalf("no WAIC item in %q", lang)
			}
			if it.Key != waicKeyPrefix+lang {
				t.Errorf("key %q, want %q", it.Key, waicKeyPrefix+lang)
			}
			if want := []string{"model-chip", "shanghai-gcc-ai"}; !slices.Equal(it.Alliances, want) {
				t.Errorf("alliances %v, want %v", it.Alliances, want)
			}
			if !allianceSources[it.URL] {
				t.Errorf("url %q is not one of the alliances' sources", it.URL)
			}
		})
	}
	if len(byLang) != 3 {
		t.Errorf("got %d WAIC items, want 3 (ar, en, zh)", len(byLang))
	}
}

// TestSnapshotCoversDesignations checks that every designation row with a
// source has exactly one item, tagged with that firm alone, linked to the
// row's first source and dated at the event, and that contested, removed
// and negative rows are not worded as listings.
func TestSnapshotCoversDesignations(t *testing.T) {
	items := loadSnapshot(t)
	rd := loadReference(t)
	byKey := map[string]snapshotItem{}
	for _, it := range items {
		byKey[it.Key] = it
	}

	want := map[string]bool{}
	for _, f := range rd.Firms {
		for _, d := range f.Designations {
			if d.Source == "" {
				continue
			}
			list, ok := listIDs[d.List]
			if !ok {
				t.Fatalf("firm %s: unknown list %q", f.ID, d.List)
			}
			key := "snapshot/" + f.ID + "-" + list
			want[key] = true
			t.Run(key, func(t *testing.T) {
				it, ok := byKey[key]
				if !ok {
					t.Fatalf("no snapshot item for %s on %s", f.ID, d.List)
				}
				if !slices.Equal(it.Firms, []string{f.ID}) {
					t.Errorf("firms %v, want [%s]", it.Firms, f.ID)
				}
				if len(it.Alliances) != 0 {
					t.Errorf("alliances %v, want none", it.Alliances)
				}
				if !it.Sanctions {
					t.Error("sanctions is false for a designation item")
				}
				if first, _, _ := strings.Cut(d.Source, "; "); it.URL != first {
					t.Errorf("url %q, want the first source %q", it.URL, first)
				}
				if want := eventDate(d); it.Published != want {
					t.Errorf("published %q, want %q", it.Published, want)
				}
				text := strings.ToLower(it.Title + "\n" + it.Summary)
				switch {
				case d.Listed == nil:
					if !strings.Contains(text, "withdrawn") || !strings.Contains(text, "contested") {
						t.Error("a contested action must be reported as withdrawn and contested")
					}
				case d.Removed != "":
					if !strings.Contains(strings.ToLower(it.Title), "removed") {
						t.Error("a removal must say so in the title")
					}
				}
				if (d.Listed == nil || !*d.Listed) && d.Removed == "" &&
					strings.Contains(strings.ToLower(it.Title), "added to") {
					t.Errorf("title %q reports a listing the reference does not confirm", it.Title)
				}
			})
		}
	}

	for _, it := range items {
		if strings.HasPrefix(it.Key, waicKeyPrefix) {
			continue
		}
		if !want[it.Key] {
			t.Errorf("item %s matches no sourced designation in the reference", it.Key)
		}
	}
}

// TestSnapshotTagsMatchMatcher checks that the stored tags are what the
// entity matcher derives from the item's text, so that a bundled item
// and the same item fetched from a feed are tagged alike.
func TestSnapshotTagsMatchMatcher(t *testing.T) {
	items := loadSnapshot(t)
	m := match.New(reference.Aliases())
	for _, it := range items {
		t.Run(it.Key, func(t *testing.T) {
			got := m.Match(it.Title + "\n" + it.Summary)
			firms := slices.Sorted(slices.Values(got.Firms))
			alliances := slices.Sorted(slices.Values(got.Alliances))
			if !slices.Equal(firms, it.Firms) {
				t.Errorf("firms: stored %v, matcher %v", it.Firms, firms)
			}
			if !slices.Equal(alliances, it.Alliances) {
				t.Errorf("alliances: stored %v, matcher %v", it.Alliances, alliances)
			}
			if got.Sanctions != it.Sanctions {
				t.Errorf("sanctions: stored %v, matcher %v", it.Sanctions, got.Sanctions)
			}
		})
	}
}
