package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/aiwatch/aiwatch/ui/keys"
)

// doneWhen is the file of the "done when".
const doneWhen = `keys:
  news: {down: [n]}
views:
  - name: Huawei unread
    query: firm:huawei is:unread
ignore:
  - feed:"Some Feed"
`

func TestParseGoodFile(t *testing.T) {
	c, err := Parse("config.yml", []byte(doneWhen+`feeds:
  interval: 6h
  max_body: 20MiB
  timeout: 45s
  concurrency: 4
  per_host: 1
  user_agent: "aiwatch-test/1"
display:
  theme: light
  colors: {accent: "#ff8800", dim: "245"}
  date_format: 02 Jan 2006
  bidi: app
  fps: 60
sanctions:
  max_age: 1s
  csl_url: http://127.0.0.1:9/consolidated.csv
alerts:
  notify: "off"
  command: [/usr/local/bin/page-me, --urgent]
  webhook: https://hooks.example.org/aiwatch
user:
`))
	if err != nil {
		t.Fatal(err)
	}
	if a := c.Alerts; a.Notify != "off" || len(a.Command) != 2 || a.Command[1] != "--urgent" || a.Webhook != "https://hooks.example.org/aiwatch" {
		t.Errorf("alerts = %+v", a)
	}
	if d := Default().Alerts; d.Notify != "auto" || d.Command != nil || d.Webhook != "" {
		t.Errorf("default alerts = %+v", d)
	}
	news := c.Keys.Map(keys.News)
	if !key.Matches(tea.KeyPressMsg{Code: 'n', Text: "n"}, news.Down) {
		t.Error("news down is not n")
	}
	if len(c.Views) != 1 || c.Views[0].Name != "Huawei unread" || c.Views[0].Query != "firm:huawei is:unread" {
		t.Errorf("views = %+v", c.Views)
	}
	if c.Views[0].Pos.Line != 5 || c.Views[0].Pos.Col != 12 {
		t.Errorf("view query at %d:%d, want 5:12", c.Views[0].Pos.Line, c.Views[0].Pos.Col)
	}
	if len(c.Ignore) != 1 || c.Ignore[0].Query != `feed:"Some Feed"` {
		t.Errorf("ignore = %+v", c.Ignore)
	}
	want := Feeds{Interval: 6 * time.Hour, MaxBody: 20 << 20, Timeout: 45 * time.Second, Concurrency: 4, PerHost: 1, UserAgent: "aiwatch-test/1"}
	if c.Feeds != want {
		t.Errorf("feeds = %+v, want %+v", c.Feeds, want)
	}
	if c.Display.Theme != "light" || c.Display.Bidi != "app" || c.Display.DateFormat != "02 Jan 2006" || c.Display.Colors["accent"] != "#ff8800" || c.Display.FPS != 60 {
		t.Errorf("display = %+v", c.Display)
	}
	if c.Sanctions.MaxAge != time.Second || c.Sanctions.CSLURL != "http://127.0.0.1:9/consolidated.csv" {
		t.Errorf("sanctions = %+v", c.Sanctions)
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	for _, src := range []string{"", "# nothing\n", "keys:\nviews:\n"} {
		c, err := Parse("c.yml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if c.Feeds != Default().Feeds || c.Display.Bidi != "auto" || c.Sanctions.MaxAge != 24*time.Hour {
			t.Errorf("%q: not the defaults: %+v", src, c)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"misspelt keys", "kyes:\n  news: {down: [n]}\n", `c.yml:1:1: unknown key "kyes" (did you mean "keys"?)`},
		{"keys by another tool's name", "views: []\nkeybindigs:\n  news: {down: [n]}\n", `c.yml:2:1: unknown key "keybindigs" (did you mean "keys"?)`},
		{"unknown context", "keys:\n  nwes: {down: [n]}\n", `c.yml:2:3: keys: unknown key "nwes" (did you mean "news"?)`},
		{"unknown action", "keys:\n  news:\n    dwn: [n]\n", `c.yml:3:5: keys.news: unknown key "dwn" (did you mean "down"?)`},
		{"global action in a pane", "keys:\n  news:\n    quit: [x]\n", `c.yml:3:5: keys.news: unknown key "quit"`},
		{"keys not a list", "keys:\n  news:\n    down: n\n", `c.yml:3:11: keys.news.down: expected a list of keys, e.g. [n], or [] to unbind; found "n"`},
		{"unknown key name", "keys:\n  news:\n    down: [n, entr]\n", `c.yml:3:15: keys.news.down: unknown key "entr"`},
		{"key conflict", "keys:\n  news:\n    down: [k]\n", `c.yml:3:5: keys.news.down: key "k" is bound to both news.down and news.up`},
		{"key conflict with a global key", "keys:\n  news:\n    down: [r]\n", `c.yml:3:5: keys.news.down: key "r" is bound to both news.down and global.toggle_read`},
		{"wrong type of section", "feeds: 30m\n", `c.yml:1:8: feeds: expected a mapping of settings, found "30m"`},
		{"wrong type of number", "feeds:\n  concurrency: many\n", `c.yml:2:16: feeds.concurrency: expected a whole number, found "many"`},
		{"number out of bounds", "feeds:\n  concurrency: 0\n", `c.yml:2:16: feeds.concurrency: 0 is out of bounds (1 to 64)`},
		{"bad duration", "feeds:\n  interval: soon\n", `c.yml:2:13: feeds.interval: "soon" is not a duration (e.g. 90s, 30m, 6h, 2d)`},
		{"interval too short", "feeds:\n  interval: 5s\n", `c.yml:2:13: feeds.interval: 5s is out of bounds (1m to 7d)`},
		{"bad size", "feeds:\n  max_body: 16 megs\n", `c.yml:2:13: feeds.max_body: "16 megs" is not a size (e.g. 16MiB, 512KiB, 20MB)`},
		{"misspelt feed key", "feeds:\n  intervall: 1h\n", `c.yml:2:3: feeds: unknown key "intervall" (did you mean "interval"?)`},
		{"bad theme", "display:\n  theme: drak\n", `c.yml:2:10: display.theme: "drak" is not one of auto, dark, light (did you mean "dark"?)`},
		{"bad bidi", "display:\n  bidi: rtl\n", `c.yml:2:9: display.bidi: "rtl" is not one of auto, app, terminal`},
		{"fps too high", "display:\n  fps: 240\n", `c.yml:2:8: display.fps: 240 is out of bounds (1 to 120)`},
		{"fps not a number", "display:\n  fps: fast\n", `c.yml:2:8: display.fps: expected a whole number`},
		{"bad date format", "display:\n  date_format: yyyy-mm-dd\n", `c.yml:2:16: display.date_format: "yyyy-mm-dd" is not a Go time layout`},
		{"bad colour", "display:\n  colors: {accent: red}\n", `c.yml:2:20: display.colors.accent: "red" is not a colour`},
		{"bad URL", "sanctions:\n  csl_url: ftp://example.org/x.csv\n", `c.yml:2:12: sanctions.csl_url: "ftp://example.org/x.csv" is not an http(s) URL`},
		{"view without query", "views:\n  - name: x\n", `c.yml:2:5: views: view "x" needs a query`},
		{"view name clash", "views:\n  - {name: A, query: x}\n  - {name: a, query: y}\n", `c.yml:3:12: views: a view named "a" is already defined`},
		{"bad view query", "views:\n  - name: x\n    query: firm:huawei since:soon\n", `c.yml:3:30: views: x: bad since:soon`},
		{"bad quoted ignore query", "ignore:\n  - \"is:maybe\"\n", `c.yml:2:9: ignore: unknown is:maybe`},
		{"empty ignore", "ignore:\n  - \"\"\n", `c.yml:2:5: ignore: an empty query would hide every item`},
		{"ignore not a list", "ignore: feed:x\n", `c.yml:1:9: ignore: expected a list of queries, found "feed:x"`},
		{"key set twice", "feeds:\n  timeout: 1s\n  timeout: 2s\n", `c.yml:3:3: feeds: "timeout" is set twice`},
		{"bad notify", "alerts:\n  notify: yes\n", `c.yml:2:11: alerts.notify: "yes" is not one of auto, off`},
		{"command as a string", "alerts:\n  command: notify-me --urgent\n", `c.yml:2:12: alerts.command: expected a list: the program and its arguments, run without a shell`},
		{"empty program", "alerts:\n  command: [\"\", x]\n", `c.yml:2:12: alerts.command: the first item is the program to run, and it is empty`},
		{"webhook not http", "alerts:\n  webhook: file:///etc/passwd\n", `c.yml:2:12: alerts.webhook: "file:///etc/passwd" is not an http(s) URL`},
		{"unknown alerts key", "alerts:\n  email: me@example.org\n", `c.yml:2:3: alerts: unknown key "email"`},
		{"syntax", "keys:\n  news: {down: [n]\n", `c.yml:2: not valid YAML: did not find`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yml", []byte(tt.src))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant  %s…", err, tt.want)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Errorf("%T is not Errors", err)
			}
		})
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	_, err := Parse("c.yml", []byte("feeds:\n  timeout: x\ndisplay:\n  theme: y\n"))
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 || es[0].Line != 2 || es[1].Line != 4 {
		t.Fatalf("err = %v, want two errors in line order", err)
	}
}

func TestPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name     string
		flag     string
		env      map[string]string
		want     string
		explicit bool
	}{
		{"flag", "/f.yml", map[string]string{"AIWATCH_CONFIG": "/e.yml"}, "/f.yml", true},
		{"env", "", map[string]string{"AIWATCH_CONFIG": "/e.yml", "XDG_CONFIG_HOME": "/x"}, "/e.yml", true},
		{"xdg", "", map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/x/aiwatch/config.yml", false},
		{"relative xdg is ignored", "", map[string]string{"XDG_CONFIG_HOME": "x", "HOME": "/h"}, "/h/.config/aiwatch/config.yml", false},
		{"home", "", map[string]string{"HOME": "/h"}, "/h/.config/aiwatch/config.yml", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, explicit, err := Path(tt.flag, env(tt.env))
			if err != nil || got != tt.want || explicit != tt.explicit {
				t.Errorf("Path = %q, %v, %v; want %q, %v", got, explicit, err, tt.want, tt.explicit)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.yml")
	if c, err := Load(missing, false); err != nil || c.Feeds.MaxBody != DefaultMaxBody {
		t.Errorf("missing default file: %v", err)
	}
	if _, err := Load(missing, true); !errors.Is(err, ErrNoFile) {
		t.Errorf("missing named file: %v", err)
	}
}

func TestTemplateAndShowReadBack(t *testing.T) {
	c, err := Parse("init.yml", []byte(Template()))
	if err != nil {
		t.Fatalf("config init's file is refused: %v", err)
	}
	if c.Feeds != Default().Feeds || c.Display.Theme != "auto" || c.Display.Bidi != "auto" || c.Display.DateFormat != DefaultDateFormat || c.Display.FPS != DefaultFPS || c.Sanctions != Default().Sanctions {
		t.Errorf("config init's file is not the defaults: %+v", c)
	}
	c, err = Parse("c.yml", []byte(doneWhen))
	if err != nil {
		t.Fatal(err)
	}
	shown, err := Parse("show.yml", []byte(Show(c)))
	if err != nil {
		t.Fatalf("config show's output is refused: %v\n%s", err, Show(c))
	}
	if !slices.Equal(shown.Keys.Keys(keys.News, "down"), []string{"n"}) || len(shown.Views) != 1 || len(shown.Ignore) != 1 {
		t.Errorf("config show lost settings:\n%s", Show(c))
	}
}

// loadSchema compiles docs/config.schema.json.
func loadSchema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	const path = "../../../../docs/config.schema.json"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("config.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile("config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	return sch, raw
}

// asJSON reads YAML into the values a JSON Schema validator takes.
func asJSON(t *testing.T, src string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSchemaValidatesInitAndShow(t *testing.T) {
	sch, _ := loadSchema(t)
	c, err := Parse("c.yml", []byte(doneWhen))
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{"config init": Template(), "config show": Show(c), "done-when file": doneWhen} {
		if err := sch.Validate(asJSON(t, src)); err != nil {
			t.Errorf("%s does not validate: %v", name, err)
		}
	}
	// The schema refuses what the loader refuses, for the simple cases.
	for _, bad := range []string{"kyes: {}\n", "keys: {news: {dwn: [n]}}\n", "feeds: {concurrency: 0}\n", "display: {bidi: rtl}\n", "views: [{name: x}]\n"} {
		if sch.Validate(asJSON(t, bad)) == nil {
			t.Errorf("schema accepts %q", bad)
		}
	}
}

// TestSchemaKnowsEveryKey holds the schema's properties to exactly the
// keys the loader reads.
func TestSchemaKnowsEveryKey(t *testing.T) {
	_, raw := loadSchema(t)
	var got []string
	var walk func(prefix string, node map[string]any)
	walk = func(prefix string, node map[string]any) {
		if items, ok := node["items"].(map[string]any); ok {
			walk(prefix+"[]", items)
		}
		props, _ := node["properties"].(map[string]any)
		for k, v := range props {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			got = append(got, p)
			if m, ok := v.(map[string]any); ok {
				walk(p, m)
			}
		}
	}
	walk("", raw)
	for i, p := range got {
		got[i] = strings.ReplaceAll(p, "[].", "[].")
	}
	sort.Strings(got)
	want := KeyPaths()
	// KeyPaths lists views[].name; the schema walk names views itself too.
	if !slices.Equal(got, want) {
		t.Errorf("schema keys differ from the loader's\nonly in the schema: %v\nonly in the code:   %v", minus(got, want), minus(want, got))
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// BenchmarkLoad measures what reading the config adds to start-up: a
// file like the issue's, plus every section set.
func BenchmarkLoad(b *testing.B) {
	path := filepath.Join(b.TempDir(), "config.yml")
	src := doneWhen + "feeds: {interval: 1h, max_body: 20MiB}\ndisplay: {theme: dark, bidi: app}\nsanctions: {max_age: 12h}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(path, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadInit is the same for config init's whole file.
func BenchmarkLoadInit(b *testing.B) {
	path := filepath.Join(b.TempDir(), "config.yml")
	if err := os.WriteFile(path, []byte(Template()), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(path, true); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStoreAndUser(t *testing.T) {
	c, err := Parse("c.yml", []byte("store:\n  dsn: postgres://alice:s3cret-pw@db.example.org/aiwatch\nuser: \" alice \"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Store.DSN != "postgres://alice:s3cret-pw@db.example.org/aiwatch" || c.User != "alice" {
		t.Errorf("store = %+v, user = %q", c.Store, c.User)
	}
	shown := Show(c)
	if strings.Contains(shown, "s3cret-pw") {
		t.Errorf("config show prints the password:\n%s", shown)
	}
	back, err := Parse("shown.yml", []byte(shown))
	if err != nil {
		t.Fatalf("config show's output is refused: %v", err)
	}
	if back.User != "alice" || !strings.HasPrefix(back.Store.DSN, "postgres://alice:") {
		t.Errorf("config show lost the store or user: %+v %q", back.Store, back.User)
	}
	for _, tc := range []struct{ src, want string }{
		{"store:\n  dsn: /home/alice/aiwatch.db\n", `c.yml:2:8: store.dsn: expected a postgres:// or postgresql:// address, found "/home/alice/aiwatch.db"`},
		{"store:\n  dns: postgres://db/aiwatch\n", `c.yml:2:3: store: unknown key "dns" (did you mean "dsn"?)`},
		{"store:\n  dsn: mysql://u:hunter2@db/x\n", `found "mysql://u:xxxxx@db/x"`},
		{"user: [alice]\n", `c.yml:1:7: user: expected text, found a list`},
	} {
		_, err := Parse("c.yml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %s", tc.src, err, tc.want)
		}
	}
	for _, src := range []string{"user: \"\"\nstore: {dsn: \"\"}\n", "user:\nstore:\n"} {
		c, err := Parse("c.yml", []byte(src))
		if err != nil || c.User != "" || c.Store.DSN != "" {
			t.Errorf("%q: %+v %v", src, c, err)
		}
	}
}
