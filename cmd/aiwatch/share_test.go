package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// buildUniverseCLI gives the store one of each thing a universe holds,
// through the commands a user runs.
func buildUniverseCLI(t *testing.T, db string) {
	t.Helper()
	for _, args := range [][]string{
		{"firms", "add", "unitree", "--name", "Unitree", "--name-zh", "宇树科技", "--sector", "robots", "--source", "https://www.unitree.com/about"},
		{"firms", "add", "agibot", "--name", "AgiBot", "--alias", "Zhiyuan Robotics"},
		{"alias", "add", "huawei", "HW Tech"},
		{"alliances", "add", "robots", "--name", "Robots Alliance", "--launched", "2026-07", "--convener", "unitree"},
		{"alliance", "join", "robots", "agibot", "huawei", "--since", "2026-08", "--source", "https://example.org/join"},
		{"alliance", "leave", "model-chip", "huawei", "--date", "2026-09"},
		{"firms", "hide", "iflytek"},
		{"watch", "add", "firm:unitree"},
		{"watch", "add", "alliance:robots is:unread"},
		{"views", "add", "Robots", "alliance:robots"},
	} {
		ftRun(t, db, 0, args...)
	}
}

// shareState is what an import may change, as the CLI shows it.
func shareState(t *testing.T, db string) string {
	t.Helper()
	return universeJSON(t, db) + ftRun(t, db, 0, "watch", "list", "--json").stdout + ftRun(t, db, 0, "views", "list").stdout +
		ftRun(t, db, 0, "alliance", "model-chip", "--json").stdout
}

// TestUniverseRoundTrip: a universe exported from one store and imported
// into a fresh one exports the same file again, and the second store's
// items and dashboard see the imported firm's news.
func TestUniverseRoundTrip(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/robots.xml", "application/rss+xml", ftFixture(t, "../universe/robots.rss"))
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.yaml"), filepath.Join(dir, "second.yaml")

	src := newStore(t)
	buildUniverseCLI(t, src)
	r := ftRun(t, src, 0, "universe", "export", first)
	if !strings.Contains(r.stderr, "Wrote "+first+": 2 firms, 1 alliance, 2 aliases, 2 watch entries, 1 view.") {
		t.Errorf("export said: %q", r.stderr)
	}
	// stdout without a FILE, the same bytes.
	file, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	if out := ftRun(t, src, 0, "universe", "export").stdout; out != string(file) {
		t.Errorf("export to stdout differs from the file:\n%s", out)
	}
	for _, want := range []string{"aiwatch: universe\nversion: 1\n", "name_zh: 宇树科技", "role: convener", "leaves:\n  - alliance: model-chip\n    firm: huawei\n    date: 2026-09", "hidden:\n  - iflytek", "query: alliance:robots is:unread"} {
		if !strings.Contains(string(file), want) {
			t.Errorf("the file lacks %q:\n%s", want, file)
		}
	}

	dst := ftStore(t)
	ftAdd(t, dst, url)
	ftRun(t, dst, 0, "fetch")
	before := shareState(t, dst)
	dry := ftRun(t, dst, 0, "universe", "import", first, "--dry-run")
	if shareState(t, dst) != before {
		t.Fatal("a dry run changed the store")
	}
	for _, want := range []string{
		first + ": 11 to add, 1 to leave, 1 to hide; 0 entries already as they are.",
		"  + firm unitree (Unitree)\n", `  + alias "HW Tech" of firm huawei`, "  + unitree convenes robots\n",
		"  - huawei leaves model-chip\n", "  - hide firm iflytek\n", "  + watch alliance:robots is:unread\n", "  + view Robots\n",
		"Dry run: nothing was changed.",
	} {
		if !strings.Contains(dry.stdout, want) {
			t.Errorf("the dry run lacks %q:\n%s", want, dry.stdout)
		}
	}
	r = ftRun(t, dst, 0, "universe", "import", first)
	if !strings.HasPrefix(r.stdout, strings.TrimSuffix(dry.stdout, "Dry run: nothing was changed. Run again without --dry-run to import.\n")) ||
		!strings.Contains(r.stdout, "Imported: 13 changes.") || !strings.Contains(r.stdout, "Re-tagged the stored items;") {
		t.Errorf("the import said:\n%s", r.stdout)
	}
	ftRun(t, dst, 0, "universe", "export", second)
	if again, _ := os.ReadFile(second); string(again) != string(file) {
		t.Errorf("the round trip changed the file:\n%s\nwant\n%s", again, file)
	}
	if got := firmItems(t, dst, "unitree"); !slices.Equal(got, unitreeTitles) {
		t.Errorf("items --firm unitree = %q, want %q", got, unitreeTitles)
	}

	// The dashboard's source sees the alliance, its members and their news.
	a := &app{env: env{getenv: func(string) string { return "" }, now: func() time.Time { return testNow }}, ctx: t.Context(), dbFlag: dst}
	db, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := dashboardConfig(a, db)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := cfg.Source.Firms(t.Context(), "robots")
	if err != nil {
		t.Fatal(err)
	}
	var members []string
	for _, f := range fs {
		members = append(members, f.ID)
	}
	slices.Sort(members)
	if !slices.Equal(members, []string{"agibot", "huawei", "unitree"}) {
		t.Errorf("the firms pane under robots: %q", members)
	}
	its, err := cfg.Source.Items(t.Context(), store.Filter{Firms: []string{"unitree"}, Limit: 10})
	if err != nil || len(its) != 2 {
		t.Errorf("the items pane under unitree: %d items, %v", len(its), err)
	}
	ally, err := cfg.Source.Items(t.Context(), store.Filter{Alliances: []string{"robots"}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range ally {
		if slices.Contains(unitreeTitles, it.Title) {
			titles = append(titles, it.Title)
		}
	}
	if slices.Sort(titles); !slices.Equal(titles, unitreeTitles) {
		t.Errorf("the items pane under robots holds %q of unitree's news", titles)
	}

	// The second time changes nothing, and says so.
	state := shareState(t, dst)
	r = ftRun(t, dst, 0, "universe", "import", first)
	if r.stdout != "Nothing to import: the store holds all 13 entries of "+first+" as they are.\n" {
		t.Errorf("the second import said:\n%s", r.stdout)
	}
	if shareState(t, dst) != state {
		t.Error("the second import changed the store")
	}
}

// TestUniverseImportChanges: an entry the user's store holds with other
// fields is shown as a change and applied; a reference firm is refused.
func TestUniverseImportChanges(t *testing.T) {
	dir := t.TempDir()
	db := newStore(t)
	ftRun(t, db, 0, "firms", "add", "unitree", "--name", "Unitree", "--sector", "robots")
	ftRun(t, db, 0, "views", "add", "Robots", "firm:unitree")
	file := filepath.Join(dir, "u.yaml")
	os.WriteFile(file, []byte(`aiwatch: universe
version: 1
firms:
  - id: unitree
    name: Unitree Robotics
    sector: humanoids
views:
  - name: Robots
    query: firm:unitree is:unread
`), 0o644)
	r := ftRun(t, db, 0, "universe", "import", file)
	for _, want := range []string{
		`  ~ firm unitree (Unitree Robotics): name: "Unitree" → "Unitree Robotics"; sector: "robots" → "humanoids"`,
		`  ~ view Robots: query: "firm:unitree" → "firm:unitree is:unread"`,
		"Imported: 2 changes.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the import lacks %q:\n%s", want, r.stdout)
		}
	}
	// The new name is a spelling now, the old one is not.
	if got := runCLI(t, db, "Unitree Robotics unveils a humanoid", "tag").stdout; !strings.Contains(got, "unitree") {
		t.Errorf("tag after the rename: %q", got)
	}
}

// TestUniverseEmpty: a store with nothing of the user's exports a file
// with only the header, and importing it says there is nothing to do.
func TestUniverseEmpty(t *testing.T) {
	db := newStore(t)
	out := ftRun(t, db, 0, "universe", "export").stdout
	if !strings.HasSuffix(out, "\naiwatch: universe\nversion: 1\n") {
		t.Errorf("an empty universe:\n%s", out)
	}
	path := filepath.Join(t.TempDir(), "u.yaml")
	os.WriteFile(path, []byte(out), 0o644)
	if r := ftRun(t, db, 0, "universe", "import", path); r.stdout != path+" holds no entries: nothing to import.\n" {
		t.Errorf("importing an empty universe said %q", r.stdout)
	}
}

// TestUniverseImportStdin: - reads the file from stdin.
func TestUniverseImportStdin(t *testing.T) {
	src := newStore(t)
	buildUniverseCLI(t, src)
	file := ftRun(t, src, 0, "universe", "export").stdout
	dst := newStore(t)
	if r := runCLI(t, dst, file, "universe", "import", "-", "--dry-run"); r.code != 0 || !strings.Contains(r.stdout, "-: 11 to add, 1 to leave, 1 to hide") {
		t.Errorf("import - --dry-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, dst, file, "universe", "import", "-"); r.code != 0 {
		t.Fatalf("import -: exit %d: %s", r.code, r.stderr)
	}
	if got := ftRun(t, dst, 0, "universe", "export").stdout; got != file {
		t.Errorf("after import -, the export is\n%s\nwant\n%s", got, file)
	}
}

// TestUniverseImportBadInput: each bad file gets one clear message that
// names the place, exit 1, and the store is as it was.
func TestUniverseImportBadInput(t *testing.T) {
	db := newStore(t)
	buildUniverseCLI(t, db)
	before := shareState(t, db)
	dir := t.TempDir()
	const head = "aiwatch: universe\nversion: 1\n"
	for _, tc := range []struct {
		name, body, want string
	}{
		{"not YAML", "firms: [\n", "u.yaml: not YAML: line"},
		{"not a mapping", "- a\n- b\n", "not an aiwatch universe file"},
		{"no marker", "version: 1\nfirms: []\n", "want aiwatch: universe at the top"},
		{"no version", "aiwatch: universe\n", "no version: want version: 1"},
		{"newer version", "aiwatch: universe\nversion: 2\n", "version 2: this aiwatch reads version 1"},
		{"unknown field", head + "firms:\n  - id: deep\n    nmae: Deep\n", "line 5: field nmae is unknown in a firm"},
		{"wrong type", head + "firms: {id: deep}\n", "line 3: cannot unmarshal a mapping into a list of firms"},
		{"reference firm", head + "firms:\n  - id: deep\n    name: Deep\n  - id: huawei\n    name: Huawei\n", `u.yaml, line 6: firms[1]: firm "huawei" is in the reference dataset`},
		{"reference alliance", head + "alliances:\n  - id: model-chip\n    name: X\n", `line 4: alliances[0]: alliance "model-chip" is in the reference dataset`},
		{"bad ID", head + "firms:\n  - id: Deep Robot\n    name: Deep\n", "line 4: firms[0]: ID"},
		{"bad source", head + "firms:\n  - id: deep\n    name: Deep\n    sources: [my notes]\n", "line 4: firms[0]: source \"my notes\": want an http(s) URL"},
		{"unknown membership firm", head + "firms:\n  - id: deep\n    name: Deep\nmemberships:\n  - {alliance: robots, firm: deep}\n  - {alliance: robots, firm: nosuch}\n", `line 8: memberships[1]: unknown firm "nosuch"`},
		{"unknown watched firm", head + "watches:\n  - firm: unitree\n  - firm: nosuch\n", `line 5: watches[1]: unknown firm "nosuch"`},
		{"two kinds of watch", head + "watches:\n  - firm: unitree\n    query: x\n", "line 4: watches[0]: give one of firm:, alliance: or query:"},
		{"watch query that does not parse", head + "watches:\n  - query: '\"unterminated'\n", "line 4: watches[0]: the query does not parse; nothing was imported:\n  \"unterminated\n  ^^^^^^^^^^^^^ unterminated quote"},
		{"view query that does not parse", head + "views:\n  - name: Bad\n    query: 'since:notadate'\n", "line 4: views[0]: the query does not parse"},
		{"spelling of another firm", head + "aliases:\n  - firm: unitree\n    text: 华为\n", `line 4: aliases[0]: alias "华为" already names firm "huawei"`},
		{"alias of both", head + "aliases:\n  - firm: unitree\n    alliance: robots\n    text: X\n", "line 4: aliases[0]: give either firm: or alliance:"},
		{"bad lang", head + "aliases:\n  - firm: unitree\n    text: Yushu\n    lang: \"\\e[31m\"\n", "line 4: aliases[0]: lang \"\": want a language code"},
		{"membership source not a URL", head + "memberships:\n  - {alliance: robots, firm: iflytek, source: my notes}\n", "line 4: memberships[0]: source \"my notes\": want an http(s) URL"},
		{"hostile view name", head + "views:\n  - name: \"\\e]0;pwned\\a\"\n    query: firm:huawei\n", "line 4: views[0]: a view's name is one line of printable text"},
		{"bad date", head + "leaves:\n  - {alliance: robots, firm: agibot, date: yesterday}\n", "line 4: leaves[0]: date: date \"yesterday\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "u.yaml")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, db, "", "universe", "import", path)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "nothing was imported") {
				t.Errorf("exit %d; stderr %q, want %q", r.code, r.stderr, tc.want)
			}
			if shareState(t, db) != before {
				t.Error("a refused import changed the store")
			}
		})
	}
}

// TestUniverseExportWholeOrNothing: a FILE that cannot be written leaves
// what was there.
func TestUniverseExportWholeOrNothing(t *testing.T) {
	db := newStore(t)
	ftRun(t, db, 0, "firms", "add", "unitree", "--name", "Unitree")
	dir := t.TempDir()
	if r := runCLI(t, db, "", "universe", "export", filepath.Join(dir, "nosuchdir", "u.yaml")); r.code != 1 || !strings.Contains(r.stderr, "unable to write") {
		t.Errorf("export into a missing directory: exit %d, %q", r.code, r.stderr)
	}
	// The rename fails: the path is a directory with a file in it.
	path := filepath.Join(dir, "u.yaml")
	os.Mkdir(path, 0o755)
	os.WriteFile(filepath.Join(path, "old"), []byte("old"), 0o644)
	if r := runCLI(t, db, "", "universe", "export", path); r.code != 1 || !strings.Contains(r.stderr, "unable to write") {
		t.Errorf("export over a directory: exit %d, %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(path, "old")); string(b) != "old" {
		t.Errorf("the old file became %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a temporary file was left: %v", entries)
	}
	// A file is replaced whole.
	file := filepath.Join(dir, "v.yaml")
	os.WriteFile(file, []byte(strings.Repeat("old\n", 1000)), 0o644)
	ftRun(t, db, 0, "universe", "export", file)
	if b, _ := os.ReadFile(file); string(b) != ftRun(t, db, 0, "universe", "export").stdout {
		t.Errorf("the file is not the export:\n%s", b)
	}
}

// TestUniverseREADMEExample: the file README shows imports as it says.
func TestUniverseREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "### Sharing your universe")
	if !ok {
		t.Fatal("README has no Sharing your universe section")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("README's sharing section has no YAML example")
	}
	path := filepath.Join(t.TempDir(), "team.yaml")
	os.WriteFile(path, []byte(example), 0o644)
	db := newStore(t)
	r := ftRun(t, db, 0, "universe", "import", path)
	for _, want := range []string{"+ firm unitree (Unitree)", "+ unitree joins embodied-ai", "- hide firm nvidia", "+ watch list:EL chip", "+ view Robots", "Imported:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("importing README's example lacks %q:\n%s", want, r.stdout)
		}
	}
}

// FuzzReadUniverse: any file is read or refused without a panic, and a
// refusal never carries control characters or bidi overrides to the
// terminal.
func FuzzReadUniverse(f *testing.F) {
	f.Add([]byte("aiwatch: universe\nversion: 1\nfirms:\n  - id: unitree\n    name: Unitree\n"))
	f.Add([]byte("aiwatch: universe\nversion: 1\nfirms: \"\x1b[31mred\"\n"))
	f.Add([]byte("aiwatch: universe\nversion: 1\nwatches:\n  - query: \"\u202e\"\n"))
	f.Add([]byte("aiwatch: universe\nversion: 1\nhidden: {a: \x07}\n"))
	f.Add([]byte("- [\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, err := readUniverse("u.yaml", data)
		if err == nil {
			return
		}
		if i := strings.IndexFunc(err.Error(), func(r rune) bool {
			return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
		}); i >= 0 {
			t.Errorf("the message carries a control character at %d: %q", i, err)
		}
	})
}

// TestUniverseImportRetagsInTheBackground: the real binary returns at
// once, and a process of its own tags the stored items with the
// imported spellings.
func TestUniverseImportRetagsInTheBackground(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/robots.xml", "application/rss+xml", ftFixture(t, "../universe/robots.rss"))
	db := ftStore(t)
	ftAdd(t, db, url)
	ftRun(t, db, 0, "fetch")
	path := filepath.Join(t.TempDir(), "u.yaml")
	os.WriteFile(path, []byte("aiwatch: universe\nversion: 1\nfirms:\n  - id: unitree\n    name: Unitree\n    name_zh: 宇树科技\n"), 0o644)
	r := mustAiwatch(t, db, "universe", "import", path)
	if !strings.Contains(r.stdout, "re-tagged in the background") {
		t.Fatalf("universe import said:\n%s", r.stdout)
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
}
