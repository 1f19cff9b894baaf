package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
	"github.com/aiwatch/aiwatch/ui"
)

// cslHeader is the 29-column header of consolidated.csv.
var cslHeader = []string{
	"_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
	"federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
	"license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
	"vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
	"dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
}

// cslSources are the CSL's source names of the lists the tests write:
// the four it always carries and one aiwatch does not track by default.
var cslSources = map[string]string{
	"entity-list": "Entity List (EL) - Bureau of Industry and Security",
	"meu":         "Military End User (MEU) List - Bureau of Industry and Security",
	"sdn":         "Specially Designated Nationals (SDN) - Treasury Department",
	"ns-cmic":     "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
	"dpl":         "Denied Persons List (DPL) - Bureau of Industry and Security",
}

// cslRow is one entry of a test CSL file.
type cslRow struct {
	ID, List, Type, Name, FRNotice, StartDate, Remarks, ListURL, InfoURL string
	AltNames, Addresses                                                  string // "; "-joined
	// Firm is the tracked firm the row stands for, for the tests' own
	// bookkeeping; it is not written.
	Firm string
}

func (r cslRow) record() []string {
	rec := make([]string, len(cslHeader))
	set := func(col, v string) { rec[slices.Index(cslHeader, col)] = v }
	set("_id", r.ID)
	set("source", cslSources[r.List])
	set("type", r.Type)
	set("name", r.Name)
	set("federal_register_notice", r.FRNotice)
	set("start_date", r.StartDate)
	set("remarks", r.Remarks)
	set("source_list_url", r.ListURL)
	set("source_information_url", r.InfoURL)
	set("alt_names", r.AltNames)
	set("addresses", r.Addresses)
	return rec
}

// writeCSV writes rows as consolidated.csv into dir and returns its path
// and the first 12 hex digits of its SHA-256, as provenance shows them.
func writeCSV(t testing.TB, dir, name string, rows []cslRow) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cslHeader)
	for _, r := range rows {
		w.Write(r.record())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return writeCSLFile(t, dir, name, buf.Bytes())
}

// writeCSLJSON writes rows as consolidated.json: an object whose
// "results" array holds the entries.
func writeCSLJSON(t testing.TB, dir, name string, rows []cslRow) (string, string) {
	t.Helper()
	type entry struct {
		ID        string   `json:"id"`
		Source    string   `json:"source"`
		Type      string   `json:"type"`
		Name      string   `json:"name"`
		AltNames  []string `json:"alt_names"`
		Programs  []string `json:"programs"`
		FRNotice  string   `json:"federal_register_notice"`
		StartDate string   `json:"start_date"`
		Remarks   string   `json:"remarks"`
		ListURL   string   `json:"source_list_url"`
		InfoURL   string   `json:"source_information_url"`
	}
	doc := struct {
		Total   int     `json:"total"`
		Results []entry `json:"results"`
	}{Total: len(rows), Results: []entry{}}
	for _, r := range rows {
		doc.Results = append(doc.Results, entry{ID: r.ID, Source: cslSources[r.List], Type: r.Type, Name: r.Name,
			AltNames: []string{}, Programs: []string{}, FRNotice: r.FRNotice, StartDate: r.StartDate,
			Remarks: r.Remarks, ListURL: r.ListURL, InfoURL: r.InfoURL})
	}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return writeCSLFile(t, dir, name, b)
}

func writeCSLFile(t testing.TB, dir, name string, b []byte) (string, string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return path, hex.EncodeToString(sum[:])[:12]
}

// listedRows returns one CSL row for every designation now in force in
// the store on a list the CSL always carries, naming the firm by its
// English name, with no start date or notice, so that importing them
// changes nothing. An affiliate listing is written as an entry linked to
// the firm.
func listedRows(t testing.TB, db string) []cslRow {
	t.Helper()
	r := runCLI(t, db, "", "firms", "--json")
	if r.code != 0 {
		t.Fatalf("firms --json: %s", r.stderr)
	}
	var firms []firmJSON
	if err := json.Unmarshal([]byte(r.stdout), &firms); err != nil {
		t.Fatal(err)
	}
	var rows []cslRow
	for _, f := range firms {
		for _, d := range f.Designations {
			if !slices.Contains([]string{"entity-list", "meu", "sdn", "ns-cmic"}, d.List) || d.Removed != "" || d.Status != string(store.StatusConfirmed) {
				continue
			}
			row := cslRow{ID: fmt.Sprintf("%s-%s-%d", f.ID, d.List, len(rows)), List: d.List, Type: "Entity", Name: f.Name, Firm: f.ID}
			if d.Affiliate {
				row.Name, row.Remarks = "Northern Star Trading Co., Ltd.", "Linked To: "+f.Name
			}
			rows = append(rows, row)
		}
	}
	if len(rows) < 10 {
		t.Fatalf("only %d listings in the seeded store", len(rows))
	}
	return rows
}

// without returns rows less the one of firm on list, failing if there is none.
func without(t testing.TB, rows []cslRow, firm, list string) []cslRow {
	t.Helper()
	i := slices.IndexFunc(rows, func(r cslRow) bool { return r.Firm == firm && r.List == list })
	if i < 0 {
		t.Fatalf("%s is not listed on %s in the seeded store", firm, list)
	}
	return slices.Delete(slices.Clone(rows), i, i+1)
}

// birenMEU is the new listing the done-when file adds.
var birenMEU = cslRow{
	ID: "biren-meu-1", List: "meu", Type: "Entity", Name: "Biren Technology Co., Ltd.",
	FRNotice: "91 FR 70001", StartDate: "2026-09-30",
	ListURL: "https://www.example.org/csl/meu-list", InfoURL: "https://www.example.org/fr/2026-20001",
	Firm: "biren",
}

// designationState is everything about designations in the store: the rows,
// the history and the last import's counts.
func designationState(t testing.TB, path string) string {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.Designations(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.DesignationEvents(t.Context(), "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	counts, date, err := db.LastCSLCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%+v\n", d)
	}
	for _, e := range evs {
		fmt.Fprintf(&b, "%+v\n", e)
	}
	fmt.Fprintf(&b, "last import %s %v\n", date, counts)
	return b.String()
}

// reseedReference applies the reference dataset again, as a new release of
// aiwatch with a new dataset version would.
func reseedReference(t testing.TB, path string) {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return testNow }
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds.Version += "-next"
	if wrote, err := db.Seed(t.Context(), ds); err != nil || !wrote {
		t.Fatalf("reseed: wrote %v, %v", wrote, err)
	}
}

// storedDesignations returns the store's designations of firm on list.
func storedDesignations(t testing.TB, path, firm, list string) []store.Designation {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.Designations(t.Context(), firm)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(ds, func(d store.Designation) bool { return d.List != list })
}

// changeLines reads the changes an import printed, as "added biren meu".
func changeLines(stdout string) []string {
	var out []string
	section := ""
	for line := range strings.SplitSeq(stdout, "\n") {
		switch {
		case strings.HasPrefix(line, "Added ("):
			section = "added"
		case strings.HasPrefix(line, "Removed ("):
			section = "removed"
		case strings.HasPrefix(line, "Changed ("):
			section = "changed"
		case !strings.HasPrefix(line, "  "):
			section = ""
		case section != "":
			f := strings.Fields(line)
			out = append(out, section+" "+f[0]+" "+f[1])
		}
	}
	return out
}

// changeLine returns the printed line of one change.
func changeLine(stdout, firm, list string) string {
	for line := range strings.SplitSeq(stdout, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == firm && f[1] == list {
			return line
		}
	}
	return ""
}

// designationBlocks reads "aiwatch firm" output's US designations: one
// block per designation, keyed by its first line, holding its sources.
type designationBlock struct {
	head    string
	sources []string
}

func designationBlocks(out string) []designationBlock {
	var blocks []designationBlock
	in := false
	for line := range strings.SplitSeq(out, "\n") {
		switch {
		case line == "US designations":
			in = true
		case !in:
		case line == "" || !strings.HasPrefix(line, "  "):
			in = false
		case strings.HasPrefix(line, "      source: "):
			b := &blocks[len(blocks)-1]
			b.sources = append(b.sources, strings.TrimPrefix(line, "      source: "))
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && !strings.HasPrefix(line, "  none found"):
			blocks = append(blocks, designationBlock{head: strings.TrimSpace(line)})
		}
	}
	return blocks
}

func findBlock(blocks []designationBlock, prefix string) (designationBlock, bool) {
	for _, b := range blocks {
		if strings.HasPrefix(b.head, prefix) {
			return b, true
		}
	}
	return designationBlock{}, false
}

func runOK(t testing.TB, db string, args ...string) result {
	t.Helper()
	r := runCLI(t, db, "", args...)
	if r.code != 0 {
		t.Fatalf("aiwatch %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// TestSanctionsImportDoneWhen is issue 6's done-when: a CSL file that
// adds an MEU listing for Biren and drops Megvii's Entity List listing
// shows exactly those two changes under --dry-run and writes nothing,
// applies them without it, and then aiwatch firm biren shows both of
// Biren's listings with sources, the removal is kept and logged, a second
// import changes nothing, and the dashboard's "what changed" view lists
// both changes.
func TestSanctionsImportDoneWhen(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	rows := append(without(t, listedRows(t, db), "megvii", "entity-list"), birenMEU)
	file, sum := writeCSV(t, dir, "consolidated.csv", rows)
	const fileDate = "2026-11-20"
	prov := "csl:" + fileDate + ":" + sum
	want := []string{"added biren meu", "removed megvii entity-list"}

	before := designationState(t, db)
	dry := runOK(t, db, "sanctions", "import", file, "--dry-run", "--date", fileDate)
	if got := changeLines(dry.stdout); !slices.Equal(got, want) {
		t.Fatalf("dry run changes = %q, want %q\n%s", got, want, dry.stdout)
	}
	added := changeLine(dry.stdout, "biren", "meu")
	for _, part := range []string{"added 2026-09-30", "91 FR 70001", "as of " + fileDate, "Biren Technology Co., Ltd."} {
		if !strings.Contains(added, part) {
			t.Errorf("the addition %q does not say %q", added, part)
		}
	}
	if removed := changeLine(dry.stdout, "megvii", "entity-list"); !strings.Contains(removed, "no longer listed as of "+fileDate) {
		t.Errorf("the removal reads %q", removed)
	}
	if !strings.Contains(dry.stdout, "Dry run: nothing was written.") || strings.Contains(dry.stdout, "Applied") {
		t.Errorf("dry run output:\n%s", dry.stdout)
	}
	if after := designationState(t, db); after != before {
		t.Fatalf("the dry run wrote to the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	r := runOK(t, db, "sanctions", "import", file, "--date", fileDate)
	if got := changeLines(r.stdout); !slices.Equal(got, want) {
		t.Fatalf("import changes = %q, want %q\n%s", got, want, r.stdout)
	}
	if !strings.Contains(r.stdout, "Applied 2 changes (provenance "+prov+")") {
		t.Errorf("import output:\n%s", r.stdout)
	}

	t.Run("firm shows both listings with sources", func(t *testing.T) {
		out := runOK(t, db, "firm", "biren").stdout
		blocks := designationBlocks(out)
		el, ok := findBlock(blocks, "BIS Entity List: listed, added 2023-10-17")
		if !ok || len(el.sources) == 0 {
			t.Errorf("no Entity List listing with sources in:\n%s", out)
		}
		meu, ok := findBlock(blocks, "BIS Military End-User List: listed, added 2026-09-30, 91 FR 70001")
		if !ok || !slices.Equal(meu.sources, []string{birenMEU.InfoURL}) || !strings.Contains(meu.head, "[confirmed, "+prov+"]") {
			t.Errorf("MEU listing = %+v in:\n%s", meu, out)
		}
		if len(blocks) != 2 {
			t.Errorf("%d designations, want 2:\n%s", len(blocks), out)
		}
		if !strings.Contains(out, "badges    EL MEU") {
			t.Errorf("badges are not EL MEU:\n%s", out)
		}
	})

	t.Run("removal is kept and logged", func(t *testing.T) {
		ds := storedDesignations(t, db, "megvii", "entity-list")
		if len(ds) != 1 || ds[0].Removed != fileDate || ds[0].Added != "2019-10-09" || ds[0].Provenance != prov {
			t.Fatalf("megvii's Entity List rows = %+v", ds)
		}
		out := runOK(t, db, "firm", "megvii").stdout
		if !strings.Contains(out, "BIS Entity List: removed "+fileDate+", added 2019-10-09") {
			t.Errorf("firm megvii does not show the removal:\n%s", out)
		}
		if line := firmsRow(t, db, "megvii"); slices.Contains(line, "EL") || !slices.Contains(line, "CMIC") {
			t.Errorf("megvii's badges: %q", line)
		}
		hist := runOK(t, db, "sanctions", "history", "megvii").stdout
		if !strings.Contains(hist, "no longer listed as of "+fileDate) || !strings.Contains(hist, prov) {
			t.Errorf("history lacks the removal:\n%s", hist)
		}
		// A new version of the reference dataset, which still lists
		// Megvii, does not bring the removed listing back.
		reseedReference(t, db)
		if ds := storedDesignations(t, db, "megvii", "entity-list"); len(ds) != 1 || ds[0].Removed != fileDate {
			t.Errorf("after a reseed megvii's Entity List rows = %+v", ds)
		}
	})

	t.Run("re-import changes nothing", func(t *testing.T) {
		before := designationState(t, db)
		r := runOK(t, db, "sanctions", "import", file, "--date", fileDate)
		if got := changeLines(r.stdout); len(got) != 0 || !strings.Contains(r.stdout, "No changes for tracked firms.") {
			t.Errorf("second import changes %q:\n%s", got, r.stdout)
		}
		// Only the import record is new.
		if after := designationState(t, db); strings.SplitAfter(after, "last import")[0] != strings.SplitAfter(before, "last import")[0] {
			t.Errorf("second import changed designations or history:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})

	t.Run("history JSON", func(t *testing.T) {
		var events []map[string]any
		if err := json.Unmarshal([]byte(runOK(t, db, "sanctions", "history", "--json").stdout), &events); err != nil {
			t.Fatal(err)
		}
		keys := []string{"action", "at", "detail", "firm", "list", "provenance"}
		var fromImport []string
		for _, e := range events {
			got := make([]string, 0, len(e))
			for k, v := range e {
				got = append(got, k)
				if _, ok := v.(string); !ok {
					t.Errorf("%s is %T, want a string", k, v)
				}
			}
			if slices.Sort(got); !slices.Equal(got, keys) {
				t.Fatalf("event keys %v, want %v", got, keys)
			}
			if _, err := time.Parse(time.RFC3339, e["at"].(string)); err != nil {
				t.Errorf("at: %v", err)
			}
			if e["provenance"] == prov {
				fromImport = append(fromImport, fmt.Sprint(e["action"], " ", e["firm"], " ", e["list"]))
			}
		}
		if !slices.Equal(fromImport, want) {
			t.Errorf("events of the import = %q, want %q", fromImport, want)
		}
		var one []eventJSON
		if err := json.Unmarshal([]byte(runOK(t, db, "sanctions", "history", "biren", "--json").stdout), &one); err != nil {
			t.Fatal(err)
		}
		if len(one) != 2 || one[0].Firm != "biren" || one[1].Firm != "biren" || one[1].List != "meu" || one[1].Action != "added" {
			t.Errorf("biren's history = %+v", one)
		}
	})

	t.Run("what changed view", func(t *testing.T) {
		view := whatChangedView(t, db)
		var rows []string
		for line := range strings.SplitSeq(view, "\n") {
			if strings.Contains(line, fileDate) || strings.Contains(line, "2026-09-30") {
				rows = append(rows, strings.Join(strings.Fields(line), " "))
			}
		}
		if len(rows) != 2 {
			t.Fatalf("%d change rows, want 2:\n%s", len(rows), view)
		}
		// Newest first: the removal was logged after the addition.
		for i, want := range []string{"Megvii removed EL no longer listed as of " + fileDate, "Biren added MEU listed on meu, added 2026-09-30"} {
			if !strings.Contains(rows[i], want) {
				t.Errorf("row %d = %q, want it to contain %q", i, rows[i], want)
			}
		}
		if !strings.Contains(view, "What changed since") || !strings.Contains(view, "· 2") {
			t.Errorf("title:\n%s", view)
		}
	})
}

// whatChangedView runs the dashboard as a program on the store at path,
// with the real adapter, presses c and returns the screen once the
// changes are shown.
func whatChangedView(t *testing.T, path string) string {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return testNow }
	a := &app{env: env{now: func() time.Time { return testNow }, getenv: func(string) string { return "" }}, ctx: t.Context(), db: db}
	cfg, err := dashboardConfig(a, db)
	if err != nil {
		t.Fatal(err)
	}
	cfg.OpenURL = func(string) error { return nil }
	sm := recordingModel{m: ui.New(cfg), screen: &lastScreen{}}
	p := tea.NewProgram(sm, tea.WithInput(&bytes.Buffer{}), tea.WithOutput(io.Discard), tea.WithoutSignals(),
		tea.WithWindowSize(120, 40), tea.WithContext(t.Context()))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	defer func() {
		p.Quit()
		if err := <-done; err != nil {
			t.Errorf("dashboard: %v", err)
		}
	}()
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	sm.screen.wait(t, "4 Reader")
	p.Send(tea.KeyPressMsg{Code: 'c', Text: "c"})
	return sm.screen.wait(t, "What changed since", "no longer listed")
}

// lastScreen holds the latest screen a program drew, without styles.
type lastScreen struct {
	mu   sync.Mutex
	text string
}

func (s *lastScreen) set(text string) {
	s.mu.Lock()
	s.text = text
	s.mu.Unlock()
}

// wait returns the screen once it shows every one of wants.
func (s *lastScreen) wait(t *testing.T, wants ...string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		text := s.text
		s.mu.Unlock()
		if !slices.ContainsFunc(wants, func(w string) bool { return !strings.Contains(text, w) }) {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", wants, text)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// recordingModel wraps the dashboard to keep what it draws after each update.
type recordingModel struct {
	m      ui.Model
	screen *lastScreen
}

func (s recordingModel) Init() tea.Cmd { return s.m.Init() }

func (s recordingModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := s.m.Update(msg)
	s.m = next.(ui.Model)
	s.screen.set(ansi.Strip(s.m.View().Content))
	return s, cmd
}

func (s recordingModel) View() tea.View { return s.m.View() }

// TestSanctionsImportJSON reads the same listing from consolidated.json,
// and a listing on a list aiwatch does not track by default (the Denied
// Persons List), which is kept under its own list ID.
func TestSanctionsImportJSON(t *testing.T) {
	db := newStore(t)
	rows := append(without(t, listedRows(t, db), "megvii", "entity-list"), birenMEU,
		cslRow{ID: "dpl-1", List: "dpl", Type: "Entity", Name: "Cambricon Technologies Corporation Limited",
			StartDate: "2026-10-05", InfoURL: "https://www.example.org/dpl/1"})
	file, sum := writeCSLJSON(t, t.TempDir(), "consolidated.json", rows)
	r := runOK(t, db, "sanctions", "import", file, "--date", "2026-11-20")
	if got, want := changeLines(r.stdout), []string{"added biren meu", "added cambricon dpl", "removed megvii entity-list"}; !slices.Equal(got, want) {
		t.Fatalf("changes = %q, want %q\n%s", got, want, r.stdout)
	}
	ds := storedDesignations(t, db, "biren", "meu")
	if len(ds) != 1 || ds[0].Added != "2026-09-30" || ds[0].Citation != "91 FR 70001" || ds[0].Source != birenMEU.InfoURL ||
		ds[0].Provenance != "csl:2026-11-20:"+sum || ds[0].Affiliate || !ds[0].Active() {
		t.Errorf("biren's MEU rows = %+v", ds)
	}
	if line := firmsRow(t, db, "cambricon"); !slices.Equal(line[len(line)-2:], []string{"EL", "DPL"}) {
		t.Errorf("cambricon's line: %q", line)
	}
}

// TestSanctionsImportChanged covers a changed date and citation.
func TestSanctionsImportChanged(t *testing.T) {
	db := newStore(t)
	rows := listedRows(t, db)
	i := slices.IndexFunc(rows, func(r cslRow) bool { return r.Firm == "huawei" && r.List == "entity-list" })
	rows[i].StartDate, rows[i].FRNotice = "2019-05-16", "84 FR 22961; 85 FR 51603"
	j := slices.IndexFunc(rows, func(r cslRow) bool { return r.Firm == "sophgo" && r.List == "entity-list" })
	rows[j].StartDate = "2025-01-15"
	file, _ := writeCSV(t, t.TempDir(), "consolidated.csv", rows)
	r := runOK(t, db, "sanctions", "import", file, "--date", "2026-11-20")
	if got, want := changeLines(r.stdout), []string{"changed huawei entity-list", "changed sophgo entity-list"}; !slices.Equal(got, want) {
		t.Fatalf("changes = %q, want %q\n%s", got, want, r.stdout)
	}
	if l := changeLine(r.stdout, "huawei", "entity-list"); !strings.Contains(l, "citation 84 FR 22961 → 84 FR 22961; 85 FR 51603") {
		t.Errorf("huawei's change reads %q", l)
	}
	if l := changeLine(r.stdout, "sophgo", "entity-list"); !strings.Contains(l, "added 2025-01-16 → 2025-01-15") {
		t.Errorf("sophgo's change reads %q", l)
	}
	if ds := storedDesignations(t, db, "sophgo", "entity-list"); len(ds) != 1 || ds[0].Added != "2025-01-15" || !ds[0].Active() {
		t.Errorf("sophgo's rows = %+v", ds)
	}
	hist := runOK(t, db, "sanctions", "history", "sophgo").stdout
	if !strings.Contains(hist, "changed") || !strings.Contains(hist, "added 2025-01-16 → 2025-01-15") {
		t.Errorf("history:\n%s", hist)
	}
}

// TestSanctionsImportCountDrop refuses a file whose Entity List shrank by
// more than half against the last import, unless --force.
func TestSanctionsImportCountDrop(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	full := listedRows(t, db)
	file, _ := writeCSV(t, dir, "full.csv", full)
	runOK(t, db, "sanctions", "import", file, "--date", "2026-11-01")

	var kept []cslRow
	var dropped []string
	els := 0
	for _, r := range full {
		if r.List == "entity-list" {
			if els++; els > 3 {
				dropped = append(dropped, "removed "+r.Firm+" entity-list")
				continue
			}
		}
		kept = append(kept, r)
	}
	slices.Sort(dropped)
	small, _ := writeCSV(t, dir, "small.csv", kept)
	before := designationState(t, db)
	r := runCLI(t, db, "", "sanctions", "import", small, "--date", "2026-11-20")
	wantMsg := fmt.Sprintf("entity-list had %d entries, now 3", els)
	if r.code != 1 || !strings.Contains(r.stderr, "refusing the import") || !strings.Contains(r.stderr, wantMsg) ||
		!strings.Contains(r.stderr, "--force") || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want a refusal naming %q", r.code, r.stdout, r.stderr, wantMsg)
	}
	if after := designationState(t, db); after != before {
		t.Fatalf("the refused import wrote to the store")
	}

	r = runOK(t, db, "sanctions", "import", small, "--date", "2026-11-20", "--force")
	if !strings.Contains(r.stderr, wantMsg) || !strings.Contains(r.stderr, "importing anyway (--force)") {
		t.Errorf("stderr %q lacks the warning", r.stderr)
	}
	if got := changeLines(r.stdout); !slices.Equal(got, dropped) {
		t.Errorf("changes = %q, want %q", got, dropped)
	}
	// The next import compares with the forced one.
	r = runOK(t, db, "sanctions", "import", small, "--date", "2026-11-21")
	if !strings.Contains(r.stdout, "No changes for tracked firms.") {
		t.Errorf("import after the forced one:\n%s", r.stdout)
	}
}

// TestSanctionsImportBadFile refuses files of the wrong shape with a
// message that names the problem, and leaves the store alone.
func TestSanctionsImportBadFile(t *testing.T) {
	db := newStore(t)
	file, _ := writeCSV(t, t.TempDir(), "full.csv", listedRows(t, db))
	runOK(t, db, "sanctions", "import", file, "--date", "2026-11-01")
	tests := []struct {
		name, file, want string
	}{
		{"wrong header", "wrong-header.csv", `header column 3 is "entity_no", want "entity_number"`},
		{"short header", "short-header.csv", "header has 20 columns, want 29"},
		{"web page", "page.html", "unable to read CSV: header has 1 columns, want 29"},
		{"JSON without results", "no-results.json", `no "results" array at the top level`},
		{"JSON array", "top-array.json", `the top level is an array, want an object with a "results" array`},
		{"empty", "empty.csv", "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := designationState(t, db)
			path := filepath.Join("testdata", "csl", tt.file)
			r := runCLI(t, db, "", "sanctions", "import", path)
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			if !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "nothing was changed") || !strings.Contains(r.stderr, path) {
				t.Errorf("stderr %q, want the file, %q and that nothing was changed", r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
			if after := designationState(t, db); after != before {
				t.Errorf("the store changed")
			}
		})
	}
}

// TestSanctionsNearMatch lists a near match without applying it; once
// the user confirms it, the next import applies it as an affiliate
// listing.
func TestSanctionsNearMatch(t *testing.T) {
	db := newStore(t)
	const entry = "GLOBAL INSPUR TRADING PARTNERS FZE"
	rows := append(listedRows(t, db), cslRow{ID: "near-1", List: "sdn", Type: "Entity", Name: entry,
		StartDate: "2026-10-01", InfoURL: "https://www.example.org/ofac/near-1"})
	file, sum := writeCSV(t, t.TempDir(), "consolidated.csv", rows)

	r := runOK(t, db, "sanctions", "import", file, "--date", "2026-11-01")
	if got := changeLines(r.stdout); len(got) != 0 {
		t.Errorf("a near match was applied: %q", got)
	}
	_, near, _ := strings.Cut(r.stdout, "Near matches, not applied")
	if l := changeLine(near, "inspur", "sdn"); !strings.Contains(l, `"`+entry+`"`) || !strings.Contains(l, "contains") {
		t.Errorf("near matches:\n%s", near)
	}
	if ds := storedDesignations(t, db, "inspur", "sdn"); len(ds) != 0 {
		t.Errorf("inspur has SDN rows %+v", ds)
	}

	r = runOK(t, db, "sanctions", "confirm", "inspur", entry, "--affiliate")
	if !strings.Contains(r.stdout, "The next import applies them.") {
		t.Errorf("confirm: %s", r.stdout)
	}
	r = runOK(t, db, "sanctions", "import", file, "--date", "2026-11-02")
	if got, want := changeLines(r.stdout), []string{"added inspur sdn"}; !slices.Equal(got, want) {
		t.Fatalf("changes = %q, want %q\n%s", got, want, r.stdout)
	}
	if strings.Contains(r.stdout, "Near matches") {
		t.Errorf("the confirmed match is still listed as near:\n%s", r.stdout)
	}
	ds := storedDesignations(t, db, "inspur", "sdn")
	if len(ds) != 1 || !ds[0].Affiliate || ds[0].Added != "2026-10-01" || ds[0].Provenance != "csl:2026-11-02:"+sum {
		t.Errorf("inspur's SDN rows = %+v", ds)
	}
	if out := runOK(t, db, "firm", "inspur").stdout; !strings.Contains(out, "OFAC SDN: listed, affiliate listing, added 2026-10-01") {
		t.Errorf("firm inspur:\n%s", out)
	}
	if line := firmsRow(t, db, "inspur"); !slices.Contains(line, "SDN*") || slices.Contains(line, "SDN") {
		t.Errorf("inspur's badges: %q", line)
	}
}

// firmsRow returns the fields of a firm's line in "aiwatch firms".
func firmsRow(t testing.TB, db, firm string) []string {
	t.Helper()
	for line := range strings.SplitSeq(runOK(t, db, "firms").stdout, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == firm {
			return f
		}
	}
	t.Fatalf("no %s in aiwatch firms", firm)
	return nil
}

// TestSanctionsSetContested records a contested 1260H action by hand: it
// shows as contested, never as a listing, and an import leaves it alone.
func TestSanctionsSetContested(t *testing.T) {
	db := newStore(t)
	r := runOK(t, db, "sanctions", "set", "biren", "1260h", "--added", "2026-02-13",
		"--source", "https://www.example.org/dod/1260h", "--contested", "--note", "posted and withdrawn the same day")
	if !strings.Contains(r.stdout, "Recorded biren on 1260h from 2026-02-13 (contested)") {
		t.Errorf("set: %s", r.stdout)
	}
	check := func(t *testing.T) {
		if line := firmsRow(t, db, "biren"); !slices.Contains(line, "1260H?") || slices.Contains(line, "1260H") {
			t.Errorf("biren's badges: %q", line)
		}
		if strings.Contains(runOK(t, db, "firms", "--list", "1260h").stdout, "biren") {
			t.Error("biren is listed under firms --list 1260h")
		}
		out := runOK(t, db, "firm", "biren").stdout
		b, ok := findBlock(designationBlocks(out), "DoD 1260H: contested (not a listing), action of 2026-02-13  [contested, user]")
		if !ok || !slices.Equal(b.sources, []string{"https://www.example.org/dod/1260h"}) || !strings.Contains(out, "note: posted and withdrawn") {
			t.Errorf("firm biren:\n%s", out)
		}
		if strings.Contains(out, "DoD 1260H: listed") {
			t.Errorf("the contested action reads as a listing:\n%s", out)
		}
	}
	check(t)
	var events []eventJSON
	json.Unmarshal([]byte(runOK(t, db, "sanctions", "history", "biren", "--json").stdout), &events)
	if i := slices.IndexFunc(events, func(e eventJSON) bool { return e.List == "1260h" }); i < 0 ||
		events[i].Action != "contested" || events[i].Provenance != store.SourceUser {
		t.Errorf("biren's history = %+v", events)
	}

	// An import of the CSL never touches 1260H.
	file, _ := writeCSV(t, t.TempDir(), "consolidated.csv", listedRows(t, db))
	if r := runOK(t, db, "sanctions", "import", file, "--date", "2026-11-20"); len(changeLines(r.stdout)) != 0 {
		t.Errorf("import changed something:\n%s", r.stdout)
	}
	check(t)
}

func TestSanctionsSetBadInput(t *testing.T) {
	db := newStore(t)
	runOK(t, db, "firms")
	src := "https://www.example.org/x"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no source", []string{"biren", "1260h", "--added", "2026-02-13"}, 2, "--source needs the http(s) URL"},
		{"source not http", []string{"biren", "1260h", "--added", "2026-02-13", "--source", "file:///etc/passwd"}, 2, "--source needs the http(s) URL"},
		{"no date", []string{"biren", "1260h", "--source", src}, 2, "--added needs a date"},
		{"bad date", []string{"biren", "1260h", "--added", "13/02/2026", "--source", src}, 2, "--added needs a date"},
		{"bad removed", []string{"biren", "1260h", "--added", "2026-02", "--removed", "soon", "--source", src}, 2, "--removed needs a date"},
		{"unknown list", []string{"biren", "xx", "--added", "2026-02-13", "--source", src}, 1, `no list "xx"`},
		{"unknown firm", []string{"birne", "1260h", "--added", "2026-02-13", "--source", src}, 1, `did you mean "biren"`},
		{"one argument", []string{"biren"}, 2, "sanctions set takes FIRM and LIST"},
	}
	before := designationState(t, db)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, db, "", append([]string{"sanctions", "set"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.stderr)
			}
		})
	}
	if after := designationState(t, db); after != before {
		t.Error("a refused set wrote to the store")
	}
}

// BenchmarkSanctionsImport20k imports a full-size CSL of about 20,000
// rows through the command into a freshly seeded store: read, match
// against every tracked firm, plan, print and apply.
func BenchmarkSanctionsImport20k(b *testing.B) {
	seeded := newStore(b)
	rows := append(without(b, listedRows(b, seeded), "megvii", "entity-list"), birenMEU)
	rows = append(rows, syntheticRows(20000-len(rows))...)
	file, _ := writeCSV(b, b.TempDir(), "consolidated.csv", rows)
	fi, err := os.Stat(file)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db := newStore(b)
		runOK(b, db, "firms")
		b.StartTimer()
		r := runOK(b, db, "sanctions", "import", file, "--date", "2026-11-20")
		if got := changeLines(r.stdout); len(got) != 2 {
			b.Fatalf("changes %q", got)
		}
	}
}

// syntheticRows are n parties that name no tracked firm, in the mix of
// the real list: entities, individuals and vessels, Latin and Chinese
// names.
func syntheticRows(n int) []cslRow {
	rng := rand.New(rand.NewPCG(6, 6))
	syl := strings.Fields("al ar bel cor del gar hel kor lev mar nor pet ros sar tor ur vel zan ob quin")
	han := []rune("安宝晨达飞高海金康兰明南平青瑞盛泰伟信阳德恒锦隆鹏祥远")
	word := func(k int) string {
		var sb strings.Builder
		for range k {
			sb.WriteString(syl[rng.IntN(len(syl))])
		}
		s := sb.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	lists := []string{"entity-list", "sdn", "sdn", "sdn", "meu", "ns-cmic"}
	types := []string{"Entity", "Entity", "Individual", "Vessel", ""}
	out := make([]cslRow, 0, n)
	for i := range n {
		name := word(2) + " " + word(3) + " Trading Co., Ltd."
		if i%10 == 3 {
			var zh []rune
			for range 4 + rng.IntN(5) {
				zh = append(zh, han[rng.IntN(len(han))])
			}
			name = string(zh) + "有限公司"
		}
		out = append(out, cslRow{
			ID: fmt.Sprintf("syn-%d", i), List: lists[rng.IntN(len(lists))], Type: types[rng.IntN(len(types))], Name: name,
			FRNotice: fmt.Sprintf("%d FR %d", 80+rng.IntN(10), rng.IntN(90000)), StartDate: fmt.Sprintf("20%02d-%02d-%02d", 10+rng.IntN(15), 1+rng.IntN(12), 1+rng.IntN(28)),
			ListURL: "https://www.example.org/csl/list", InfoURL: "https://www.example.org/csl/info",
			AltNames:  word(3) + " " + word(2) + "; " + word(2) + " Holdings; " + word(4),
			Addresses: fmt.Sprintf("%d %s Road, %s District, %s, CN; P.O. Box %d, %s", rng.IntN(900), word(2), word(2), word(2), rng.IntN(9000), word(3)),
			Remarks:   "For all items subject to the EAR. Presumption of denial. Linked To: " + word(2) + " " + word(2) + " Co., Ltd.",
		})
	}
	return out
}
