package csl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Origins of a File.
const (
	OriginCSL           = "csl"
	OriginOpenSanctions = "opensanctions"
)

// DatasetLists maps the OpenSanctions datasets that carry the US lists the
// CSL lacks to aiwatch's list IDs. The names are those of the
// opensanctions/opensanctions repository (datasets/us/…/<name>.yml) and of
// https://www.opensanctions.org/datasets/<name>/.
var DatasetLists = map[string]string{
	"us_dod_chinese_milcorps": "1260h",       // DoD Section 1260H "Chinese military companies"
	"us_fcc_covered_list":     "fcc-covered", // FCC Covered List
	"us_dhs_uflpa":            "uflpa",       // DHS UFLPA Entity List
}

// ftmEntity is one line of an OpenSanctions entities.ftm.json export.
type ftmEntity struct {
	ID         string                     `json:"id"`
	Schema     string                     `json:"schema"`
	Caption    string                     `json:"caption"`
	Properties map[string]json.RawMessage `json:"properties"`
	Datasets   []string                   `json:"datasets"`
	FirstSeen  string                     `json:"first_seen"`
	LastSeen   string                     `json:"last_seen"`
	LastChange string                     `json:"last_change"`
	Target     bool                       `json:"target"`
}

// prop returns the string values of a property, skipping anything else
// (a nested export puts objects there).
func (e *ftmEntity) prop(name string) []string {
	raw, ok := e.Properties[name]
	if !ok {
		return nil
	}
	var vals []json.RawMessage
	if json.Unmarshal(raw, &vals) != nil {
		return nil
	}
	var out []string
	for _, v := range vals {
		var s string
		if json.Unmarshal(v, &s) == nil {
			if s = clean(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (e *ftmEntity) first(name string) string {
	if v := e.prop(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// partyTypes maps FollowTheMoney schemata of parties to the CSL's entry
// types; other schemata (Sanction, Ownership, Address…) are not parties.
var partyTypes = map[string]string{
	"Company": "Entity", "Organization": "Entity", "LegalEntity": "Entity", "PublicBody": "Entity",
	"Person": "Individual", "Vessel": "Vessel", "Airplane": "Aircraft",
}

// isFtM reports whether data looks like a FollowTheMoney export: its first
// line is a JSON object with an "id" and a "schema".
func isFtM(data []byte) bool {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	if len(line) > 1<<20 {
		return false
	}
	var probe struct {
		ID     string `json:"id"`
		Schema string `json:"schema"`
	}
	return json.Unmarshal(line, &probe) == nil && probe.ID != "" && probe.Schema != ""
}

// readFtM reads an OpenSanctions FollowTheMoney export. A party (company,
// person…) is an entry of a list when a Sanction of the list's dataset
// names it and has not ended by the file's date; a party that no Sanction
// names is an entry of the mapped datasets it belongs to when it is a
// target. Its names are its name, alias and previousName values; its
// start date the earliest startDate (else listingDate) of its sanctions.
// The file's date is its latest last_seen. Only datasets in DatasetLists
// are read; a file with none of them is refused.
func readFtM(data []byte) (*File, error) {
	parties := map[string]*ftmEntity{}
	var order []string
	var sanctions []*ftmEntity
	f := &File{Origin: OriginOpenSanctions, Datasets: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		e := &ftmEntity{}
		if err := json.Unmarshal(b, e); err != nil {
			return nil, formatErrorf("FollowTheMoney JSON", "line %d: %v", line, jsonMessage(err))
		}
		if e.ID == "" || e.Schema == "" {
			return nil, formatErrorf("FollowTheMoney JSON", `line %d has no "id" or "schema"`, line)
		}
		if len(e.LastSeen) >= 10 && isDate(e.LastSeen[:10]) {
			f.Date = max(f.Date, e.LastSeen[:10])
		}
		for _, ds := range e.Datasets {
			if list, ok := DatasetLists[ds]; ok {
				f.Datasets[list] = ds
			}
		}
		switch {
		case e.Schema == "Sanction":
			sanctions = append(sanctions, e)
		case partyTypes[e.Schema] != "":
			if _, dup := parties[e.ID]; !dup {
				order = append(order, e.ID)
			}
			parties[e.ID] = e
		}
	}
	if err := sc.Err(); err != nil {
		return nil, formatErrorf("FollowTheMoney JSON", "line %d: %v", line+1, err)
	}
	if len(f.Datasets) == 0 {
		return nil, formatErrorf("FollowTheMoney JSON", "no entity belongs to a dataset aiwatch reads (%s)", strings.Join(sortedKeys(DatasetLists), ", "))
	}

	// The sanctions of each party, by dataset.
	type listing struct {
		start    string
		programs []string
		sources  []string
		ended    bool
	}
	byParty := map[string]map[string]*listing{}
	named := map[string]bool{}
	for _, s := range sanctions {
		for _, id := range s.prop("entity") {
			named[id] = true
			p := parties[id]
			if p == nil {
				continue
			}
			datasets := s.Datasets
			if len(datasets) == 0 {
				datasets = p.Datasets
			}
			for _, ds := range datasets {
				if _, ok := DatasetLists[ds]; !ok {
					continue
				}
				if byParty[id] == nil {
					byParty[id] = map[string]*listing{}
				}
				l := byParty[id][ds]
				if l == nil {
					l = &listing{ended: true}
					byParty[id][ds] = l
				}
				start := s.first("startDate")
				if start == "" {
					start = s.first("listingDate")
				}
				if start != "" && (l.start == "" || start < l.start) {
					l.start = start
				}
				if end := s.first("endDate"); end == "" || f.Date == "" || end > f.Date {
					l.ended = false
				}
				l.programs = appendNew(l.programs, s.prop("program")...)
				l.sources = appendNew(l.sources, s.prop("sourceUrl")...)
			}
		}
	}

	for _, id := range order {
		p := parties[id]
		listings := byParty[id]
		if !named[id] && p.Target {
			listings = map[string]*listing{}
			for _, ds := range p.Datasets {
				if _, ok := DatasetLists[ds]; ok {
					listings[ds] = &listing{}
				}
			}
		}
		names := p.prop("name")
		if len(names) == 0 && p.Caption != "" {
			names = []string{clean(p.Caption)}
		}
		if len(names) == 0 {
			continue
		}
		var alt []string
		alt = appendNew(alt, names[1:]...)
		alt = appendNew(alt, p.prop("alias")...)
		alt = appendNew(alt, p.prop("previousName")...)
		for _, ds := range sortedKeys(listings) {
			l := listings[ds]
			if l.ended {
				continue
			}
			sources := appendNew(slices.Clone(l.sources), p.prop("sourceUrl")...)
			info := "https://www.opensanctions.org/entities/" + id + "/"
			if len(sources) > 0 {
				info = sources[0]
			}
			e := Entry{
				ID:            id,
				Source:        ds,
				List:          DatasetLists[ds],
				Name:          names[0],
				AltNames:      alt,
				Programs:      l.programs,
				Type:          partyTypes[p.Schema],
				StartDate:     dateOnly(l.start),
				Remarks:       strings.Join(p.prop("notes"), "; "),
				Addresses:     p.prop("address"),
				SourceListURL: "https://www.opensanctions.org/datasets/" + ds + "/",
				SourceInfoURL: info,
			}
			f.Entries = append(f.Entries, e)
		}
	}
	return f, nil
}

// dateOnly keeps the YYYY-MM-DD (or YYYY-MM, YYYY) start of a date.
func dateOnly(s string) string {
	if len(s) > 10 {
		s = s[:10]
	}
	return s
}

// String describes the file for the user, e.g. "OpenSanctions export
// (us_dod_chinese_milcorps)".
func (f *File) String() string {
	if f.Origin == OriginOpenSanctions {
		var ds []string
		for _, l := range sortedKeys(f.Datasets) {
			ds = append(ds, f.Datasets[l])
		}
		return fmt.Sprintf("OpenSanctions export (%s)", strings.Join(ds, ", "))
	}
	return "Consolidated Screening List"
}
