// Package reference holds aiwatch's embedded reference dataset: the
// alliances, firms, aliases, US designations with their sources, the
// default feeds, and a bundled news snapshot that tells the founding story
// offline. Everything comes from the sourced facts in shared/reference;
// claims without a source are left out or marked.
package reference

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

//go:embed data/reference-data.json
var referenceJSON []byte

//go:embed snapshot.json
var snapshotJSON []byte

// SnapshotFeedURL is the URL of the built-in feed that holds the bundled snapshot.
const SnapshotFeedURL = "aiwatch:snapshot"

// SnapshotFeedTitle is the title of the built-in snapshot feed.
const SnapshotFeedTitle = "aiwatch snapshot"

// Dataset is the whole embedded reference dataset, ready to seed a store.
type Dataset struct {
	// Version changes whenever any embedded fact changes; the store
	// re-applies the dataset when it differs from the seeded one.
	Version   string
	AsOf      string // date of the reference check, YYYY-MM-DD
	Lists     []store.List
	Firms     []store.Firm
	Alliances []store.Alliance
	Feeds     []store.Feed
	// SnapshotFeed is the built-in feed that owns Snapshot.
	SnapshotFeed store.Feed
	Snapshot     []store.Item
}

// Lists are the US lists aiwatch tracks, in badge order.
var lists = []store.List{
	{ID: "entity-list", Name: "BIS Entity List", Badge: "EL"},
	{ID: "meu", Name: "BIS Military End-User List", Badge: "MEU",
		Description: "US Commerce Dept Military End-User (MEU) list (15 CFR 744 Supp. 7)."},
	{ID: "sdn", Name: "OFAC SDN", Badge: "SDN"},
	{ID: "ns-cmic", Name: "Treasury NS-CMIC", Badge: "CMIC"},
	{ID: "1260h", Name: "DoD 1260H", Badge: "1260H"},
	{ID: "fcc-covered", Name: "FCC Covered List", Badge: "FCC"},
	{ID: "uflpa", Name: "UFLPA Entity List", Badge: "UFLPA"},
}

// listByRefName maps the reference's list names to list IDs.
var listByRefName = map[string]string{
	"BIS Entity List":   "entity-list",
	"OFAC SDN":          "sdn",
	"Treasury NS-CMIC":  "ns-cmic",
	"DoD 1260H":         "1260h",
	"FCC Covered List":  "fcc-covered",
	"UFLPA Entity List": "uflpa",
}

// allianceIDs maps the reference's alliance IDs to aiwatch's fixed IDs.
var allianceIDs = map[string]string{
	"model-chip-ecosystem-innovation-alliance": "model-chip",
	"shanghai-gcc-ai-committee":                "shanghai-gcc-ai",
}

// shortNames are display names, each a name the reference itself uses.
var shortNames = map[string]string{
	"huawei": "Huawei", "biren": "Biren", "moore-threads": "Moore Threads",
	"enflame": "Enflame", "metax": "MetaX", "iluvatar-corex": "Iluvatar CoreX",
	"stepfun": "StepFun", "minimax": "MiniMax", "sensetime": "SenseTime",
	"cambricon": "Cambricon", "hygon": "Hygon", "sugon": "Sugon", "smic": "SMIC",
	"inspur": "Inspur", "iflytek": "iFLYTEK", "megvii": "Megvii", "zhipu": "Zhipu AI",
	"deepseek": "DeepSeek", "moonshot": "Moonshot AI", "baidu": "Baidu",
	"tencent": "Tencent", "bytedance": "ByteDance", "alibaba": "Alibaba",
	"ant-group": "Ant Group", "cloudwalk": "CloudWalk", "yitu": "Yitu",
	"sophgo": "Sophgo", "kunlunxin": "Kunlunxin", "horizon-robotics": "Horizon Robotics",
	"unisoc": "UNISOC", "ymtc": "YMTC", "cxmt": "CXMT", "nvidia": "Nvidia",
	"infinigence-ai": "Infinigence AI", "siliconflow": "SiliconFlow",
}

type refFile struct {
	Meta struct {
		AsOf  string            `json:"as_of"`
		Lists map[string]string `json:"lists"`
	} `json:"meta"`
	Alliances []struct {
		ID             string   `json:"id"`
		NameEN         string   `json:"name_en"`
		NameZH         string   `json:"name_zh"`
		NameZHStatus   string   `json:"name_zh_status"`
		Launched       string   `json:"launched"`
		LaunchedStatus string   `json:"launched_status"`
		Venue          string   `json:"venue"`
		Convener       string   `json:"convener"`
		Members        []string `json:"members"`
		MembersNote    string   `json:"members_note"`
		Sources        []string `json:"sources"`
	} `json:"alliances"`
	Firms []struct {
		ID           string   `json:"id"`
		NameEN       string   `json:"name_en"`
		NameZH       string   `json:"name_zh"`
		HQ           string   `json:"hq"`
		Sector       string   `json:"sector"`
		Notes        string   `json:"notes"`
		Sources      []string `json:"sources"`
		Designations []struct {
			List     string `json:"list"`
			Listed   *bool  `json:"listed"`
			Date     string `json:"date"`
			Removed  string `json:"removed"`
			Citation string `json:"citation"`
			Source   string `json:"source"`
			Status   string `json:"status"`
			Note     string `json:"note"`
		} `json:"designations"`
	} `json:"firms"`
	Feeds []struct {
		Title string `json:"title"`
		URL   string `json:"url"`
		Lang  string `json:"lang"`
	} `json:"feeds"`
}

type snapshotEntry struct {
	Key       string    `json:"key"`
	Title     string    `json:"title"`
	Summary   string    `json:"summary"`
	URL       string    `json:"url"`
	Published time.Time `json:"published"`
	Lang      string    `json:"lang"`
	Firms     []string  `json:"firms"`
	Alliances []string  `json:"alliances"`
	Sanctions bool      `json:"sanctions"`
}

// Load parses the embedded dataset. It fails only if the embedded files
// are inconsistent, which the package's tests rule out.
func Load() (*Dataset, error) {
	var rf refFile
	if err := json.Unmarshal(referenceJSON, &rf); err != nil {
		return nil, fmt.Errorf("reference: unable to parse reference data: %w", err)
	}
	var snap []snapshotEntry
	if err := json.Unmarshal(snapshotJSON, &snap); err != nil {
		return nil, fmt.Errorf("reference: unable to parse snapshot: %w", err)
	}
	ds := &Dataset{AsOf: rf.Meta.AsOf}

	for _, l := range lists {
		for name, id := range listByRefName {
			if id == l.ID {
				l.Description = rf.Meta.Lists[name]
			}
		}
		ds.Lists = append(ds.Lists, l)
	}

	aliases := Aliases()
	byEntity := map[string][]store.Alias{}
	for _, a := range aliases {
		k := string(a.Kind) + ":" + a.Entity
		byEntity[k] = append(byEntity[k], a)
	}

	memberOf := map[string][]string{}
	for _, ra := range rf.Alliances {
		id, ok := allianceIDs[ra.ID]
		if !ok {
			return nil, fmt.Errorf("reference: unknown alliance %q", ra.ID)
		}
		a := store.Alliance{
			ID: id, Name: ra.NameEN, NameZH: ra.NameZH, NameStatus: ra.NameZHStatus,
			Launched: ra.Launched, LaunchNote: ra.LaunchedStatus, Venue: ra.Venue,
			Convener: ra.Convener, MembersNote: ra.MembersNote, Sources: ra.Sources,
			Aliases: byEntity[string(store.KindAlliance)+":"+id],
		}
		for _, f := range ra.Members {
			role := "member"
			if ra.Convener == shortNames[f] || strings.HasPrefix(ra.Convener, shortNames[f]+" ") {
				role = "convener"
			}
			src := ""
			if len(ra.Sources) > 0 {
				src = ra.Sources[0]
			}
			a.Members = append(a.Members, store.Membership{Alliance: id, Firm: f, Role: role, Source: src})
			memberOf[f] = append(memberOf[f], id)
		}
		ds.Alliances = append(ds.Alliances, a)
	}

	for _, rf := range rf.Firms {
		f := store.Firm{
			ID: rf.ID, Name: rf.NameEN, NameZH: rf.NameZH, Short: shortNames[rf.ID],
			Sector: rf.Sector, HQ: rf.HQ, Notes: rf.Notes, Sources: rf.Sources,
			Aliases: byEntity[string(store.KindFirm)+":"+rf.ID], NoneFoundAsOf: ds.AsOf,
		}
		if f.Short == "" {
			return nil, fmt.Errorf("reference: firm %q has no display name", rf.ID)
		}
		f.Alliances = append([]string(nil), memberOf[rf.ID]...)
		sort.Strings(f.Alliances)
		for _, d := range rf.Designations {
			des, ok := designation(rf.ID, d.List, d.Listed, d.Date, d.Removed, d.Citation, d.Source, d.Status, d.Note)
			if !ok {
				continue
			}
			if _, known := listByRefName[d.List]; !known {
				return nil, fmt.Errorf("reference: firm %q: unknown list %q", rf.ID, d.List)
			}
			f.Designations = append(f.Designations, des)
		}
		ds.Firms = append(ds.Firms, f)
	}

	for _, rfd := range rf.Feeds {
		u, title := rfd.URL, rfd.Title
		if api, ok := FederalRegisterAPI(u); ok {
			u, title = api, strings.TrimSuffix(title, " (RSS)")
		}
		ds.Feeds = append(ds.Feeds, store.Feed{
			URL: u, Title: title, Lang: rfd.Lang, Kind: store.KindFeed,
			Enabled: true, Source: store.SourceReference,
		})
	}
	ds.Feeds = append(ds.Feeds, ofacFeed)

	ds.SnapshotFeed = store.Feed{
		URL: SnapshotFeedURL, Title: SnapshotFeedTitle, Kind: store.KindBuiltin,
		Enabled: false, Source: store.SourceReference,
	}
	for _, e := range snap {
		ds.Snapshot = append(ds.Snapshot, store.Item{
			Key: e.Key, Title: e.Title, Summary: e.Summary, URL: e.URL,
			Lang: e.Lang, Published: e.Published.UTC(), Updated: e.Published.UTC(),
			Fetched: e.Published.UTC(), FeedTitle: SnapshotFeedTitle,
			Firms: sortedCopy(e.Firms), Alliances: sortedCopy(e.Alliances), Sanctions: e.Sanctions,
		})
	}

	h := sha256.New()
	h.Write(referenceJSON)
	h.Write(snapshotJSON)
	aj, _ := json.Marshal(aliases)
	h.Write(aj)
	// The default feeds are the reference's, as changed here: a change
	// here must reseed too.
	fj, _ := json.Marshal(ds.Feeds)
	h.Write(fj)
	ds.Version = hex.EncodeToString(h.Sum(nil))[:16]
	return ds, nil
}

// The Federal Register's document search answers in RSS and in JSON. The
// default feeds read BIS and OFAC documents through the JSON, which says
// each document's type and agencies and is paged (feeds/parse reads it as
// parse.FormatFederalRegister), instead of the RSS of the same search.
const (
	frRSS = "https://www.federalregister.gov/api/v1/documents.rss?"
	frAPI = "https://www.federalregister.gov/api/v1/documents.json?"
)

// FederalRegisterAPI returns the API (JSON) URL of a Federal Register RSS
// search URL: the same conditions, newest first. ok is false for any
// other URL. store/sqlite's migration 0009 makes the same change to an
// existing store's feeds.
func FederalRegisterAPI(rssURL string) (api string, ok bool) {
	query, ok := strings.CutPrefix(rssURL, frRSS)
	if !ok || query == "" {
		return "", false
	}
	if !strings.Contains("&"+query, "&order=") {
		query += "&order=newest"
	}
	return frAPI + query, true
}

// ofacFeed is the Federal Register search of OFAC documents. The
// reference lists only OFAC's own site for OFAC; this is the same search
// as the reference's BIS feed with the Federal Register's slug for the
// Office of Foreign Assets Control, the slug of its agency page
// https://www.federalregister.gov/agencies/foreign-assets-control-office.
var ofacFeed = store.Feed{
	URL:   frAPI + "conditions[agencies][]=foreign-assets-control-office&order=newest",
	Title: "Federal Register - Office of Foreign Assets Control documents",
	Lang:  "en", Kind: store.KindFeed, Enabled: true, Source: store.SourceReference,
}

// designation turns one reference row into a designation. Rows that say
// "not listed" carry no designation: the firm then reads "none found as
// of <date>", never "clean". A null listing is a contested action.
func designation(firm, list string, listed *bool, date, removed, citation, source, status, note string) (store.Designation, bool) {
	d := store.Designation{
		Firm: firm, List: listByRefName[list], Added: date, Removed: removed,
		Citation: citation, Source: source, Provenance: store.SourceReference, Note: note,
	}
	switch {
	case listed == nil:
		if source == "" {
			return d, false
		}
		d.Status = store.StatusContested
		return d, true
	case *listed && status == "confirmed":
		d.Status = store.StatusConfirmed
		return d, true
	case !*listed && removed != "" && status == "confirmed":
		d.Status = store.StatusConfirmed
		return d, true
	}
	return d, false
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// Validate checks the dataset's internal references: every member and
// designation names a known firm, every designation a known list.
func (ds *Dataset) Validate() error {
	firms := map[string]bool{}
	for _, f := range ds.Firms {
		firms[f.ID] = true
	}
	listIDs := map[string]bool{}
	for _, l := range ds.Lists {
		listIDs[l.ID] = true
	}
	var problems bytes.Buffer
	for _, a := range ds.Alliances {
		for _, m := range a.Members {
			if !firms[m.Firm] {
				fmt.Fprintf(&problems, "alliance %s: unknown member %q; ", a.ID, m.Firm)
			}
		}
	}
	for _, f := range ds.Firms {
		for _, d := range f.Designations {
			if !listIDs[d.List] {
				fmt.Fprintf(&problems, "firm %s: unknown list %q; ", f.ID, d.List)
			}
		}
	}
	for _, it := range ds.Snapshot {
		for _, id := range it.Firms {
			if !firms[id] {
				fmt.Fprintf(&problems, "snapshot %s: unknown firm %q; ", it.Key, id)
			}
		}
	}
	if problems.Len() > 0 {
		return fmt.Errorf("reference: invalid dataset: %s", strings.TrimSuffix(problems.String(), "; "))
	}
	return nil
}
