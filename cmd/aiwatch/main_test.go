package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testNow is the fixed clock of every in-process run.
var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs aiwatch in-process against the store at db.
func runCLI(t testing.TB, db string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			switch k {
			case "AIWATCH_DB":
				return db
			case "HOME":
				return t.TempDir()
			}
			return ""
		},
		now:        func() time.Time { return testNow },
		isTerminal: func(io.Writer) bool { return false },
	}
	code := run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

func newStore(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "aiwatch.db")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s; run with -update and read the diff.\n--- got ---\n%s", name, path, got)
	}
}

func TestGoldenOutput(t *testing.T) {
	db := newStore(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"firms", []string{"firms"}},
		{"firms-entity-list", []string{"firms", "--list", "EL"}},
		{"firm-sensetime", []string{"firm", "sensetime"}},
		{"firm-alibaba", []string{"firm", "alibaba"}},
		{"alliances", []string{"alliances"}},
		{"alliance-model-chip", []string{"alliance", "model-chip"}},
		{"items-model-chip", []string{"items", "--alliance", "model-chip"}},
		{"items-query-zh", []string{"items", "--query", "华为"}},
		{"help", []string{"help"}},
		{"firm-help", []string{"firm", "--help"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, db, "", tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, tc.name, r.stdout)
		})
	}
}

func TestBadInput(t *testing.T) {
	db := newStore(t)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown firm", []string{"firm", "xyz"}, 1, `aiwatch: no firm "xyz"`},
		{"close firm", []string{"firm", "sensetme"}, 1, `did you mean "sensetime"`},
		{"unknown alliance", []string{"alliance", "model"}, 1, `no alliance "model" (did you mean "model-chip"?)`},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"firms", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"bad since", []string{"items", "--since", "yesterday"}, 1, `--since "yesterday"`},
		{"bad query", []string{"items", "--query", "firm:"}, 1, "--query: query:"},
		{"unknown list", []string{"firms", "--list", "xx"}, 1, `no list "xx"`},
		{"read no id", []string{"read"}, 2, "read takes one or more item IDs"},
		{"read bad id", []string{"read", "abc"}, 2, `"abc" is not an item ID`},
		{"read missing id", []string{"read", "999999"}, 1, "no item 999999"},
		{"firm no args", []string{"firm"}, 2, "firm takes one firm ID"},
		// Issue 11: errors that say what is wrong.
		{"firm empty", []string{"firm", ""}, 2, "a firm ID is needed"},
		{"alliance empty", []string{"alliance", " "}, 2, "an alliance ID is needed"},
		{"negative limit", []string{"items", "--limit", "-5"}, 2, "--limit must be 0 or more"},
		{"negative limit with =", []string{"items", "--limit=-5"}, 2, "--limit must be 0 or more"},
		{"limit not a number", []string{"items", "--limit", "abc"}, 2, `--limit needs a whole number, not "abc"`},
		{"negative item ID", []string{"star", "-1"}, 2, `"-1" is not a valid ID`},
		{"bool flag value", []string{"items", "--json=maybe"}, 2, `--json needs true or false, not "maybe"`},
		{"misspelt command", []string{"fecth"}, 2, `unknown command "fecth" (did you mean "fetch"?)`},
		{"unknown list names the lists", []string{"firms", "--list", "xx"}, 1, "(the lists are entity-list, meu, sdn"},
		{"close list", []string{"firms", "--list", "sdm"}, 1, `no list "sdm" (did you mean "sdn"?)`},
		{"version takes no arguments", []string{"version", "x"}, 2, "version takes no arguments"},
		{"feeds list takes no arguments", []string{"feeds", "list", "x"}, 2, "feeds list takes no arguments"},
		{"opml export takes no arguments", []string{"opml", "export", "feeds.opml"}, 2, "opml export takes no arguments; it writes to stdout"},
		{"alias language", []string{"alias", "add", "--lang", "english", "huawei", "HW"}, 2, `--lang "english": want a language code`},
		{"blank firm flag", []string{"items", "--firm", ""}, 2, "--firm needs a value: only items naming this firm (ID or alias)"},
		{"blank list flag", []string{"firms", "--list", " "}, 2, "--list needs a value"},
		{"backup into a missing folder", []string{"backup", "/nonexistent-aiwatch/dir/x.db"}, 1, "there is no folder /nonexistent-aiwatch/dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, db, "", tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tc.stderr)
			}
		})
	}
}

// TestOPMLImportNotOPML checks that a file that is not OPML is refused
// with a reason a user can act on, and nothing is imported.
func TestOPMLImportNotOPML(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	for name, body := range map[string]string{
		"notes.txt":  "hello\n",
		"empty.opml": "",
		"feed.xml":   `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`,
		"cut.opml":   `<opml version="2.0"><body><outline text="a">`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, db, "", "opml", "import", path)
		if r.code != 1 || !strings.Contains(r.stderr, path+": opml: not an OPML document") ||
			!strings.Contains(r.stderr, "nothing was imported") || strings.Contains(r.stderr, "EOF") {
			t.Errorf("opml import %s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
}

func TestJSONShapes(t *testing.T) {
	db := newStore(t)
	var firms []map[string]any
	r := runCLI(t, db, "", "firms", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &firms); err != nil {
		t.Fatal(err)
	}
	if len(firms) != 35 {
		t.Fatalf("%d firms", len(firms))
	}
	for _, k := range []string{"id", "name", "name_zh", "aliases", "sector", "hq", "alliances", "designations"} {
		if _, ok := firms[0][k]; !ok {
			t.Errorf("firm JSON lacks %q", k)
		}
	}
	var items []map[string]any
	r = runCLI(t, db, "", "items", "--json", "--limit", "3")
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 3 {
		t.Fatalf("items: %v, %d", err, len(items))
	}
	for _, k := range []string{"id", "feed", "title", "url", "published", "lang", "read", "starred", "firms", "alliances", "sanctions"} {
		if _, ok := items[0][k]; !ok {
			t.Errorf("item JSON lacks %q", k)
		}
	}
	var alliances []map[string]any
	r = runCLI(t, db, "", "alliances", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &alliances); err != nil || len(alliances) != 2 {
		t.Fatalf("alliances: %v %d", err, len(alliances))
	}
	for _, k := range []string{"id", "name", "name_zh", "launched", "convener", "members", "sources"} {
		if _, ok := alliances[0][k]; !ok {
			t.Errorf("alliance JSON lacks %q", k)
		}
	}
}

func TestReadMarksPersist(t *testing.T) {
	db := newStore(t)
	var items []struct {
		ID   int64 `json:"id"`
		Read bool  `json:"read"`
	}
	json.Unmarshal([]byte(runCLI(t, db, "", "items", "--json", "--limit", "2").stdout), &items)
	if len(items) != 2 {
		t.Fatal("no items")
	}
	id := func(i int) string { return strconv.FormatInt(items[i].ID, 10) }
	if r := runCLI(t, db, "", "read", id(0)); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := runCLI(t, db, "", "star", id(1)); r.code != 0 {
		t.Fatal(r.stderr)
	}
	unread := runCLI(t, db, "", "items", "--unread", "--json", "--limit", "0").stdout
	if strings.Contains(unread, `"id": `+id(0)+",") {
		t.Error("the item marked read is still listed as unread")
	}
	starred := runCLI(t, db, "", "items", "--starred", "--json").stdout
	if !strings.Contains(starred, `"id": `+id(1)+",") {
		t.Error("the starred item is not listed as starred")
	}
}

func TestTagFoundingStory(t *testing.T) {
	db := newStore(t)
	r := runCLI(t, db, "ويضم هذا التحالف شركات رائدة مثل هواوي، وبيرين، ومور ثريدز", "tag", "--json")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	var got struct {
		Firms   []string `json:"firms"`
		Matches []struct {
			Entity     string
			Start, End int
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Firms, ",") != "biren,huawei,moore-threads" {
		t.Errorf("firms = %v", got.Firms)
	}
	for _, neg := range []string{"The minimax algorithm", "a moonshot plan", "on the horizon", "quark-gluon plasma", "an ant colony"} {
		r := runCLI(t, db, neg, "tag", "--json")
		if !strings.Contains(r.stdout, `"firms": []`) {
			t.Errorf("%q names a firm: %s", neg, r.stdout)
		}
	}
}

func TestStorePath(t *testing.T) {
	home := t.TempDir()
	for _, tc := range []struct {
		name, flag string
		env        map[string]string
		want, err  string
	}{
		{"flag wins", "/x/a.db", map[string]string{"AIWATCH_DB": "/y/b.db"}, "/x/a.db", ""},
		{"env", "", map[string]string{"AIWATCH_DB": "/y/b.db"}, "/y/b.db", ""},
		{"xdg", "", map[string]string{"XDG_DATA_HOME": "/data", "HOME": home}, "/data/aiwatch/aiwatch.db", ""},
		{"home", "", map[string]string{"HOME": home}, filepath.Join(home, ".local/share/aiwatch/aiwatch.db"), ""},
		{"no home", "", map[string]string{}, "", "$HOME is not set"},
		{"missing home", "", map[string]string{"HOME": "/nonexistent/home"}, "", "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := storePath(tc.flag, func(k string) string { return tc.env[k] })
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestAliasAndRetag(t *testing.T) {
	db := newStore(t)
	type item struct {
		ID    int64    `json:"id"`
		Title string   `json:"title"`
		Read  bool     `json:"read"`
		Firms []string `json:"firms"`
	}
	list := func(args ...string) []item {
		t.Helper()
		r := runCLI(t, db, "", append([]string{"items", "--json", "--limit", "0"}, args...)...)
		if r.code != 0 {
			t.Fatal(r.stderr)
		}
		var out []item
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := list("--firm", "zhipu", "--query", "Pentagon"); len(got) != 0 {
		t.Fatalf("zhipu already names %d Pentagon items", len(got))
	}
	pentagon := list("--query", "Pentagon")
	if len(pentagon) == 0 {
		t.Fatal("the snapshot has no item naming the Pentagon")
	}
	if r := runCLI(t, db, "", "read", strconv.FormatInt(pentagon[0].ID, 10)); r.code != 0 {
		t.Fatal(r.stderr)
	}
	// A spelling that already names another firm is refused.
	if r := runCLI(t, db, "", "alias", "add", "sensetime", "Biren"); r.code != 1 || !strings.Contains(r.stderr, `already names firm "biren"`) {
		t.Errorf("conflicting alias: exit %d, %q", r.code, r.stderr)
	}
	if r := runCLI(t, db, "", "alias", "add", "zhipu", "Pentagon"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := runCLI(t, db, "", "retag"); r.code != 0 || !strings.Contains(r.stdout, "had their tags changed") {
		t.Fatalf("retag: %d %q %q", r.code, r.stdout, r.stderr)
	}
	got := list("--firm", "zhipu", "--query", "Pentagon")
	if len(got) != len(pentagon) {
		t.Fatalf("after alias and retag, zhipu names %d Pentagon items, want %d", len(got), len(pentagon))
	}
	for _, it := range got {
		if it.ID == pentagon[0].ID && !it.Read {
			t.Error("retag lost a read mark")
		}
	}
	if r := runCLI(t, db, "", "alias", "rm", "zhipu", "Pentagon"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	runCLI(t, db, "", "retag")
	if got := list("--firm", "zhipu", "--query", "Pentagon"); len(got) != 0 {
		t.Errorf("after removing the alias, zhipu still names %d items", len(got))
	}
}

// TestSnapshotHasMentions checks that the bundled items, which carry
// their tags explicitly, also get the offsets of every match on first
// start, so the reader can highlight them.
func TestSnapshotHasMentions(t *testing.T) {
	db := newStore(t)
	r := runCLI(t, db, "", "check")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	if strings.Contains(r.stdout, "mentions 0,") || !strings.Contains(r.stdout, "mentions ") {
		t.Errorf("the bundled snapshot has no mentions: %s", r.stdout)
	}
}
