package main

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// firmItems is items --firm ID --json: the titles, sorted.
func firmItems(t *testing.T, db, firm string) []string {
	t.Helper()
	var items []itemJSON
	if err := json.Unmarshal([]byte(ftRun(t, db, 0, "items", "--firm", firm, "--json", "--limit", "0").stdout), &items); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range items {
		titles = append(titles, it.Title)
	}
	slices.Sort(titles)
	return titles
}

var unitreeTitles = []string{"Unitree shows a new humanoid at its Hangzhou lab", "宇树科技发布新款人形机器人"}

// TestFirmsAddTagsFetchedItems is the first done-when of issue 13, both
// ways round: a firm added after a fetch re-tags the items already
// stored, and one added before it tags the items the fetch brings.
func TestFirmsAddTagsFetchedItems(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/robots.xml", "application/rss+xml", ftFixture(t, "../universe/robots.rss"))
	add := []string{"firms", "add", "unitree", "--name", "Unitree", "--name-zh", "宇树科技", "--source", "https://www.unitree.com/about"}

	t.Run("added after the fetch", func(t *testing.T) {
		db := ftStore(t)
		ftAdd(t, db, url)
		ftRun(t, db, 0, "fetch")
		// Marks are kept by the re-tag.
		var all []itemJSON
		json.Unmarshal([]byte(ftRun(t, db, 0, "items", "--json", "--query", "宇树科技").stdout), &all)
		if len(all) != 1 {
			t.Fatalf("the Chinese item: %d found", len(all))
		}
		ftRun(t, db, 0, "star", strconv.FormatInt(all[0].ID, 10))
		ftRun(t, db, 0, "read", strconv.FormatInt(all[0].ID, 10))
		if r := runCLI(t, db, "", "items", "--firm", "unitree"); r.code == 0 {
			t.Fatal("items --firm unitree worked before the firm was added")
		}
		r := ftRun(t, db, 0, add...)
		if !strings.Contains(r.stdout, "Added firm unitree (Unitree)") || !strings.Contains(r.stdout, "Re-tagged the stored items; 2 had their tags changed") {
			t.Errorf("firms add said:\n%s", r.stdout)
		}
		if got := firmItems(t, db, "unitree"); !slices.Equal(got, unitreeTitles) {
			t.Errorf("items --firm unitree = %q, want %q", got, unitreeTitles)
		}
		var after []itemJSON
		json.Unmarshal([]byte(ftRun(t, db, 0, "items", "--json", "--firm", "unitree", "--starred").stdout), &after)
		if len(after) != 1 || !after[0].Read || after[0].ID != all[0].ID {
			t.Errorf("the re-tag lost the marks: %+v", after)
		}
	})
	t.Run("added before the fetch", func(t *testing.T) {
		db := ftStore(t)
		ftRun(t, db, 0, add...)
		ftAdd(t, db, url)
		ftRun(t, db, 0, "fetch")
		if got := firmItems(t, db, "unitree"); !slices.Equal(got, unitreeTitles) {
			t.Errorf("items --firm unitree = %q, want %q", got, unitreeTitles)
		}
	})
	t.Run("an alias added later", func(t *testing.T) {
		db := ftStore(t)
		ftAdd(t, db, url)
		ftRun(t, db, 0, "fetch")
		ftRun(t, db, 0, "firms", "add", "agibot", "--name", "Zhiyuan Robotics", "--alias", "智元机器人:zh")
		if got := firmItems(t, db, "agibot"); len(got) != 0 {
			t.Fatalf("agibot names %q before its English alias", got)
		}
		ftRun(t, db, 0, "firms", "edit", "agibot", "--alias", "AgiBot")
		if got := firmItems(t, db, "agibot"); !slices.Equal(got, []string{"AgiBot opens a training centre"}) {
			t.Errorf("after firms edit --alias: %q", got)
		}
	})
}

// TestFirmsAddInTheBackground runs the real binary: firms add returns at
// once, and a process of its own re-tags the stored items.
func TestFirmsAddInTheBackground(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/robots.xml", "application/rss+xml", ftFixture(t, "../universe/robots.rss"))
	db := ftStore(t)
	ftAdd(t, db, url)
	ftRun(t, db, 0, "fetch")
	r := mustAiwatch(t, db, "firms", "add", "unitree", "--name", "Unitree", "--name-zh", "宇树科技")
	if !strings.Contains(r.stdout, "re-tagged in the background") {
		t.Fatalf("firms add said:\n%s", r.stdout)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := firmItems(t, db, "unitree")
		if slices.Equal(got, unitreeTitles) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s, items --firm unitree = %q", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The work is recorded as done: another run finds nothing to do.
	if r := mustAiwatch(t, db, "retag", "--if-stale"); !strings.Contains(r.stdout, "The tags are current") {
		t.Errorf("retag --if-stale after the background run: %s", r.stdout)
	}
}

// universeJSON is what the universe commands may change, as the CLI
// shows it.
func universeJSON(t *testing.T, db string) string {
	t.Helper()
	return ftRun(t, db, 0, "firms", "--json").stdout + ftRun(t, db, 0, "firms", "--hidden", "--json").stdout +
		ftRun(t, db, 0, "alliances", "--json").stdout
}

func TestUniverseBadInput(t *testing.T) {
	db := newStore(t)
	ftRun(t, db, 0, "firms", "add", "unitree", "--name", "Unitree")
	ftRun(t, db, 0, "alliances", "add", "robots", "--name", "Robots Alliance")
	ftRun(t, db, 0, "alliance", "join", "robots", "unitree")
	before := universeJSON(t, db)
	for _, tc := range []struct {
		name string
		code int
		args []string
		want string
	}{
		{"firm ID taken by the reference", 1, []string{"firms", "add", "huawei", "--name", "Huawei"}, `firm "huawei" (reference) already exists`},
		{"firm ID taken by the user", 1, []string{"firms", "add", "unitree", "--name", "Unitree"}, `firm "unitree" (user) already exists`},
		{"bad firm ID", 1, []string{"firms", "add", "Unitree", "--name", "Unitree"}, "not a lower-case slug"},
		{"empty name", 1, []string{"firms", "add", "agibot", "--name", ""}, "needs a name"},
		{"no name", 2, []string{"firms", "add", "agibot"}, "needs --name"},
		{"spelling of another firm", 1, []string{"firms", "add", "hw", "--name", "HW", "--alias", "华为"}, `already names firm "huawei"`},
		{"source not a URL", 2, []string{"firms", "add", "agibot", "--name", "AgiBot", "--source", "my notes"}, "want an http(s) URL"},
		{"edit an unknown firm", 1, []string{"firms", "edit", "nosuch", "--sector", "x"}, "not found"},
		{"edit a reference firm", 1, []string{"firms", "edit", "huawei", "--sector", "x"}, "reference dataset"},
		{"rm a reference firm", 1, []string{"firms", "rm", "huawei"}, "firms hide"},
		{"rm an unknown firm", 1, []string{"firms", "rm", "unitre"}, `did you mean "unitree"`},
		{"hide an unknown firm", 1, []string{"firms", "hide", "nosuch"}, `no firm "nosuch"`},
		{"alliance ID taken", 1, []string{"alliances", "add", "model-chip", "--name", "X"}, `alliance "model-chip" (reference) already exists`},
		{"alliance ID reserved", 1, []string{"alliances", "add", "join", "--name", "X"}, "taken by aiwatch alliance join"},
		{"bad launch date", 1, []string{"alliances", "add", "bots", "--name", "Bots", "--launched", "July 2026"}, "want YYYY-MM-DD"},
		{"unknown convener", 1, []string{"alliances", "add", "bots", "--name", "Bots", "--convener", "nosuch"}, `no firm "nosuch"`},
		{"rm a reference alliance", 1, []string{"alliances", "rm", "model-chip"}, "reference dataset"},
		{"rm an unknown alliance", 1, []string{"alliances", "rm", "nosuch"}, "not found"},
		{"join an unknown alliance", 1, []string{"alliance", "join", "nosuch", "unitree"}, `no alliance "nosuch"`},
		{"join an unknown firm", 1, []string{"alliance", "join", "robots", "huawei", "nosuch"}, `no firm "nosuch"`},
		{"join twice", 1, []string{"alliance", "join", "robots", "huawei", "unitree"}, `firm "unitree" is already a member of alliance "robots"`},
		{"join without a firm", 2, []string{"alliance", "join", "robots"}, "one or more firms"},
		{"bad join date", 1, []string{"alliance", "join", "robots", "huawei", "--since", "yesterday"}, "want YYYY-MM-DD"},
		{"leave as a non-member", 1, []string{"alliance", "leave", "robots", "huawei"}, "not a member"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, db, "", tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want %d; stderr %q, want %q", r.code, tc.code, r.stderr, tc.want)
			}
			if after := universeJSON(t, db); after != before {
				t.Error("a refused command changed the store")
			}
		})
	}
}

func TestAllianceAddJoinLeave(t *testing.T) {
	db := newStore(t)
	ftRun(t, db, 0, "firms", "add", "unitree", "--name", "Unitree", "--name-zh", "宇树科技", "--source", "https://www.unitree.com/about")
	ftRun(t, db, 0, "firms", "add", "agibot", "--name", "AgiBot", "--name-ar", "أجي بوت")
	r := ftRun(t, db, 0, "alliances", "add", "robots", "--name", "Embodied Robots Alliance", "--name-zh", "具身机器人联盟", "--launched", "2026-07")
	if !strings.Contains(r.stdout, "unsourced") {
		t.Errorf("alliances add without --source did not say unsourced: %s", r.stdout)
	}
	ftRun(t, db, 0, "alliance", "join", "robots", "unitree", "--source", "https://example.org/join", "--since", "2026-08-01")
	ftRun(t, db, 0, "alliance", "join", "robots", "agibot")
	ftRun(t, db, 0, "alliance", "leave", "robots", "agibot", "--date", "2026-11-30")
	ftRun(t, db, 0, "alliance", "join", "robots", "agibot")

	var al allianceJSON
	if err := json.Unmarshal([]byte(ftRun(t, db, 0, "alliance", "robots", "--json").stdout), &al); err != nil {
		t.Fatal(err)
	}
	if al.Provenance != "user" || !slices.Equal(al.Members, []string{"agibot", "unitree"}) {
		t.Errorf("alliance = %+v", al)
	}
	var evs []string
	for _, e := range al.Events {
		evs = append(evs, e.Firm+" "+e.Action+" "+e.Date+" "+e.Source)
	}
	want := []string{"unitree joined 2026-08-01 https://example.org/join", "agibot joined  ", "agibot left 2026-11-30 ", "agibot joined  "}
	if !slices.Equal(evs, want) {
		t.Errorf("events = %q, want %q", evs, want)
	}
	card := ftRun(t, db, 0, "alliance", "robots").stdout
	for _, s := range []string{"provenance  user", "Joins and leaves", "joined unitree", "left   agibot", "2026-11-30  [unsourced, user]", "Sources\n  unsourced"} {
		if !strings.Contains(card, s) {
			t.Errorf("the alliance card lacks %q:\n%s", s, card)
		}
	}
	// The firm's card shows its source; the other says unsourced.
	if c := ftRun(t, db, 0, "firm", "unitree").stdout; !strings.Contains(c, "https://www.unitree.com/about") || !strings.Contains(c, "provenance  user") {
		t.Errorf("firm unitree card:\n%s", c)
	}
	if c := ftRun(t, db, 0, "firm", "agibot").stdout; !strings.Contains(c, "Sources\n  unsourced") || !strings.Contains(c, "أجي بوت") {
		t.Errorf("firm agibot card:\n%s", c)
	}
	// Hide a reference firm: gone from lists, back with show.
	ftRun(t, db, 0, "firms", "hide", "huawei")
	if out := ftRun(t, db, 0, "firms").stdout; strings.Contains(out, "huawei") {
		t.Error("firms lists a hidden firm")
	}
	if out := ftRun(t, db, 0, "firms", "--hidden").stdout; !strings.Contains(out, "huawei") {
		t.Error("firms --hidden does not list the hidden firm")
	}
	ftRun(t, db, 0, "items", "--firm", "huawei") // its news stays reachable
	ftRun(t, db, 0, "firms", "show", "huawei")
	if out := ftRun(t, db, 0, "firms").stdout; !strings.Contains(out, "huawei") {
		t.Error("firms show did not bring the firm back")
	}
	// rm: the user's firm goes, with its memberships.
	ftRun(t, db, 0, "firms", "rm", "agibot")
	json.Unmarshal([]byte(ftRun(t, db, 0, "alliance", "robots", "--json").stdout), &al)
	if !slices.Equal(al.Members, []string{"unitree"}) {
		t.Errorf("members after firms rm agibot = %q", al.Members)
	}
	ftRun(t, db, 0, "alliances", "rm", "robots")
	if r := runCLI(t, db, "", "alliance", "robots"); r.code != 1 {
		t.Errorf("alliance robots after rm: exit %d", r.code)
	}
}

// TestHiddenFirmKeepsSanctions checks that a hidden firm's designations
// still follow a CSL import: hiding is for the eyes only.
func TestHiddenFirmKeepsSanctions(t *testing.T) {
	db := newStore(t)
	rows := append(listedRows(t, db), birenMEU) // read before the hide, which leaves biren out of firms --json
	ftRun(t, db, 0, "firms", "hide", "biren")
	file, _ := writeCSV(t, t.TempDir(), "consolidated.csv", rows)
	r := ftRun(t, db, 0, "sanctions", "import", file, "--date", "2026-11-20")
	if got := changeLines(r.stdout); !slices.Equal(got, []string{"added biren meu"}) {
		t.Errorf("import changes with biren hidden = %q, want the MEU listing added\n%s", got, r.stdout)
	}
}

// TestRunningDashboardSeesNewFirm drives what a running dashboard reads
// while another process adds a firm and an alliance with two members:
// the panes' source lists them at once, and the filter bar knows their
// names after the data-version refresh.
func TestRunningDashboardSeesNewFirm(t *testing.T) {
	path := newStore(t)
	a := &app{env: env{getenv: func(string) string { return "" }, now: func() time.Time { return testNow }},
		ctx: t.Context(), dbFlag: path}
	db, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := dashboardConfig(a, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.ParseQuery("firm:unitree"); err == nil {
		t.Fatal("firm:unitree parses before the firm exists")
	}
	before, _ := db.DataVersion(t.Context())

	ftRun(t, path, 0, "firms", "add", "unitree", "--name", "Unitree", "--name-zh", "宇树科技")
	ftRun(t, path, 0, "firms", "add", "agibot", "--name", "AgiBot")
	ftRun(t, path, 0, "alliances", "add", "embodied-ai", "--name", "Embodied AI Alliance")
	ftRun(t, path, 0, "alliance", "join", "embodied-ai", "unitree", "agibot")

	if after, _ := db.DataVersion(t.Context()); after == before {
		t.Fatal("the data version did not move: the dashboard would not reload")
	}
	if err := cfg.DataChanged(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"firm:unitree", "firm:宇树科技", "alliance:embodied-ai"} {
		if _, err := cfg.ParseQuery(q); err != nil {
			t.Errorf("%s after the refresh: %v", q, err)
		}
	}
	als, err := cfg.Source.Alliances(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var members []string
	for _, al := range als {
		if al.ID == "embodied-ai" {
			for _, m := range al.Members {
				members = append(members, m.Firm)
			}
		}
	}
	slices.Sort(members)
	if !slices.Equal(members, []string{"agibot", "unitree"}) {
		t.Errorf("the dashboard's alliances show embodied-ai with %q", members)
	}
	fs, err := cfg.Source.Firms(t.Context(), "embodied-ai")
	if err != nil || len(fs) != 2 {
		t.Errorf("the firms pane under embodied-ai: %d firms, %v", len(fs), err)
	}
}

// TestUserFirmNotCheckedYet: a firm the user adds reads "not checked
// yet", not "none found", until a list file newer than the day it was
// added has been matched against it.
func TestUserFirmNotCheckedYet(t *testing.T) {
	db := newStore(t) // testNow is 2026-11-28: the day the firm is added
	rows := listedRows(t, db)
	dir := t.TempDir()
	ftRun(t, db, 0, "firms", "add", "unitree", "--name", "Unitree")
	card := ftRun(t, db, 0, "firm", "unitree").stdout
	if !strings.Contains(card, "not checked yet") || strings.Contains(card, "none found") {
		t.Errorf("a new firm's card:\n%s", card)
	}
	// The firms list says the same, and "none found" of a reference firm.
	for _, line := range strings.Split(ftRun(t, db, 0, "firms").stdout, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 0 && f[0] == "unitree" && !strings.HasSuffix(line, "not checked yet"):
			t.Errorf("firms lists the new firm as %q", line)
		case len(f) > 0 && f[0] == "deepseek" && !strings.HasSuffix(line, "none found"):
			t.Errorf("firms lists deepseek as %q", line)
		}
	}
	older, _ := writeCSV(t, dir, "older.csv", rows)
	ftRun(t, db, 0, "sanctions", "import", older, "--date", "2026-11-28")
	if card := ftRun(t, db, 0, "firm", "unitree").stdout; strings.Contains(card, "none found as of 2026-11-28") {
		t.Errorf("a file of the day the firm was added counts as its check:\n%s", card)
	}
	newer, _ := writeCSV(t, dir, "newer.csv", rows)
	ftRun(t, db, 0, "sanctions", "import", newer, "--date", "2026-11-29")
	if card := ftRun(t, db, 0, "firm", "unitree").stdout; !strings.Contains(card, "none found as of 2026-11-29: BIS Entity List") {
		t.Errorf("after a newer file:\n%s", card)
	}
	if out := ftRun(t, db, 0, "firms").stdout; !strings.Contains(out, "unitree") || strings.Contains(out, "not checked yet") {
		t.Errorf("after a newer file, firms still says not checked yet:\n%s", out)
	}
}
